"""Forms of the vetting pages. Validation of rules lives in the services (DomainError)."""

from django import forms
from django.utils import timezone

from accounts.forms import DateInput
from accounts.models import Department, Person
from psd.forms import DomainErrorFormMixin

from .models import (
    AppealOutcome,
    CheckOutcome,
    ListType,
    MatchResolution,
    Post,
    RefusalReason,
    TriggerKind,
    VettingCheck,
    VettingLevel,
)


def _date(label: str, required: bool = True, **kwargs) -> forms.DateField:
    return forms.DateField(label=label, widget=DateInput(), required=required, **kwargs)


def _text(label: str, required: bool = True, rows: int = 3) -> forms.CharField:
    return forms.CharField(
        label=label, required=required, widget=forms.Textarea(attrs={"rows": rows})
    )


class PersonNumberField(forms.CharField):
    """A person on the register, by collar/warrant/staff number."""

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        people = list(Person.objects.filter(number__iexact=value.strip())[:2])
        if not people:
            raise forms.ValidationError(f"No one on the register has number {value.upper()}.")
        if len(people) > 1:
            raise forms.ValidationError("Several forces use that number; ask an administrator.")
        return people[0]


class ApplicationForm(DomainErrorFormMixin, forms.Form):
    person = PersonNumberField(
        label="Number of someone already serving",
        required=False,
        max_length=20,
        help_text="Leave blank for an applicant from outside and fill in their details below.",
    )
    forename = forms.CharField(label="Applicant's forename", required=False, max_length=80)
    surname = forms.CharField(label="Applicant's surname", required=False, max_length=80)
    date_of_birth = _date("Applicant's date of birth", required=False)
    email = forms.EmailField(label="Applicant's e-mail", required=False)
    phone = forms.CharField(label="Applicant's telephone", required=False, max_length=30)
    level = forms.ModelChoiceField(
        label="Level sought", queryset=VettingLevel.objects.filter(recorded_only=False)
    )
    post = forms.ModelChoiceField(
        label="Post",
        queryset=Post.objects.select_related("department", "required_level"),
        required=False,
    )
    received_on = _date("Date received", initial=timezone.localdate)

    def clean(self):
        data = super().clean()
        if data.get("person") is None and not self.errors.get("person"):
            for name in ("forename", "surname", "date_of_birth"):
                if not data.get(name):
                    self.add_error(name, "Enter this for an applicant from outside.")
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        details = None
        if data["person"] is None:
            details = {
                k: data[k] for k in ("forename", "surname", "date_of_birth", "email", "phone")
            }
        return {
            "level": data["level"],
            "post": data["post"],
            "received_on": data["received_on"],
            "person": data["person"],
            "applicant_details": details,
        }


class CheckForm(DomainErrorFormMixin, forms.Form):
    check = forms.ModelChoiceField(label="Check", queryset=VettingCheck.objects.all())
    result = forms.ChoiceField(label="Result", choices=CheckOutcome.choices)
    done_on = _date("Date done", initial=timezone.localdate)
    notes = _text("Notes", required=False, rows=2)


class ResolveMatchForm(DomainErrorFormMixin, forms.Form):
    entry_type = forms.ChoiceField(choices=ListType.choices, widget=forms.HiddenInput)
    entry_id = forms.IntegerField(widget=forms.HiddenInput)
    resolution = forms.ChoiceField(
        label="Is this the applicant?", choices=[("", "Choose"), *MatchResolution.choices]
    )

    reason = _text("How you decided")


class GrantForm(DomainErrorFormMixin, forms.Form):
    granted_on = _date("Date granted", initial=timezone.localdate)
    expires_on = _date(
        "Expiry date",
        required=False,
        help_text="Leave blank to use the level's renewal interval.",
    )


class ProposeRefusalForm(DomainErrorFormMixin, forms.Form):
    reason = forms.ModelChoiceField(
        label="Reason for refusal",
        queryset=RefusalReason.objects.filter(active=True),
        required=False,
    )
    details = _text("Details", required=False)


class ApproveRefusalForm(DomainErrorFormMixin, forms.Form):
    decided_on = _date("Date of the decision", initial=timezone.localdate)


class RejectRefusalForm(DomainErrorFormMixin, forms.Form):
    note = _text("Why the refusal is not approved", required=False)


class WithdrawForm(DomainErrorFormMixin, forms.Form):
    reason = forms.CharField(label="Reason for withdrawal", max_length=300, required=False)


class AppealForm(DomainErrorFormMixin, forms.Form):
    lodged_on = _date("Date the appeal was lodged", initial=timezone.localdate)
    grounds = _text("Grounds of appeal", required=False)


class AppealDecisionForm(DomainErrorFormMixin, forms.Form):
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=[(AppealOutcome.UPHELD, "Upheld"), (AppealOutcome.DISMISSED, "Dismissed")],
    )
    decided_on = _date("Date of the decision", initial=timezone.localdate)
    notes = _text("Notes", required=False)


class LinkPersonForm(DomainErrorFormMixin, forms.Form):
    person = PersonNumberField(label="Their number on the register", max_length=20)


class PostChangeForm(DomainErrorFormMixin, forms.Form):
    post = forms.ModelChoiceField(
        label="New post", queryset=Post.objects.select_related("department", "required_level")
    )
    on = _date("Date of the move or promotion", initial=timezone.localdate)


class CircumstancesForm(DomainErrorFormMixin, forms.Form):
    reason = _text("What changed", required=False)
    on = _date("Date reported", initial=timezone.localdate)


class ClearanceStatusForm(DomainErrorFormMixin, forms.Form):
    clearance = forms.IntegerField(widget=forms.HiddenInput)
    action = forms.ChoiceField(
        label="Action",
        choices=[("suspend", "Suspend"), ("reinstate", "Reinstate"), ("withdraw", "Withdraw")],
    )
    reason = forms.CharField(label="Reason", max_length=500, required=False)
    on = _date("Date", initial=timezone.localdate)


class RecordClearanceForm(DomainErrorFormMixin, forms.Form):
    level = forms.ModelChoiceField(
        label="National security level", queryset=VettingLevel.objects.filter(recorded_only=True)
    )
    granted_on = _date("Date granted")
    expires_on = _date("Expiry date", required=False)
    note = forms.CharField(label="Note", max_length=300, required=False)


class DueFilterForm(forms.Form):
    WITHIN = [
        ("90", "Next 90 days"),
        ("30", "Next 30 days"),
        ("365", "Next year"),
        ("all", "Any date"),
    ]
    within = forms.ChoiceField(label="Due", choices=WITHIN, required=False)
    overdue = forms.BooleanField(label="Overdue only", required=False)
    level = forms.ChoiceField(label="Level", required=False)
    kind = forms.ChoiceField(
        label="Reason",
        required=False,
        choices=[("", "Any"), ("expiry", "Clearance expiry"), *TriggerKind.choices],
    )
    department = forms.ModelChoiceField(
        label="Department",
        queryset=Department.objects.all(),
        required=False,
        empty_label="Any",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = [("", "Any")] + [
            (level.code, level.label) for level in VettingLevel.objects.filter(recorded_only=False)
        ]

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        within = data.get("within") or "90"
        return {
            "within_days": None if within == "all" else int(within),
            "overdue_only": bool(data.get("overdue")),
            "level": data.get("level") or "",
            "kind": data.get("kind") or "",
            "department_id": data["department"].pk if data.get("department") else None,
        }
