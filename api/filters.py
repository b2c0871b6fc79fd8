"""Query filters of the list endpoints (django-filter): bad values answer 400."""

import django_filters as df

from accounts.models import Person, PersonStatus, Team
from cases.models import Case, CaseType, State


class CaseFilter(df.FilterSet):
    state = df.MultipleChoiceFilter(choices=State.choices, help_text="One or more states.")
    case_type = df.ChoiceFilter(choices=CaseType.choices)
    team = df.ModelChoiceFilter(queryset=Team.objects.all(), help_text="Team id.")
    investigator = df.CharFilter(field_name="investigator__username", help_text="Username.")
    received_after = df.DateFilter(field_name="received_on", lookup_expr="gte")
    received_before = df.DateFilter(field_name="received_on", lookup_expr="lte")

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
        from accounts.selectors import person_search

        return queryset.filter(pk__in=person_search(query=value).values("pk"))
