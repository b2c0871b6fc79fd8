"""Staff forms: generate a letter, record an update, edit a template."""

from django import forms
from django.utils import timezone

from cases.forms import DateInput
from cases.models import AdvisoryListEntry, BarredListEntry, Case
from psd.forms import DomainErrorFormMixin

from .context import Inputs
from .models import LetterKind, SentHow


class LetterForm(DomainErrorFormMixin, forms.Form):
    kind = forms.ChoiceField(label="Letter", choices=LetterKind.choices)
    complainant = forms.ModelChoiceField(
        label="Complainant", queryset=None, required=False, help_text="Letters to complainants."
    )
    track = forms.ModelChoiceField(
        label="Officer or staff member",
        queryset=None,
        required=False,
        help_text="Regulation 17 notice and notice of referral.",
    )
    entry = forms.ChoiceField(
        label="List entry", required=False, help_text="Barred and advisory list reports."
    )
    reasons = forms.CharField(
        label="Reasons",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Recording decision: why the complaint was (not) recorded.",
    )
    progress = forms.CharField(
        label="Progress",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Progress update: what has happened since the last update.",
    )
    sent_on = forms.DateField(label="Sent on", widget=DateInput(), initial=timezone.localdate)
    sent_how = forms.ChoiceField(label="Sent how", choices=SentHow.choices)

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["complainant"].queryset = case.complainants.all()
        self.fields["track"].queryset = case.tracks.select_related("person")
        self.fields["track"].label_from_instance = lambda t: t.person.rank_and_name
        self.entries = {
            **{f"b{e.pk}": e for e in BarredListEntry.objects.filter(case=case)},
            **{f"a{e.pk}": e for e in AdvisoryListEntry.objects.filter(case=case)},
        }
        self.fields["entry"].choices = [("", "—")] + [(k, str(e)) for k, e in self.entries.items()]

    def inputs(self) -> Inputs:
        data = self.cleaned_data
        return Inputs(
            sent_on=data["sent_on"],
            complainant=data["complainant"],
            track=data["track"],
            entry=self.entries.get(data["entry"]),
            reasons=data["reasons"],
            progress=data["progress"],
        )


class UpdateForm(DomainErrorFormMixin, forms.Form):
    complainant = forms.ModelChoiceField(label="Complainant", queryset=None)
    note = forms.CharField(
        label="What they were told, and how", widget=forms.Textarea(attrs={"rows": 3})
    )
    sent_on = forms.DateField(label="Date", widget=DateInput(), initial=timezone.localdate)

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["complainant"].queryset = case.complainants.all()


class TemplateForm(DomainErrorFormMixin, forms.Form):
    subject = forms.CharField(label="Subject", max_length=200)
    body = forms.CharField(label="Body", widget=forms.Textarea(attrs={"rows": 18}))
    change_note = forms.CharField(label="What changed and why", max_length=300)
