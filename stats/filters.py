"""The period and scope of a statistics request as query building blocks."""

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from cases.models import Allegation, AllegationSubject, Handling

from .periods import Period, Scope


@dataclass
class Filters:
    period: Period
    scope: Scope

    # --- building blocks ----------------------------------------------------------------
    def day_bounds(self) -> tuple[datetime.datetime, datetime.datetime]:
        """[first instant, first instant after) the period, in Europe/London."""
        start = timezone.make_aware(datetime.datetime.combine(self.period.start, datetime.time()))
        after = self.period.end + datetime.timedelta(days=1)
        return start, timezone.make_aware(datetime.datetime.combine(after, datetime.time()))

    def subjects(self, person_path: str = "person") -> dict:
        lookups = {}
        if self.scope.force is not None:
            lookups[f"{person_path}__force"] = self.scope.force
        if self.scope.department is not None:
            lookups[f"{person_path}__department"] = self.scope.department
        return lookups

    def allegation_scope(self) -> Q:
        """Allegations with a subject in the chosen force/department (everything when none)."""
        if self.scope.is_everything:
            return Q()
        in_scope = AllegationSubject.objects.filter(allegation=OuterRef("pk"), **self.subjects())
        return Q(Exists(in_scope))

    def case_scope(self) -> Q:
        """Cases holding at least one allegation in scope."""
        q = Q()
        if self.scope.case_type:
            q &= Q(case_type=self.scope.case_type)
        if self.scope.is_everything:
            return q
        in_scope = AllegationSubject.objects.filter(
            allegation__case=OuterRef("pk"), **self.subjects()
        )
        return q & Q(Exists(in_scope))

    def allegations(self) -> QuerySet[Allegation]:
        qs = Allegation.objects.filter(self.allegation_scope())
        if self.scope.case_type:
            qs = qs.filter(case__case_type=self.scope.case_type)
        return qs

    def recorded_allegations(self) -> QuerySet[Allegation]:
        return self.allegations().filter(
            case__handling=Handling.SCHEDULE_3,
            case__recorded_on__range=(self.period.start, self.period.end),
        )

    def finalised_allegations(self) -> QuerySet[Allegation]:
        start, after = self.day_bounds()
        return self.allegations().filter(
            case__handling=Handling.SCHEDULE_3,
            case__finalised_at__gte=start,
            case__finalised_at__lt=after,
        )
