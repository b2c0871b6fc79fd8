"""The benchmark's pages and in-process figures (imported by bench/run.py once Django is set
up); bench/http.py requests the same pages over HTTP.

In-process, each page is requested through the whole middleware stack (``django.test.Client``
with a signed-in, two-factor verified session, under bench/settings.py): the server's time
without the network. Its queries are every statement the request sent, the session and the
audit context included. Each figure is paired with what it is compared to, measured in the
same run on the same data:

- a baseline, what a competent engineer would write with stock Django (bench/urls.py): the
  admin changelist for ``Case`` with its related rows joined and no full-table COUNT (OFFSET
  paging), its change form, and a prefix-search admin for personnel;
- a floor, hand-written minimal SQL computing the same answer (the rows the page shows), run
  alone: what the database must do at the least. Not a replay of the page's own statements.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import Client
from django.urls import reverse

from accounts.models import Person
from api.services import token_rotate
from cases.models import AllegationSubject, Case
from datagen.models import GeneratedDataset
from deadlines import sweep as deadline_sweep
from psd.roles import Role
from stats import snapshots
from stats.periods import Scope, financial_year, financial_year_of
from stats.selectors import TABLES, Filters, statistics_tables
from vetting import sweep as vetting_sweep

from .run import Figure, measure, rolled_back
from .soak import session_for
from .urls import PAGE

GROUPS = ("list", "case", "search", "statistics", "api", "sweeps")


@dataclass(frozen=True)
class Page:
    """One page as a user requests it: ``who`` names the session (or API token) used."""

    name: str
    path: str
    params: dict = field(default_factory=dict)
    who: str = "head"
    group: str = "list"

    @property
    def url(self) -> str:
        return self.path + (f"?{urlencode(self.params)}" if self.params else "")


@dataclass
class Comparison:
    page: Page
    baseline: Page | None = None
    floor: object | None = None  # a function running the hand-written SQL
    floor_name: str = ""


@dataclass
class Plan:
    """Every page measured, who requests it, and the credentials of each ``who``."""

    comparisons: list[Comparison]
    sessions: dict[str, str]  # who -> session key
    tokens: dict[str, str]  # who -> API token
    anchor: datetime.date
    rows: dict


def _user(username: str):
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, is_superuser=True, is_staff=True)
        user.set_unusable_password()
        user.save()
    return user


def _deep_cursor(offset: int) -> str:
    received_on, pk = Case.objects.order_by("-received_on", "-id").values_list("received_on", "id")[
        offset
    ]
    return f"{received_on.isoformat()}.{pk}"


def _fetch(sql: str, params: list) -> list:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


# --- floors: hand-written SQL for the same answer --------------------------------------------

_NEXT_DEADLINE = (
    "(SELECT json_build_object('kind', k.name, 'due', d.due_date) FROM deadlines_deadline d "
    "JOIN deadlines_deadlinekind k ON k.id = d.kind_id WHERE d.status = 'open' "
    "AND d.content_type_id = %s AND d.object_id = c.id ORDER BY d.due_date, d.id LIMIT 1)"
)
# Module constants only: every value is a bound parameter (S608/B608 markers below).
_ROW = (
    "SELECT c.id, c.reference, c.case_type, c.state, c.received_on, u.first_name, u.last_name, "  # noqa: S608  # nosec B608
    f"u.username, left(c.summary, 141), {_NEXT_DEADLINE} FROM cases_case c "
    "LEFT JOIN accounts_user u ON u.id = c.investigator_id "
)
# The viewer is never shown a case they are a subject or complainant of.
_NOT_PARTY = (
    "NOT EXISTS (SELECT 1 FROM cases_allegationsubject s JOIN cases_allegation a "
    "ON a.id = s.allegation_id JOIN accounts_person p ON p.id = s.person_id "
    "WHERE a.case_id = c.id AND p.user_id = %s) AND NOT EXISTS (SELECT 1 FROM "
    "cases_complainant m JOIN accounts_person p ON p.id = m.person_id "
    "WHERE m.case_id = c.id AND p.user_id = %s)"
)
_ORDER = " ORDER BY c.received_on DESC, c.id DESC LIMIT 26"
_FTS = (
    "to_tsvector('english'::regconfig, COALESCE({}, '')) "
    "@@ websearch_to_tsquery('english'::regconfig, %s)"
)


def _with_subjects(rows: list) -> list:
    ids = [row[0] for row in rows]
    subjects = _fetch(
        "SELECT a.case_id, p.forename, p.surname FROM cases_allegationsubject s "
        "JOIN cases_allegation a ON a.id = s.allegation_id "
        "JOIN accounts_person p ON p.id = s.person_id WHERE a.case_id = ANY(%s)",
        [ids],
    )
    return [rows, subjects]


def list_floor(viewer_id: int, cursor: tuple | None = None):
    """The case list's page: 26 rows in keyset order with investigator, snippet and next
    deadline, then the page's subjects."""
    ct = ContentType.objects.get_for_model(Case).pk

    def run():
        where, params = f"WHERE {_NOT_PARTY}", [ct, viewer_id, viewer_id]
        if cursor:
            where += " AND (c.received_on, c.id) < (%s, %s)"
            params += list(cursor)
        return _with_subjects(_fetch(_ROW + where + _ORDER, params))

    return run


