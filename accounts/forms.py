from django import forms
from django.utils import timezone

from psd.forms import DomainErrorFormMixin

from .models import Person, PersonStatus, WithdrawalGround
from .selectors import duplicate_number_message, person_number_taken


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class PersonForm(DomainErrorFormMixin, forms.ModelForm):
    class Meta:
        model = Person
        fields = [
            "force",
            "forename",
            "surname",
            "date_of_birth",
            "number",
            "role_type",
            "rank",
            "detective",
            "department",
            "line_manager",
        ]  # not "user": the person <-> user link changes through accounts.grants only
        widgets = {"date_of_birth": DateInput()}

    def validate_unique(self):
        """Report a duplicate number on the number field (the DB constraint is the backstop)."""
        self.instance.validate_unique(exclude=self._get_validation_exclusions())
        number, force = self.cleaned_data.get("number"), self.cleaned_data.get("force")
        if (
            number
            and force
            and person_number_taken(force_id=force.pk, number=number, exclude_pk=self.instance.pk)
        ):
            self.add_error("number", duplicate_number_message(number))


class PersonStatusForm(DomainErrorFormMixin, forms.Form):
    status = forms.ChoiceField(choices=PersonStatus.choices)
    effective_date = forms.DateField(widget=DateInput(), initial=timezone.localdate)
    reason = forms.CharField(max_length=500, widget=forms.Textarea(attrs={"rows": 3}))
    grounds = forms.ChoiceField(
        label="Grounds for withdrawal (volunteers)",
        choices=[("", "Not a withdrawal"), *WithdrawalGround.choices],
        required=False,
        help_text="When a volunteer's designation is withdrawn: does a reason relate to "
        "conduct, efficiency or effectiveness?",
    )
    noticed_on = forms.DateField(
        label="Came to attention on (volunteers)",
        widget=DateInput(),
        required=False,
        help_text="When a volunteer decides to stop volunteering: the date the decision came "
        "to the force's attention, if later than the decision.",
    )


class PersonSearchForm(forms.Form):
    q = forms.CharField(
        label="Surname or number",
        required=False,
        max_length=80,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
