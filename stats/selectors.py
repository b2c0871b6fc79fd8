"""The statistics, one grouped query per table (Home Office / IOPC data-return shapes).

Definitions (also shown on the page):
- Formal figures count cases handled UNDER SCHEDULE 3 (``Case.handling = sch3``); cases handled
  outside Schedule 3 are counted in their own table and never in the formal totals.
- "Recorded in the period": allegations whose case was recorded under Schedule 3 on a date in
  the period (``Case.recorded_on``).
- "Finalised in the period": allegations whose Schedule 3 case was finalised (including
  withdrawn or discontinued) on a date in the period, Europe/London (``Case.finalised_at``).
- Counts are per ALLEGATION, as the Home Office counts them: a complaint with three allegations
  counts three. Cases are counted once where a table says "cases".
"""

import datetime
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce, TruncDate, TruncMonth
from django.utils import timezone

from cases.models import (
    Action,
    Allegation,
    AllegationSubject,
    BarredListEntry,
    Case,
    CaseType,
    Handling,
    InvestigationMode,
    IOPCReferral,
    ListStatus,
    Outcome,
    OutcomeStatus,
    State,
)
from deadlines.calendar import WorkingCalendar

from . import groups
from .periods import Period, Scope
from .tables import Table, one_decimal, percentage
from .timeliness import WorkingDayCounter, summarise

CONDUCT_ACTIONS = [
    Action.WRITTEN_WARNING,
    Action.FINAL_WRITTEN_WARNING,
    Action.FINAL_WRITTEN_WARNING_EXTENDED,
    Action.REDUCTION_IN_RANK,
    Action.DISMISSAL,
    Action.WOULD_HAVE_BEEN_DISMISSED,
]


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


# --- tables ---------------------------------------------------------------------------------
def _by_case_type(cases: QuerySet[Case], allegations: QuerySet[Allegation]) -> dict:
    """Cases and their in-scope allegations per case type, as two plain GROUP BYs.

    Counting both from one join needed COUNT(DISTINCT ...), which PostgreSQL sorts: at national
    scale that sort spilled a few megabytes to temporary files on every statistics page.
    Counted apart, each row is counted once and the aggregate is a small hash."""
    found = {
        row["case_type"]: {"cases": row["n"], "allegations": 0}
        for row in cases.values("case_type").annotate(n=Count("id")).order_by()
    }
    for row in allegations.values("case__case_type").annotate(n=Count("id")).order_by():
        found.setdefault(row["case__case_type"], {"cases": 0, "allegations": 0})
        found[row["case__case_type"]]["allegations"] = row["n"]
    return found


def recorded_table(f: Filters) -> Table:
    """Cases and allegations recorded under Schedule 3 in the period, by case type."""
    cases = Case.objects.filter(
        f.case_scope(),
        handling=Handling.SCHEDULE_3,
        recorded_on__range=(f.period.start, f.period.end),
    )
    # A case is in scope when one of its allegations is: its in-scope allegations are the
    # recorded allegations in scope.
    found = _by_case_type(cases, f.recorded_allegations())
    table = Table(
        "recorded",
        "Cases and allegations recorded under Schedule 3",
        ["Case type", "Cases", "Allegations"],
    )
    for value, label in CaseType.choices:
        row = found.get(value, {"cases": 0, "allegations": 0})
        table.rows.append([label, row["cases"], row["allegations"]])
    table.total = ["Total", sum(r[1] for r in table.rows), sum(r[2] for r in table.rows)]
    return table


def outcome_table(f: Filters) -> Table:
    """Allegations finalised in the period, by outcome group, with the share of the total."""
    # Tallied here, not by GROUP BY: PostgreSQL cannot estimate how few groups the computed
    # key has, so it sorted every allegation's key to group them, and at national scale that
    # sort (62,000 rows for a year) spilled 2 MB to a temporary file on every statistics
    # request. Fetching the keys (a few bytes each) and counting them here avoids it.
    keys = (
        groups.with_outcome_group(f.finalised_allegations())
        .values_list("outcome_group", flat=True)
        .order_by()
    )
    counts = Counter(keys)
    total = sum(counts.values())
    table = Table(
        "outcomes",
        "Allegations finalised, by outcome group",
        ["Outcome group", "Allegations", "Percentage of total"],
    )
    for key in groups.ORDER:
        count = counts.get(key, 0)
        table.rows.append([groups.GROUPS[key].label, count, percentage(count, total)])
    table.total = ["Total", total, percentage(total, total)]
    return table