def reference_floor(viewer_id: int, reference: str):
    ct = ContentType.objects.get_for_model(Case).pk
    sql = _ROW + f"WHERE c.reference = %s AND {_NOT_PARTY}"
    return lambda: _with_subjects(_fetch(sql, [ct, reference, viewer_id, viewer_id]))


def words_floor(viewer_id: int, words: str):
    """Cases whose summary or an allegation's summary has the words (the GIN indexes)."""
    ct = ContentType.objects.get_for_model(Case).pk
    matching = (
        f"SELECT id FROM cases_case WHERE {_FTS.format('summary')} UNION "  # noqa: S608  # nosec B608
        f"SELECT case_id FROM cases_allegation WHERE {_FTS.format('summary')}"
    )
    sql = _ROW + f"WHERE c.id IN ({matching}) AND {_NOT_PARTY}" + _ORDER
    return lambda: _with_subjects(_fetch(sql, [ct, words, words, viewer_id, viewer_id]))


def surname_cases_floor(viewer_id: int, prefix: str):
    """Cases with a subject whose surname starts with ``prefix`` (the prefix index)."""
    ct = ContentType.objects.get_for_model(Case).pk
    matching = (
        "SELECT a.case_id FROM cases_allegationsubject s JOIN cases_allegation a "
        "ON a.id = s.allegation_id JOIN accounts_person p ON p.id = s.person_id "
        "WHERE upper(p.surname) LIKE %s"
    )
    sql = _ROW + f"WHERE c.id IN ({matching}) AND {_NOT_PARTY}" + _ORDER
    pattern = prefix.upper() + "%"
    return lambda: _with_subjects(_fetch(sql, [ct, pattern, viewer_id, viewer_id]))


def person_floor(prefix: str):
    """The personnel page: 50 people by surname or number prefix, with force and rank, and
    how many match (its pagination)."""
    pattern = prefix.upper() + "%"
    where = "WHERE upper(p.surname) LIKE %s OR upper(p.number) LIKE %s"

    def run():
        rows = _fetch(
            "SELECT p.id, p.forename, p.surname, p.number, f.name, r.name FROM accounts_person p "  # noqa: S608  # nosec B608
            "JOIN accounts_force f ON f.id = p.force_id LEFT JOIN accounts_rank r "
            f"ON r.id = p.rank_id {where} ORDER BY p.surname, p.forename, p.id LIMIT 50",
            [pattern, pattern],
        )
        count = f"SELECT count(*) FROM accounts_person p {where}"  # noqa: S608  # nosec B608
        return rows, _fetch(count, [pattern, pattern])

    return run


def _floor_recorded(start, end):
    return _fetch(
        "SELECT c.case_type, count(DISTINCT c.id), count(a.id) FROM cases_case c "
        "LEFT JOIN cases_allegation a ON a.case_id = c.id "
        "WHERE c.handling = 'sch3' AND c.recorded_on BETWEEN %s AND %s "
        "GROUP BY c.case_type ORDER BY c.case_type",
        [start, end],
    )


def _floor_categories(start, end):
    return _fetch(
        'SELECT coalesce(p.name, g.name), coalesce(p."order", g."order"), count(*) '
        "FROM cases_allegation a JOIN cases_case c ON c.id = a.case_id "
        "JOIN cases_allegationcategory g ON g.id = a.category_id "
        "LEFT JOIN cases_allegationcategory p ON p.id = g.parent_id "
        "WHERE c.handling = 'sch3' AND c.recorded_on BETWEEN %s AND %s "
        "GROUP BY 1, 2 ORDER BY 2, 1",
        [start, end],
    )


