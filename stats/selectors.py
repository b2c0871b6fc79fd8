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

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Coalesce, TruncDate, TruncMonth

from cases import models as case_models
from cases.models import (
    Action,
    Allegation,
    AllegationCategory,
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
from psd.rules import counting

from . import groups
from .categories import NOT_RECORDED
from .categories import PUBLISHED as CATEGORY_SOURCE
from .filters import Filters
from .misconduct import misconduct_table
from .periods import Period, Scope
from .tables import Table, one_decimal, percentage
from .timeliness import ONE_DAY, Span, WorkingDayCounter, summarise

# Suspension periods of an investigation (cases.models.Suspension, issue 19 item 6): their
# days are left out of timeliness.
Suspension = case_models.Suspension

CONDUCT_ACTIONS = [
    Action.WRITTEN_WARNING,
    Action.FINAL_WRITTEN_WARNING,
    Action.FINAL_WRITTEN_WARNING_EXTENDED,
    Action.REDUCTION_IN_RANK,
    Action.DISMISSAL,
    Action.WOULD_HAVE_BEEN_DISMISSED,
]


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
        ["Outcome", "Number of allegations", "Percentage of allegations"],
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
        ["Allegation category", "Number of allegations", "Percentage of allegations"],
    )
    for row in rows:
        count = row["allegations"]
        table.rows.append([row["group_name"], count, percentage(count, total)])
    table.total = ["Total", total, percentage(total, total)]
    return table


def subcategory_table(f: Filters) -> Table:
    """Allegations recorded in the period by category and subcategory: every active
    subcategory has its row (zero when none), in the published order; allegations recorded
    against a top-level category that has subcategories are "No subcategory recorded"."""
    counts = dict(
        f.recorded_allegations()
        .values("category")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("category", "n")
    )
    categories = list(AllegationCategory.objects.order_by("order", "name", "pk"))
    children: dict[int, list] = {}
    for category in categories:
        if category.parent_id is not None and (category.active or counts.get(category.pk)):
            children.setdefault(category.parent_id, []).append(category)
    total = sum(counts.values())
    table = Table(
        "subcategories",
        "Allegations recorded, by category and subcategory",
        [
            # The IOPC's headings (2024/25 Table 18); the count columns are this table's own.
            "Allegation category",
            "Allegation subcategory",
            "Number of allegations",
            "Percentage of allegations",
        ],
    )
    for top in (c for c in categories if c.parent_id is None):
        own = counts.get(top.pk, 0)
        if not children.get(top.pk):
            if top.active or own:
                table.rows.append([top.name, "", own, percentage(own, total)])
            continue
        for child in children[top.pk]:
            count = counts.get(child.pk, 0)
            table.rows.append([top.name, child.name, count, percentage(count, total)])
        if own:
            table.rows.append([top.name, NOT_RECORDED, own, percentage(own, total)])
    table.total = ["Total", "", total, percentage(total, total)]
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
    (Handling.OUTSIDE_SCHEDULE_3, "", "Outside Schedule 3"),
    (
        Handling.CONDUCT_REGULATIONS,
        "",
        "Conduct matters not recordable, under the Conduct Regulations",
    ),
]


def _suspensions(cases: QuerySet[Case]) -> dict[int, list]:
    """Each case's suspension periods, (started_on, ended_on or None), in one query."""
    found: dict[int, list] = {}
    periods = Suspension.objects.filter(case__in=cases.values("pk")).values_list(
        "case_id", "started_on", "ended_on"
    )
    for case_id, started_on, ended_on in periods.order_by():
        found.setdefault(case_id, []).append((started_on, ended_on))
    return found


def timeliness_table(f: Filters) -> Table:
    """Working and calendar days from receipt to finalisation, with and without suspensions,
    per CASE finalised in the period, by handling type. One query for the date pairs, one for
    the suspension periods, one for the administrator's extra non-working days; the
    arithmetic is in Python (stats.timeliness)."""
    start, after = f.day_bounds()
    cases = Case.objects.filter(f.case_scope(), finalised_at__gte=start, finalised_at__lt=after)
    # The local date of finalisation is computed by the database (TruncDate in the current
    # time zone): converting tens of thousands of datetimes in Python cost most of the table.
    rows = cases.annotate(finalised_on=TruncDate("finalised_at")).values_list(
        "pk", "handling", "investigation_mode", "received_on", "finalised_on"
    )
    rows = list(rows)
    suspended = _suspensions(cases) if rows else {}
    spans: dict[tuple, list] = {(h, m): [] for h, m, _ in TIMELINESS_GROUPS}
    for pk, handling, mode, received_on, end in rows:
        if handling == Handling.SCHEDULE_3:
            key = (handling, mode if mode != InvestigationMode.NONE else "")
        elif handling == Handling.CONDUCT_REGULATIONS:
            key = (handling, "")
        else:
            key = (Handling.OUTSIDE_SCHEDULE_3, "")
        span = Span(received_on, max(received_on, end), tuple(suspended.get(pk, ())))
        spans.setdefault(key, []).append(span)
    every = [span for values in spans.values() for span in values]
    counter = None
    if every:
        first = min(span.start for span in every) - ONE_DAY
        counter = WorkingDayCounter(WorkingCalendar.load(), first, max(s.end for s in every))
    table = Table(
        "timeliness",
        "Days from receipt to finalisation",
        [
            # The IOPC's two averages (2024/25 timeliness table: "Average number of days to
            # finalise ... (inc suspension)" and "(exc suspension)"), then the medians and
            # calendar days, suspensions left out.
            "Handling",
            "Cases finalised",
            "Average number of working days to finalise (inc suspension)",
            "Average number of working days to finalise (exc suspension)",
            "Median working days (exc suspension)",
            "Average calendar days (exc suspension)",
            "Median calendar days (exc suspension)",
        ],
        note="Per case finalised in the period, from the day the complaint was made (or the "
        "conduct matter came to attention) to the day it was finalised. 'Exc suspension' "
        "leaves out the days an investigation was suspended. Working days exclude weekends, "
        "England & Wales bank holidays and the extra non-working days an administrator "
        "records.",
    )
    for handling, mode, label in TIMELINESS_GROUPS:
        table.rows.append([label, *_timeliness_cells(summarise(spans[(handling, mode)], counter))])
    overall = summarise(
        [s for (h, _), values in spans.items() if h == Handling.SCHEDULE_3 for s in values],
        counter,
    )
    table.total = ["All Schedule 3 cases", *_timeliness_cells(overall)]
    return table


