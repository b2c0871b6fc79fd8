"""The steps of the public complaint form (GOV.UK "one thing per page" pattern). Each step's
answers are kept in the visitor's session as plain JSON until they send the complaint."""

import datetime

from django import forms
from django.utils import timezone

from cases.forms import DateInput
from psd.forms import DomainErrorFormMixin

YES_NO = [("yes", "Yes"), ("no", "No")]
RECORD = [
    ("yes", "Yes, I want it formally recorded"),
    ("no", "No, I would like it sorted out informally if possible"),
    ("unsure", "I am not sure"),
]


class StepForm(DomainErrorFormMixin, forms.Form):
    title = ""

    def answers(self) -> dict:
        """The cleaned answers as JSON-safe values (dates as ISO strings)."""
        return {
            name: value.isoformat() if isinstance(value, datetime.date) else value
            for name, value in self.cleaned_data.items()
        }


class AboutYouForm(StepForm):
    title = "About you"
    name = forms.CharField(label="Your full name", max_length=160)
    for_someone_else = forms.ChoiceField(
        label="Are you complaining for someone else?", choices=YES_NO, widget=forms.RadioSelect
    )
    on_behalf_of = forms.CharField(
        label="Their full name",
        max_length=160,
        required=False,
        help_text="Only if you are complaining for someone else, with their agreement.",
    )
    email = forms.EmailField(label="Email address", required=False)
    phone = forms.CharField(label="Phone number", max_length=40, required=False)
    address = forms.CharField(
        label="Postal address", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def clean(self):
        data = super().clean()
        if data.get("for_someone_else") == "yes" and not data.get("on_behalf_of", "").strip():
            self.add_error("on_behalf_of", "Enter the full name of the person you complain for.")
        if not any(data.get(f, "").strip() for f in ("email", "phone", "address")):
            self.add_error(
                "email", "Give at least one way to contact you: email, phone or postal address."
            )
        return data


class WhatForm(StepForm):
    title = "What happened"
    what = forms.CharField(
        label="What happened?",
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="Tell us in your own words what the police did or did not do.",
    )


class WhenWhereForm(StepForm):
    title = "When and where"
    when = forms.DateField(
        label="When did it happen?",
        widget=DateInput(),
        help_text="If you are not sure of the exact day, give your best estimate.",
    )
    where = forms.CharField(label="Where did it happen?", max_length=300)

    def clean_when(self):
        when = self.cleaned_data["when"]
        if when > timezone.localdate():
            raise forms.ValidationError("The date must be today or in the past.")
        return when


class WhoForm(StepForm):
    title = "Officers or staff involved"
    who = forms.CharField(
        label="Who was involved?",
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Names, collar or badge numbers, or a description, if you know them.",
    )


class OutcomeForm(StepForm):
    title = "What you want to happen"
    wanted = forms.CharField(
        label="What would you like to happen?",
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    record = forms.ChoiceField(
        label="Do you want your complaint formally recorded?",
        choices=RECORD,
        widget=forms.RadioSelect,
        help_text="If you say yes, we must record your complaint and deal with it under the "
        "formal complaints process (Schedule 3 to the Police Reform Act 2002), and you can ask "
        "for a review of the outcome. You can also ask for this later, at any time.",
    )


STEPS: dict[str, type[StepForm]] = {
    "about-you": AboutYouForm,
    "what-happened": WhatForm,
    "when-and-where": WhenWhereForm,
    "who": WhoForm,
    "what-you-want": OutcomeForm,
}


def display(step: str, name: str, value) -> str:
    """An answer as the check-your-answers page shows it."""
    field = STEPS[step].base_fields[name]
    if isinstance(field, forms.ChoiceField):
        return dict(field.choices).get(value, value)
    if isinstance(field, forms.DateField) and value:
        day = datetime.date.fromisoformat(value)
        return f"{day.day} {day:%B %Y}"
    return value or "Not given"
