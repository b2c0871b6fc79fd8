"""Query filters of the list endpoints (django-filter): bad values answer 400."""

import django_filters as df
from django import forms
from drf_spectacular.utils import extend_schema_field

from accounts.models import Person, PersonStatus
from accounts.selectors import person_search
from cases.models import Case, CaseType, State

ISO_DATE = ["%Y-%m-%d"]  # the format the schema states (format: date), nothing looser


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": 2**63 - 1})
class IdFilter(df.NumberFilter):
    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 2**63 - 1)
        super().__init__(*args, **kwargs)


class CaseFilter(df.FilterSet):
    state = df.MultipleChoiceFilter(choices=State.choices, help_text="One or more states.")
    case_type = df.ChoiceFilter(choices=CaseType.choices)
    team = IdFilter(field_name="team_id", help_text="Team id.")
    investigator = df.CharFilter(
        field_name="investigator__username", max_length=150, help_text="Username."
    )
    received_after = df.DateFilter(
        field_name="received_on", lookup_expr="gte", input_formats=ISO_DATE
    )
    received_before = df.DateFilter(
        field_name="received_on", lookup_expr="lte", input_formats=ISO_DATE
    )

    class Meta:
        model = Case
        fields = ["state", "case_type", "team", "investigator", "received_after", "received_before"]


class PersonFilter(df.FilterSet):
    q = df.CharFilter(method="search", max_length=80, help_text="Surname or number prefix.")
    status = df.ChoiceFilter(choices=PersonStatus.choices)

    class Meta:
        model = Person
        fields = ["q", "status"]

    def search(self, queryset, name, value):
        return queryset.filter(pk__in=person_search(query=value).values("pk"))