def _timeliness_cells(s: dict) -> list:
    return [
        s["cases"],
        one_decimal(s["mean_working_inc"]),
        one_decimal(s["mean_working"]),
        one_decimal(s["median_working"]),
        one_decimal(s["mean_calendar"]),
        one_decimal(s["median_calendar"]),
    ]


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
    "subcategories": subcategory_table,
    "trend": trend_table,
    "outside_schedule_3": outside_table,
    "timeliness": timeliness_table,
    "referrals": referral_table,
    "conduct_outcomes": conduct_table,
    "misconduct_proceedings": misconduct_table,
    "barred_list": barred_table,
}

# --- How each table counts, and the published table it follows (the rule register) ----------
IOPC_STATISTICS = "IOPC, Police complaints: statistics for England and Wales 2023/24"
IOPC_2024_25 = "IOPC, Police complaints: statistics for England and Wales 2024/25"
HOME_OFFICE = "Home Office, Police misconduct, England and Wales: year ending 31 March 2024"
counting(
    "outcomes",
    "Allegations finalised are counted once each, in the most serious outcome group among "
    "their approved outcomes; 'service not acceptable' is its own group, and proceedings are "
    "split by forum (meeting, hearing, accelerated hearing) and finding level (misconduct, "
    "gross misconduct, not proven).",
    f"{IOPC_STATISTICS} (outcomes of allegations); {HOME_OFFICE} (proceedings type and "
    "finding level); C&M Regs 2020 reg 33; CR 2020 reg 42",
    where=outcome_table,
)
counting(
    "subcategories",
    "Allegations recorded under Schedule 3 in the period are counted by the IOPC category and "
    "subcategory the allegation records, under the IOPC's published names and parents (eleven "
    "categories); an allegation recorded against a category that has subcategories is 'No "
    "subcategory recorded', the published row. The IOPC's own tables count the allegations "
    "logged, or those finalised under Schedule 3: this table is the Schedule 3 recorded part.",
    f"{CATEGORY_SOURCE} (category and subcategory names, parents, order and the 'No "
    "subcategory recorded' row; 'Allegation category' and 'Allegation subcategory' headings)",
    verified=True,
    where=subcategory_table,
)
counting(
    "misconduct_proceedings",
    "Individuals (one subject in one case), not allegations, at misconduct proceedings in "
    "cases finalised in the period, by proceedings type, finding level and disciplinary "
    "action, police officers (with special constables) apart from police staff (with "
    "PCSOs); designated volunteers, being neither, are not counted.",
    f"{HOME_OFFICE}, introduction and key findings (individuals; officers with special "
    "constables, staff with PCSOs; meeting, hearing, accelerated hearing; finding level). "
    "The data tables' column headings were not read: the template's exact headings are not "
    "confirmed",
    verified=True,
    where=misconduct_table,
)
counting(
    "timeliness",
    "Timeliness is counted per case finalised in the period, in working and calendar days "
    "from the day the complaint was made (or the conduct matter came to attention) to the "
    "day it was finalised: the average working days with the days the investigation was "
    "suspended counted and with them left out, as the IOPC publishes both, and the medians "
    "and calendar days with them left out.",
    f"{IOPC_2024_25}, timeliness table ('Average number of days to finalise' outside "
    "Schedule 3, and under it '(inc suspension)' and '(exc suspension)'); Home Office answer "
    "to PQ HL8904 (2025: working days to finalise complaint cases). The start date the IOPC "
    "counts from (complaint made, logged or recorded) was not found",
    where=timeliness_table,
)


def statistics_tables(*, period: Period, scope: Scope) -> dict[str, Table]:
    """Every table of the statistics page, in page order (a dozen queries in all, whatever
    the number of rows)."""
    filters = Filters(period=period, scope=scope)
    return {name: build(filters) for name, build in TABLES.items()}


def statistics_table(*, period: Period, scope: Scope, name: str) -> Table:
    """One table by name (KeyError for an unknown name)."""
    return TABLES[name](Filters(period=period, scope=scope))
