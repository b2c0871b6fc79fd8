"""Forms of the case list and the case page. Action forms live in forms_actions.py, the new
case wizard's in forms_wizard.py."""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from .models import AllegationCategory, CaseType, State
from .selectors_ui import SORTS, CaseFilters, investigator_choices


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class FastSelect(forms.Select):
    """A ``<select>`` built in Python. Django's Select renders a template per option (about
    0.3 ms each): with a national force's thousand investigators that was most of the case
    list's server time. Same HTML, same attributes; every value and label is escaped."""

    def render(self, name, value, attrs=None, renderer=None):
        final_attrs = self.build_attrs(self.attrs, attrs)
        chosen = set(self.format_value(value))
        options = "".join(
            f'<option value="{escape(key)}"{" selected" if key in chosen else ""}>'
            f"{escape(label)}</option>"
            for key, label in ((str(v), label) for v, label in self.choices)
        )
        return format_html(
            '<select name="{}"{}>{}</select>',
            name,
            flatatt(final_attrs),
            mark_safe(options),  # noqa: S308  # nosec B308 B703: built from escaped parts
        )


class CaseFilterForm(forms.Form):
    q = forms.CharField(
        label="Search",
        required=False,
        max_length=100,
        help_text="Reference, complainant, or subject name or number",
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    state = forms.ChoiceField(label="State", required=False, widget=FastSelect)
    case_type = forms.ChoiceField(label="Type", required=False, widget=FastSelect)
    investigator = forms.ModelChoiceField(
        label="Investigator",
        required=False,
        queryset=None,
        empty_label="Any",
        widget=FastSelect,
    )
    category = forms.ModelChoiceField(
        label="Category",
        required=False,
        queryset=AllegationCategory.objects.filter(parent=None, active=True),
        empty_label="Any",
        widget=FastSelect,
    )
    received_from = forms.DateField(label="Received from", required=False, widget=DateInput())
    received_to = forms.DateField(label="Received to", required=False, widget=DateInput())
    overdue = forms.BooleanField(label="Only cases with an overdue deadline", required=False)
    sort = forms.ChoiceField(
        label="Sort by",
        required=False,
        choices=[(k, v[0]) for k, v in SORTS.items()],
        widget=FastSelect,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [("", "Any"), *State.choices]
        self.fields["case_type"].choices = [("", "Any"), *CaseType.choices]
        self.fields["investigator"].queryset = users = investigator_choices()
        # The options from one values query (no model instance per investigator); the labels
        # are what User.__str__ gives. Validation still uses the queryset.
        self.fields["investigator"].widget.choices = [
            ("", "Any"),
            *(
                (pk, f"{first} {last}".strip() or username)
                for pk, first, last, username in users.values_list(
                    "pk", "first_name", "last_name", "username"
                )
            ),
        ]

    def clean(self):
        data = super().clean()
        start, end = data.get("received_from"), data.get("received_to")
        if start and end and start > end:
            self.add_error("received_to", "The end date must be on or after the start date.")
        return data

    def filters(self) -> CaseFilters:
        if not self.is_valid():
            return CaseFilters()
        data = dict(self.cleaned_data)
        data["sort"] = data.get("sort") or "-received"
        return CaseFilters(**data)