def _floor_trend(start, end):
    return _fetch(
        "SELECT date_trunc('month', c.recorded_on), count(*) FROM cases_allegation a "
        "JOIN cases_case c ON c.id = a.case_id "
        "WHERE c.handling = 'sch3' AND c.recorded_on BETWEEN %s AND %s GROUP BY 1 ORDER BY 1",
        [start, end],
    )


FLOORS = {"recorded": _floor_recorded, "categories": _floor_categories, "trend": _floor_trend}


def check_floors_agree(filters: Filters) -> None:
    """The hand-written SQL computes the same figures as the page's tables."""
    start, end = filters.period.start, filters.period.end
    recorded = {row[0]: (row[1], row[2]) for row in _floor_recorded(start, end)}
    table = TABLES["recorded"](filters)
    assert table.total[1] == sum(v[0] for v in recorded.values()), "recorded cases differ"
    assert table.total[2] == sum(v[1] for v in recorded.values()), "recorded allegations differ"
    categories = _floor_categories(start, end)
    assert TABLES["categories"](filters).total[1] == sum(r[2] for r in categories)
    assert TABLES["trend"](filters).total[1] == sum(r[1] for r in _floor_trend(start, end))


# --- the plan: which pages, as whom ----------------------------------------------------------


def _search_terms(today: datetime.date) -> dict[str, str]:
    """A reference, a common and a rare subject surname, words in many summaries and words in
    none (the worst case for a list that walks its index)."""
    reference = Case.objects.order_by("-pk").values_list("reference", flat=True).first()
    surnames = (
        AllegationSubject.objects.values_list("person__surname", flat=True)
        .order_by("person__surname")
        .distinct()
    )
    names = list(surnames[:2000])
    counted = dict.fromkeys(names, 0)
    for name in Person.objects.filter(surname__in=names).values_list("surname", flat=True):
        counted[name] += 1
    common = max(counted, key=counted.get) if counted else "Smith"
    rare = min(counted, key=counted.get) if counted else "Zz"
    return {
        "reference": reference or "PSD-2026-000001",
        "common surname": common,
        "rare surname": rare,
        "common words": "vehicle search",
        "words in no summary": "Market Street",
    }


