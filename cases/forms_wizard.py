"""Forms of the new-case wizard. The draft lives in the session as plain data (ids and
strings) until the user confirms; nothing is saved before."""

from django import forms
from django.utils import timezone

from psd.forms import DomainErrorFormMixin, PkMultipleChoiceField

from .forms import DateInput
from .models import AllegationCategory, CaseType, ComplainantKind, Source, Standard
from .selectors.users import approver_list

# What the complainant said, when the complaint was made, about having it recorded (kept on the
# case: a "yes" means it must be recorded, PRA 2002 Sch 3 para 2(6A)(a)). The values are the
# public complaint form's.
RECORDING_WISH = [
    ("yes", "Yes, they want it formally recorded"),
    ("no", "No, they would like it sorted out informally if possible"),
    ("unsure", "They are not sure"),
    ("", "Not asked yet, or not a complaint"),
]


class CaseStartForm(forms.Form):
    case_type = forms.ChoiceField(
        label="Type of case",
        choices=[(c.value, c.label) for c in CaseType],
        widget=forms.RadioSelect(attrs={"class": "checkbox-list"}),
    )
    source = forms.ChoiceField(label="Where it came from", choices=Source.choices)
    received_on = forms.DateField(label="Date received", widget=DateInput())
    summary = forms.CharField(
        label="Short summary", max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    supervisor = forms.ModelChoiceField(
        label="Supervisor", queryset=None, required=False, empty_label="None yet"
    )
    to_queue = forms.BooleanField(
        label="Put it in my team's queue for the supervisor to allocate",
        required=False,
        help_text="Otherwise you become its investigator.",
    )
    recording_wish = forms.ChoiceField(
        label="For a complaint: does the complainant want it formally recorded?",
        choices=RECORDING_WISH,
        required=False,
        initial="",
        widget=forms.RadioSelect(attrs={"class": "checkbox-list"}),
        help_text="What they said when they made the complaint. If they want it recorded, it "
        "must be recorded and dealt with under Schedule 3 (PRA 2002 Sch 3 para 2(6A)(a)).",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supervisor"].queryset = approver_list()

    def clean_received_on(self):
        day = self.cleaned_data["received_on"]
        if day > timezone.localdate():
            raise forms.ValidationError("The date received cannot be in the future.")
        return day

    def draft(self) -> dict:
        d = self.cleaned_data
        return {
            "case_type": d["case_type"],
            "source": d["source"],
            "received_on": d["received_on"].isoformat(),
            "summary": d["summary"].strip(),
            "supervisor": d["supervisor"].pk if d["supervisor"] else None,
            "to_queue": d["to_queue"],
            "recording_wish": d["recording_wish"],
        }


class ComplainantForm(forms.Form):
    kind = forms.ChoiceField(
        label="The complainant is",
        choices=ComplainantKind.choices,
        initial=ComplainantKind.PERSON,
        widget=forms.RadioSelect(attrs={"class": "checkbox-list"}),
    )
    name = forms.CharField(label="Name", max_length=160, required=False)
    organisation = forms.CharField(label="Organisation", max_length=160, required=False)
    email = forms.EmailField(label="Email", required=False)
    phone = forms.CharField(label="Phone", max_length=40, required=False)
    address = forms.CharField(
        label="Address", required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )
    acting_for = forms.CharField(
        label="Acting on behalf of",
        max_length=160,
        required=False,
        help_text="When someone complains for another person.",
    )
    anonymous = forms.BooleanField(label="The complainant wishes to stay anonymous", required=False)

    def clean(self):
        d = super().clean()
        if d.get("anonymous"):
            return d
        if d.get("kind") == ComplainantKind.ORGANISATION and not d.get("organisation", "").strip():
            self.add_error("organisation", "Give the organisation's name.")
        if d.get("kind") == ComplainantKind.PERSON and not d.get("name", "").strip():
            self.add_error("name", "Give the complainant's name, or mark them anonymous.")
        return d


class SubjectSearchForm(forms.Form):
    q = forms.CharField(
        label="Find a person by surname or number",
        max_length=80,
        required=False,
        widget=forms.TextInput(attrs={"type": "search"}),
    )


class AllegationDraftForm(DomainErrorFormMixin, forms.Form):
    summary = forms.CharField(
        label="What is alleged", max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    category = forms.ModelChoiceField(
        label="Category", queryset=AllegationCategory.objects.filter(active=True)
    )
    standards = PkMultipleChoiceField(
        label="Standards of Professional Behaviour it may breach",
        required=False,
        queryset=Standard.objects.all(),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "checkbox-list"}),
    )
    about_force = forms.BooleanField(label="About the service the force provided", required=False)

    def __init__(self, *args, subjects=(), **kwargs):
        self.subjects = list(subjects)
        super().__init__(*args, **kwargs)

    def clean(self):
        d = super().clean()
        if not self.subjects and not d.get("about_force"):
            raise forms.ValidationError(
                "Add at least one person the allegation is about, or mark it as about the "
                "force/service."
            )
        return d

    def draft(self) -> dict:
        d = self.cleaned_data
        return {
            "summary": d["summary"].strip(),
            "category": d["category"].pk,
            "standards": [s.pk for s in d["standards"]],
            "subjects": list(self.subjects),
            "about_force": d["about_force"],
        }


class ConfirmForm(DomainErrorFormMixin, forms.Form):
    """Carries the service's refusal, if any, to the error summary."""
