from django import forms
from django.utils import timezone

from accounts.models import Department, Force
from cases.models import CaseType

from .periods import Period, Scope, date_range, financial_year, financial_year_of

FIRST_YEAR = 2010
MAX_RANGE_DAYS = 366 * 10


def _year_choices():
    latest = financial_year_of(timezone.localdate())
    return [(str(y), financial_year(y).label) for y in range(latest, FIRST_YEAR - 1, -1)]


class PeriodForm(forms.Form):
    """The period (a financial year, or any date range) and the scope of the statistics."""

    year = forms.TypedChoiceField(
        label="Financial year",
        coerce=int,
        required=False,
        help_text="1 April to 31 March. Leave the dates blank to use it.",
    )
    start = forms.DateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label="To", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    force = forms.ModelChoiceField(
        label="Force of the subject", queryset=Force.objects.all(), required=False
    )
    department = forms.ModelChoiceField(
        label="Department of the subject", queryset=Department.objects.all(), required=False
    )
    case_type = forms.ChoiceField(
        label="Case type", choices=[("", "All case types"), *CaseType.choices], required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = _year_choices()
        self.fields["year"].initial = str(financial_year_of(timezone.localdate()))

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if self.errors:
            return data
        if bool(start) != bool(end):
            missing = "end" if start else "start"
            self.add_error(missing, "Give both dates of the range, or neither.")
        elif start and end and start > end:
            self.add_error("end", "The end date must be the same as or after the start date.")
        elif start and end and (end - start).days > MAX_RANGE_DAYS:
            self.add_error("end", "Choose a range of at most ten years.")
        return data

    def period(self) -> Period:
        data = self.cleaned_data if self.is_bound else {}
        if data.get("start") and data.get("end"):
            return date_range(data["start"], data["end"])
        return financial_year(data.get("year") or financial_year_of(timezone.localdate()))

    def scope(self) -> Scope:
        data = self.cleaned_data if self.is_bound else {}
        return Scope(
            force=data.get("force"),
            department=data.get("department"),
            case_type=data.get("case_type") or "",
        )


class ImportForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="UTF-8 CSV, one row per allegation, with the columns listed below.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
    dry_run = forms.BooleanField(
        label="Dry run: check and count, but import nothing", required=False, initial=True
    )