def category_table(f: Filters) -> Table:
    """Allegations recorded in the period by top-level category (sub-categories roll up)."""
    rows = (
        f.recorded_allegations()
        .annotate(
            group_name=Coalesce("category__parent__name", "category__name"),
            group_order=Coalesce("category__parent__order", "category__order"),
        )
        .values("group_name", "group_order")
        .annotate(allegations=Count("id"))
        .order_by("group_order", "group_name")
    )
    rows = list(rows)
    total = sum(row["allegations"] for row in rows)
    table = Table(
        "categories",
        "Allegations recorded, by category",
        ["Category", "Allegations", "Percentage of total"],
    )
    for row in rows:
        count = row["allegations"]
        table.rows.append([row["group_name"], count, percentage(count, total)])
    table.total = ["Total", total, percentage(total, total)]
    return table


def trend_table(f: Filters) -> Table:
    """Allegations recorded under Schedule 3 per calendar month of the period."""
    rows = (
        f.recorded_allegations()
        .annotate(month=TruncMonth("case__recorded_on"))
        .values("month")
        .annotate(allegations=Count("id"))
        .order_by("month")
    )
    counts = {_as_date(row["month"]): row["allegations"] for row in rows}
    table = Table("trend", "Allegations recorded per month", ["Month", "Allegations"])
    for month in f.period.months():
        table.rows.append([f"{month:%B %Y}", counts.get(month, 0)])
    table.total = ["Total", sum(counts.values())]
    return table


def _as_date(value) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value


def outside_table(f: Filters) -> Table:
    """Complaints handled outside Schedule 3 received in the period: never in the formal totals."""
    figures = Case.objects.filter(
        f.case_scope(),
        handling=Handling.OUTSIDE_SCHEDULE_3,
        received_on__range=(f.period.start, f.period.end),
    ).aggregate(cases=Count("id"), resolved=Count("id", filter=Q(state=State.FINALISED)))
    figures["allegations"] = (
        f.allegations()
        .filter(
            case__handling=Handling.OUTSIDE_SCHEDULE_3,
            case__received_on__range=(f.period.start, f.period.end),
        )
        .count()
    )
    table = Table(
        "outside_schedule_3",
        "Complaints handled outside Schedule 3",
        ["Measure", "Count"],
        note="Received in the period and handled outside Schedule 3 (PRA 2002 Sch 3 "
        "para 2(6A)). A complaint later recorded under Schedule 3 is counted in the formal "
        "figures instead.",
    )
    table.rows = [
        ["Complaints handled outside Schedule 3", figures["cases"]],
        ["Allegations in them", figures["allegations"]],
        ["Resolved", figures["resolved"]],
    ]
    return table


TIMELINESS_GROUPS = [
    (Handling.SCHEDULE_3, InvestigationMode.OTBI, "Schedule 3: otherwise than by investigation"),
    (Handling.SCHEDULE_3, InvestigationMode.LOCAL, "Schedule 3: local investigation"),
    (Handling.SCHEDULE_3, InvestigationMode.DIRECTED, "Schedule 3: directed investigation"),
    (Handling.SCHEDULE_3, InvestigationMode.INDEPENDENT, "Schedule 3: independent investigation"),
    (Handling.SCHEDULE_3, "", "Schedule 3: handling not recorded (closed early, or imported)"),
    (Handling.OUTSIDE_SCHEDULE_3, "", "Outside Schedule 3 (from receipt)"),
    (
        Handling.CONDUCT_REGULATIONS,
        "",
        "Conduct matters not recordable, under the Conduct Regulations (from receipt)",
    ),
]


def timeliness_table(f: Filters) -> Table:
    """Working and calendar days from recording (receipt, outside Schedule 3) to finalisation,
    per CASE finalised in the period, by handling type. One query for the date pairs, one for
    the administrator's extra non-working days; the arithmetic is in Python."""
    start, after = f.day_bounds()
    # The local date of finalisation is computed by the database (TruncDate in the current
    # time zone): converting tens of thousands of datetimes in Python cost most of the table.
    rows = (
        Case.objects.filter(f.case_scope(), finalised_at__gte=start, finalised_at__lt=after)
        .annotate(finalised_on=TruncDate("finalised_at"))
        .values_list("handling", "investigation_mode", "recorded_on", "received_on", "finalised_on")
    )
    pairs: dict[tuple, list] = {(h, m): [] for h, m, _ in TIMELINESS_GROUPS}
    for handling, mode, recorded_on, received_on, end in rows:
        if handling == Handling.SCHEDULE_3:
            key = (handling, mode if mode != InvestigationMode.NONE else "")
            begin = recorded_on or received_on
        elif handling == Handling.CONDUCT_REGULATIONS:
            key, begin = (handling, ""), received_on
        else:
            key, begin = (Handling.OUTSIDE_SCHEDULE_3, ""), received_on
        pairs.setdefault(key, []).append((begin, max(begin, end)))
    every = [pair for values in pairs.values() for pair in values]
    counter = None
    if every:
        first = min(begin for begin, _ in every)
        counter = WorkingDayCounter(WorkingCalendar.load(), first, max(e for _, e in every))
    table = Table(
        "timeliness",
        "Days from recording to finalisation",
        [
            "Handling",
            "Cases finalised",
            "Mean working days",
            "Median working days",
            "Mean calendar days",
            "Median calendar days",
        ],
        note="Per case finalised in the period. Working days exclude weekends, England & Wales "
        "bank holidays and the extra non-working days an administrator records.",
    )
    for handling, mode, label in TIMELINESS_GROUPS:
        s = summarise(pairs[(handling, mode)], counter)
        table.rows.append(
            [
                label,
                s["cases"],
                one_decimal(s["mean_working"]),
                one_decimal(s["median_working"]),
                one_decimal(s["mean_calendar"]),
                one_decimal(s["median_calendar"]),
            ]
        )
    overall = summarise(
        [p for (h, _), values in pairs.items() if h == Handling.SCHEDULE_3 for p in values],
        counter,
    )
    table.total = [
        "All Schedule 3 cases",
        overall["cases"],
        one_decimal(overall["mean_working"]),
        one_decimal(overall["median_working"]),
        one_decimal(overall["mean_calendar"]),
        one_decimal(overall["median_calendar"]),
    ]
    return table


