from django import forms

from .labels import table_label
from .models import AuditKind
from .registry import tracked


def _table_choices():
    tables = sorted({item.table for item in tracked()}, key=table_label)
    return [("", "Any"), *[(t, table_label(t)) for t in tables]]


class AuditSearchForm(forms.Form):
    person = forms.IntegerField(
        label="Person (register id)",
        required=False,
        min_value=1,
        help_text="The number at the end of the person's page address.",
    )
    case = forms.CharField(label="Case reference or id", required=False, max_length=40)
    username = forms.CharField(label="User (username)", required=False, max_length=150)
    date_from = forms.DateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label="To", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    kind = forms.ChoiceField(
        label="Kind", required=False, choices=[("", "Any"), *AuditKind.choices]
    )
    action = forms.CharField(
        label="Action starts with",
        required=False,
        max_length=60,
        help_text="For example update, read, auth.login or case.",
    )
    table = forms.ChoiceField(label="Kind of record", required=False, choices=())
    object_pk = forms.CharField(label="Record id", required=False, max_length=64)
    label = forms.CharField(label="Record label contains", required=False, max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["table"].choices = _table_choices()

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", "The end date must be on or after the start date.")
        return data