def build_plan() -> Plan:
    dataset = GeneratedDataset.objects.order_by("-id").first()
    if dataset is None:
        raise SystemExit("no generated dataset in this database")
    User = get_user_model()
    head = (
        User.objects.filter(groups__name=Role.APPROPRIATE_AUTHORITY.label)
        .filter(username__startswith="gen.")
        .order_by("pk")
        .first()
    )
    investigator = User.objects.filter(username__startswith="gen.inv.").order_by("pk").first()
    superuser = _user("bench.superuser")
    n_cases = Case.objects.count()
    deep_page = max(0, n_cases // 2) // PAGE
    cursor = _deep_cursor(deep_page * PAGE - 1) if deep_page else ""
    cursor_values = None
    if cursor:
        day, pk = cursor.split(".")
        cursor_values = (datetime.date.fromisoformat(day), int(pk))
    list_url = reverse("cases:list")
    admin_cases = reverse("bench_admin:cases_case_changelist")
    big = (
        Case.objects.filter(state="finalised", allegations__number=5).order_by("-pk").first()
        or Case.objects.order_by("-pk").first()
    )
    terms = _search_terms(dataset.anchor)
    year = financial_year_of(dataset.anchor) - 1
    stats_who = "head" if head.has_perm("stats.view_statistics") else "admin"
    people_url = reverse("accounts:person_list")
    admin_people = reverse("bench_admin:accounts_person_changelist")
    search_url = reverse("search")
    c = Comparison
    comparisons = [
        c(
            Page("case list, first page (view-all user)", list_url),
            Page("admin changelist, first page (tuned)", admin_cases, who="admin"),
            list_floor(head.pk),
            "hand-written SQL, first page",
        ),
        c(
            Page(f"case list, page {deep_page + 1:,} (keyset)", list_url, {"after": cursor}),
            Page(
                f"admin changelist, page {deep_page + 1:,} (OFFSET)",
                admin_cases,
                {"p": deep_page + 1},
                who="admin",
            ),
            list_floor(head.pk, cursor_values),
            "hand-written SQL, keyset page",
        ),
        c(Page("case list, first page (team investigator)", list_url, who="investigator")),
        c(
            Page(
                f"case page ({big.allegations.count()} allegations)",
                big.get_absolute_url(),
                group="case",
            ),  # fmt: skip
            Page(
                "admin change form",
                reverse("bench_admin:cases_case_change", args=[big.pk]),
                who="admin",
                group="case",
            ),
        ),
        c(
            Page('personnel search "Smi"', people_url, {"q": "Smi"}, group="search"),
            Page('admin prefix search "Smi"', admin_people, {"q": "Smi"}, "admin", "search"),
            person_floor("Smi"),
            "hand-written SQL, 50 people and the count",
        ),
        c(
            Page("search: reference", search_url, {"q": terms["reference"]}, group="search"),
            None,
            reference_floor(head.pk, terms["reference"]),
            "hand-written SQL, by the unique index",
        ),
        c(
            Page("case list ?q=reference", list_url, {"q": terms["reference"]}, group="search"),
        ),
    ]
    searches = (
        ("common surname", surname_cases_floor, "hand-written SQL, subjects by surname prefix"),
        ("rare surname", surname_cases_floor, "hand-written SQL, subjects by surname prefix"),
        ("common words", words_floor, "hand-written SQL, full-text union"),
        ("words in no summary", words_floor, "hand-written SQL, full-text union"),
    )
    for label, floor, floor_name in searches:
        term = terms[label]
        page = Page(f'search: {label} "{term}"', search_url, {"q": term}, group="search")
        comparisons.append(c(page, None, floor(head.pk, term), floor_name))
    # What users get is the beat task's stored snapshot ("figures as of"); ?live=1 counts every
    # table now, as any other scope or period does.
    snapshots.snapshot_refresh(today=dataset.anchor)
    comparisons += [
        c(
            Page(
                f"statistics page {financial_year(year).label}{label}",
                reverse("stats:statistics"),
                {"year": str(year), **params},
                who=stats_who,
                group="statistics",
            )
        )
        for label, params in (("", {}), (", counted live", {"live": "1"}))
    ]
    comparisons += [
        c(Page("API cases, 25", "/api/cases/", {"page_size": "25"}, "api", "api")),
    ]
    sessions = {
        "head": session_for(head),
        "investigator": session_for(investigator),
        "admin": session_for(superuser),
    }
    return Plan(
        comparisons=comparisons,
        sessions=sessions,
        tokens={"api": token_rotate(user=head).key},
        anchor=dataset.anchor,
        rows={"cases": n_cases, "people": Person.objects.count()},
    )


# --- in-process --------------------------------------------------------------------------------


class Caller:
    """Requests a page in-process through the whole middleware stack, as ``who``."""

    def __init__(self, plan: Plan):
        from django.conf import settings

        self.clients: dict[str, Client] = {}
        for who, key in plan.sessions.items():
            client = Client(HTTP_HOST="127.0.0.1")
            client.cookies[settings.SESSION_COOKIE_NAME] = key
            self.clients[who] = client
        for who, token in plan.tokens.items():
            self.clients[who] = Client(HTTP_HOST="127.0.0.1", HTTP_AUTHORIZATION=f"Token {token}")

    def get(self, page: Page):
        response = self.clients[page.who].get(page.path, page.params)
        if response.status_code != 200:
            raise RuntimeError(f"{page.url} answered {response.status_code}")
        return response


def run_all(runs: int, sweep_runs: int, only: tuple[str, ...] = (), plan: Plan | None = None):
    """Every in-process figure, or only those of the ``only`` groups (see ``GROUPS``)."""

    def want(group: str) -> bool:
        return not only or group in only

    plan = plan or build_plan()
    caller = Caller(plan)
    figures: list[tuple[Figure, Figure | None, Figure | None]] = []
    for comparison in plan.comparisons:
        page = comparison.page
        if not want(page.group):
            continue
        page_runs = max(5, runs // 2) if page.group == "statistics" else runs
        figure = measure(page.name, lambda p=page: caller.get(p), page_runs)
        base = None
        if comparison.baseline is not None:
            b = comparison.baseline
            base_runs = max(3, runs // 4) if "OFFSET" in b.name else runs
            base = measure(b.name, lambda p=b: caller.get(p), base_runs)
        floor = None
        if comparison.floor is not None:
            floor = measure(comparison.floor_name, comparison.floor, runs)
        figures.append((figure, base, floor))
    orm_total: list[float] = []
    floor_total: list[float] = []
    if want("statistics"):
        year = financial_year_of(plan.anchor) - 1
        period = financial_year(year)
        filters = Filters(period=period, scope=Scope())
        check_floors_agree(filters)
        figures.append(
            (
                measure(
                    "statistics tables (selectors only)",
                    lambda: statistics_tables(period=period, scope=Scope()),
                    max(5, runs // 2),
                ),
                None,
                None,
            )
        )
        for name, floor in FLOORS.items():
            orm = measure(f"statistics table '{name}'", lambda n=name: TABLES[n](filters), runs)
            sql = measure(
                "hand-written SQL (floor)", lambda f=floor: f(period.start, period.end), runs
            )
            figures.append((orm, None, sql))
            orm_total.append(orm.median)
            floor_total.append(sql.median)
    if want("sweeps"):
        figures += _sweeps(plan.anchor, runs, sweep_runs)
    return {
        "rows": plan.rows,
        "figures": [
            {
                "name": fig.name,
                **fig.as_dict(),
                "baseline": None if base is None else {"name": base.name, **base.as_dict()},
                "floor": None if floor is None else {"name": floor.name, **floor.as_dict()},
            }
            for fig, base, floor in figures
        ],
        "statistics_ratio": (round(sum(orm_total) / sum(floor_total), 2) if floor_total else None),
    }


def _sweeps(today: datetime.date, runs: int, sweep_runs: int) -> list:
    """Sweeps over every open item, rolled back after each run, beside a count of their rows."""
    due_sql = (
        "SELECT count(*) FROM deadlines_deadline WHERE status = 'open' AND next_alert_on <= %s"
    )
    expiring_sql = (
        "SELECT count(*) FROM vetting_clearance WHERE status IN ('active', 'suspended') "
        "AND expires_on < %s"
    )
    due = _count(due_sql, [today])
    expiring = _count(expiring_sql, [today])
    reminders = _count(
        "SELECT count(*) FROM deadlines_deadline d JOIN deadlines_deadlinekind k "
        "ON k.id = d.kind_id WHERE k.code = 'revetting_due' AND d.status = 'open' "
        "AND d.due_date <= %s",
        [today + datetime.timedelta(days=90)],
    )
    deadline = measure(
        f"deadline sweep (claim {due:,} due deadlines)",
        rolled_back(lambda: deadline_sweep.alert_deadlines(today=today, max_batches=10**9)),
        sweep_runs,
        warmup=0,
    )
    vetting = measure(
        f"re-vetting sweep ({expiring:,} to expire, {reminders:,} re-vettings due)",
        rolled_back(lambda: vetting_sweep.run_sweep(today=today)),
        sweep_runs,
        warmup=0,
    )
    due_floor = measure("SQL count of the due rows", lambda: _count(due_sql, [today]), runs)
    expiring_floor = measure(
        "SQL count of clearances to expire", lambda: _count(expiring_sql, [today]), runs
    )
    return [(deadline, None, due_floor), (vetting, None, expiring_floor)]


def _count(sql: str, params: list) -> int:
    return _fetch(sql, params)[0][0]


def format_report(report: dict) -> str:
    scale = report["scale"]
    lines = [
        f"Scale: {scale['allegations']:,} allegations, {scale['people']:,} people "
        f"(seed {scale['seed']}); {report['rows']['cases']:,} cases",
        f"Machine: {report['machine']['cpus']} CPUs, Python {report['machine']['python']}, "
        f"{report['machine']['date']}, load average {report['machine'].get('load', '?')}",
        "",
        "In-process (django.test.Client, whole middleware stack, signed-in verified session)",
        f"{'figure':<58} {'median ms':>10} {'p95 ms':>9} {'queries':>8} {'ratio':>14}",
    ]
    for fig in report["figures"]:
        lines.append(_line(fig, ""))
        for kind, label in (("baseline", "x faster"), ("floor", "x the floor")):
            other = fig.get(kind)
            if not other:
                continue
            if kind == "baseline":
                ratio = other["median_ms"] / max(fig["median_ms"], 1e-9)
            else:
                ratio = fig["median_ms"] / max(other["median_ms"], 1e-9)
            lines.append(_line(other, "  ", f"{ratio:.1f}{label}"))
    lines.append("")
    if report["statistics_ratio"] is not None:
        lines.append(
            f"Statistics tables with a hand-written floor: {report['statistics_ratio']}x the floor"
        )
    lines.append(f"Measured in {report['seconds']} s")
    return "\n".join(lines)


def _line(fig: dict, indent: str, ratio: str = "") -> str:
    name = indent + fig["name"]
    return (
        f"{name:<58} {fig['median_ms']:>10.1f} {fig['p95_ms']:>9.1f} {fig['queries']:>8} "
        f"{ratio:>14}"
    )