def referral_table(f: Filters) -> Table:
    """IOPC referrals made in the period, by the IOPC's mode of investigation."""
    referrals = IOPCReferral.objects.filter(referred_on__range=(f.period.start, f.period.end))
    if f.scope.case_type or not f.scope.is_everything:
        referrals = referrals.filter(case__in=Case.objects.filter(f.case_scope()).values("pk"))
    rows = referrals.values("mode").annotate(referrals=Count("id")).order_by()
    counts = {row["mode"]: row["referrals"] for row in rows}
    table = Table("referrals", "IOPC referrals, by mode of investigation", ["Mode", "Referrals"])
    modes = [m for m in InvestigationMode.choices if m[0] != InvestigationMode.OTBI]
    for value, label in [*modes, ("", "Awaiting the IOPC's decision")]:
        table.rows.append([label, counts.get(value, 0)])
    table.total = ["Total", sum(counts.values())]
    return table


def conduct_table(f: Filters) -> Table:
    """Disciplinary outcomes approved and taking effect in the period (CR 2020 reg 42)."""
    outcomes = Outcome.objects.filter(
        status=OutcomeStatus.APPROVED,
        action__in=CONDUCT_ACTIONS,
        effective_on__range=(f.period.start, f.period.end),
        **f.subjects("track__person"),
    )
    if f.scope.case_type:
        outcomes = outcomes.filter(allegation__case__case_type=f.scope.case_type)
    rows = (
        outcomes.values("action")
        .annotate(subjects=Count("track", distinct=True), allegations=Count("allegation"))
        .order_by()
    )
    found = {row["action"]: row for row in rows}
    table = Table(
        "conduct_outcomes",
        "Conduct outcomes",
        ["Outcome", "Subjects", "Allegations"],
        note="Approved outcomes taking effect in the period. A subject is counted once per case "
        "for each outcome they received.",
    )
    for action in CONDUCT_ACTIONS:
        row = found.get(action, {"subjects": 0, "allegations": 0})
        table.rows.append([Action(action).label, row["subjects"], row["allegations"]])
    table.total = ["Total", sum(r[1] for r in table.rows), sum(r[2] for r in table.rows)]
    return table


def barred_table(f: Filters) -> Table:
    """Barred list entries for dismissals in the period (Barred List Regs 2017 reg 3)."""
    entries = BarredListEntry.objects.filter(
        event_date__range=(f.period.start, f.period.end), **f.subjects()
    )
    if f.scope.case_type:
        entries = entries.filter(case__case_type=f.scope.case_type)
    rows = entries.values("status").annotate(entries=Count("id")).order_by()
    counts = {row["status"]: row["entries"] for row in rows}
    table = Table(
        "barred_list",
        "Barred list entries",
        ["Status", "Entries"],
        note="Entries whose dismissal (or 'would have been dismissed' finding) fell in the period.",
    )
    for value, label in ListStatus.choices:
        table.rows.append([label, counts.get(value, 0)])
    table.total = ["Total", sum(counts.values())]
    return table


TABLES = {
    "recorded": recorded_table,
    "outcomes": outcome_table,
    "categories": category_table,
    "trend": trend_table,
    "outside_schedule_3": outside_table,
    "timeliness": timeliness_table,
    "referrals": referral_table,
    "conduct_outcomes": conduct_table,
    "barred_list": barred_table,
}


def statistics_tables(*, period: Period, scope: Scope) -> dict[str, Table]:
    """Every table of the statistics page, in page order (a dozen queries in all, whatever
    the number of rows)."""
    filters = Filters(period=period, scope=scope)
    return {name: build(filters) for name, build in TABLES.items()}


def statistics_table(*, period: Period, scope: Scope, name: str) -> Table:
    """One table by name (KeyError for an unknown name)."""
    return TABLES[name](Filters(period=period, scope=scope))
