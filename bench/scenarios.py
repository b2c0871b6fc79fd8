"""The benchmark's scenarios (imported by bench/run.py once Django is set up).

Each figure is paired with a baseline timed in the same run on the same data:

- case list (first and deep page): the Django admin changelist for ``Case`` (OFFSET paging
  and a COUNT), registered on a throwaway ``AdminSite`` here only: cases are deliberately not
  in the production admin;
- case page: the same throwaway admin's change form for the case;
- personnel search: the admin changelist searching ``surname`` (``icontains``);
- statistics: hand-written SQL computing the same tables (the floor);
- sweeps: one SQL count of the rows they work through (the floor).
"""

from __future__ import annotations

import datetime

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import include, path, resolve, reverse, set_urlconf

from accounts.models import Person
from cases.models import Case
from datagen.models import GeneratedDataset
from deadlines import sweep as deadline_sweep
from psd.roles import Role
from stats import snapshots
from stats.periods import Scope, financial_year, financial_year_of
from stats.selectors import TABLES, Filters, statistics_tables
from vetting import sweep as vetting_sweep

from .run import Figure, measure, rolled_back

PAGE = 25


class CaseAdmin(admin.ModelAdmin):
    list_display = ("reference", "case_type", "state", "received_on", "investigator", "team")
    list_per_page = PAGE
    # As any admin of a big table would be configured: no <select> of 675,000 cases.
    raw_id_fields = ("investigator", "supervisor", "team", "linked_case", "created_by")


class PersonAdmin(admin.ModelAdmin):
    list_display = ("surname", "forename", "number", "force", "rank")
    search_fields = ("surname",)
    list_per_page = 50


SITE = admin.AdminSite(name="bench_admin")
SITE.register(Case, CaseAdmin)
SITE.register(Person, PersonAdmin)
# The URLconf the admin calls run under: the project's URLs plus the throwaway site's.
urlpatterns = [path("bench-admin/", SITE.urls), path("", include("psd.urls"))]


class Caller:
    """Calls a view in-process as ``user`` (the server time, without the network)."""

    def __init__(self, user):
        self.user = user
        self.factory = RequestFactory()
        self.session = SessionStore()

    def request(self, path: str, data: dict | None = None):
        request = self.factory.get(path, data or {})
        request.user = self.user
        request.session = self.session
        request._messages = FallbackStorage(request)
        return request

    def get(self, path: str, data: dict | None = None, expect: int = 200):
        match = resolve(path)
        response = match.func(self.request(path, data), *match.args, **match.kwargs)
        if hasattr(response, "render"):
            response.render()
        if response.status_code != expect:
            raise RuntimeError(f"{path} answered {response.status_code}")
        return response


def _user(username: str, role: Role | None = None, superuser: bool = False):
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, is_superuser=superuser, is_staff=superuser)
        user.set_unusable_password()
        user.save()
    return user


def _deep_cursor(offset: int) -> str:
    received_on, pk = Case.objects.order_by("-received_on", "-id").values_list("received_on", "id")[
        offset
    ]
    return f"{received_on.isoformat()}.{pk}"


# --- statistics: hand-written SQL for the same tables ----------------------------------------


def _floor_recorded(start, end):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.case_type, count(DISTINCT c.id), count(a.id) FROM cases_case c "
            "LEFT JOIN cases_allegation a ON a.case_id = c.id "
            "WHERE c.handling = 'sch3' AND c.recorded_on BETWEEN %s AND %s "
            "GROUP BY c.case_type ORDER BY c.case_type",
            [start, end],
        )
        return cursor.fetchall()


def _floor_categories(start, end):
    with connection.cursor() as cursor:
        cursor.execute(
            'SELECT coalesce(p.name, g.name), coalesce(p."order", g."order"), count(*) '
            "FROM cases_allegation a JOIN cases_case c ON c.id = a.case_id "
            "JOIN cases_allegationcategory g ON g.id = a.category_id "
            "LEFT JOIN cases_allegationcategory p ON p.id = g.parent_id "
            "WHERE c.handling = 'sch3' AND c.recorded_on BETWEEN %s AND %s "
            "GROUP BY 1, 2 ORDER BY 2, 1",
            [start, end],
        )
        return cursor.fetchall()


def _floor_trend(start, end):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT date_trunc('month', c.recorded_on), count(*) FROM cases_allegation a "
            "JOIN cases_case c ON c.id = a.case_id "
            "WHERE c.handling = 'sch3' AND c.recorded_on BETWEEN %s AND %s GROUP BY 1 ORDER BY 1",
            [start, end],
        )
        return cursor.fetchall()


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


# --- the run ---------------------------------------------------------------------------------


GROUPS = ("list", "case", "search", "statistics", "sweeps")


def run_all(runs: int, sweep_runs: int, only: tuple[str, ...] = ()) -> dict:
    """Every figure, or only those of the ``only`` groups (see ``GROUPS``)."""

    def want(group: str) -> bool:
        return not only or group in only

    dataset = GeneratedDataset.objects.order_by("-id").first()
    if dataset is None:
        raise SystemExit("no generated dataset in this database")
    today = dataset.anchor
    head = (
        get_user_model()
        .objects.filter(groups__name=Role.APPROPRIATE_AUTHORITY.label)
        .filter(username__startswith="gen.")
        .order_by("pk")
        .first()
    )
    investigator = (
        get_user_model().objects.filter(username__startswith="gen.inv.").order_by("pk").first()
    )
    superuser = _user("bench.superuser", superuser=True)
    site = SITE
    as_head, as_investigator, as_admin = Caller(head), Caller(investigator), Caller(superuser)
    case_admin, person_admin = site._registry[Case], site._registry[Person]
    figures: list[tuple[Figure, Figure | None]] = []
    orm_total: list[float] = []
    floor_total: list[float] = []
    n_cases = Case.objects.count()
    deep = max(0, n_cases // 2)
    deep_page = deep // PAGE
    cursor = _deep_cursor(deep_page * PAGE - 1) if deep_page else ""
    list_url = reverse("cases:list")

    def admin_changelist(model_admin, data):
        def call():
            set_urlconf(__name__)
            try:
                response = model_admin.changelist_view(as_admin.request("/bench-admin/", data))
                response.render()
            finally:
                set_urlconf(None)

        return call

    if want("list"):
        figures.append(
            (
                measure(
                    "case list, first page (view-all user)", lambda: as_head.get(list_url), runs
                ),
                measure("  admin changelist, first page", admin_changelist(case_admin, {}), runs),
            )
        )
        figures.append(
            (
                measure(
                    f"case list, page {deep_page + 1:,} (keyset)",
                    lambda: as_head.get(list_url, {"after": cursor}),
                    runs,
                ),
                measure(
                    f"  admin changelist, page {deep_page + 1:,} (OFFSET)",
                    admin_changelist(case_admin, {"p": deep_page + 1}),
                    max(3, runs // 4),
                ),
            )
        )
        figures.append(
            (
                measure(
                    "case list, first page (team investigator)",
                    lambda: as_investigator.get(list_url),
                    runs,
                ),
                None,
            )
        )
    if want("case"):
        # The case page: a finalised case with five allegations (the largest kind).
        big = (
            Case.objects.filter(state="finalised", allegations__number=5).order_by("-pk").first()
            or Case.objects.order_by("-pk").first()
        )
        case_url = big.get_absolute_url()

        def admin_change():
            set_urlconf(__name__)
            try:
                response = case_admin.change_view(as_admin.request("/bench-admin/"), str(big.pk))
                response.render()
            finally:
                set_urlconf(None)

        figures.append(
            (
                measure(
                    f"case page ({big.allegations.count()} allegations)",
                    lambda: as_head.get(case_url),
                    runs,
                ),
                measure("  admin change form", admin_change, runs),
            )
        )
    if want("search"):
        # Personnel search by surname prefix.
        person_url = reverse("accounts:person_list")
        for term in ("Smi", "Ha"):
            figures.append(
                (
                    measure(
                        f'personnel search "{term}"',
                        lambda t=term: as_head.get(person_url, {"q": t}),
                        runs,
                    ),
                    measure(
                        f'  admin changelist search "{term}"',
                        admin_changelist(person_admin, {"q": term}),
                        max(3, runs // 4),
                    ),
                )
            )
    if want("statistics"):
        # Statistics for the last complete financial year.
        year = financial_year_of(today) - 1
        period = financial_year(year)
        filters = Filters(period=period, scope=Scope())
        check_floors_agree(filters)
        stats_url = reverse("stats:statistics")
        stats_user = as_head if head.has_perm("stats.view_statistics") else as_admin
        # The page's own statements, captured once and re-run raw: what the database alone takes
        # (no ORM, no Python post-processing, no rendering).
        with CaptureQueriesContext(connection) as page_queries:
            statistics_tables(period=period, scope=Scope())
        statements = [q["sql"] for q in page_queries.captured_queries]

        def page_floor():
            with connection.cursor() as cursor:
                for sql in statements:
                    cursor.execute(sql)
                    cursor.fetchall()

        stats_runs = max(5, runs // 2)
        figures.append(
            (
                measure(
                    f"statistics page {period.label} (all tables counted live, rendered)",
                    lambda: stats_user.get(stats_url, {"year": str(year), "live": "1"}),
                    stats_runs,
                ),
                measure("  SQL floor: the page's statements run raw", page_floor, stats_runs),
            )
        )
        # What users get: the beat task's stored snapshot ("figures as of"), one row read.
        snapshots.snapshot_refresh(today=today)
        figures.append(
            (
                measure(
                    f"statistics page {period.label} (from the snapshot, rendered)",
                    lambda: stats_user.get(stats_url, {"year": str(year)}),
                    stats_runs,
                ),
                None,
            )
        )
        figures.append(
            (
                measure(
                    "statistics tables (selectors only)",
                    lambda: statistics_tables(period=period, scope=Scope()),
                    stats_runs,
                ),
                None,
            )
        )
        for name, floor in FLOORS.items():
            orm = measure(f"statistics table '{name}'", lambda n=name: TABLES[n](filters), runs)
            sql = measure(
                "  hand-written SQL (floor)",
                lambda f=floor: f(period.start, period.end),
                runs,
            )
            figures.append((orm, sql))
            orm_total.append(orm.median)
            floor_total.append(sql.median)
    if want("sweeps"):
        # Sweeps over every open item, rolled back after each run.
        due_sql = (
            "SELECT count(*) FROM deadlines_deadline WHERE status = 'open' AND next_alert_on <= %s"
        )
        open_due = measure(
            "  SQL count of deadlines due (floor)", lambda: _count(due_sql, [today]), runs
        )
        due = _count(due_sql, [today])
        figures.append(
            (
                measure(
                    f"deadline sweep (claim {due:,} due deadlines)",
                    rolled_back(
                        lambda: deadline_sweep.alert_deadlines(today=today, max_batches=10**9)
                    ),
                    sweep_runs,
                    warmup=0,
                ),
                open_due,
            )
        )
        expiring = _count(
            "SELECT count(*) FROM vetting_clearance WHERE status IN ('active', 'suspended') "
            "AND expires_on < %s",
            [today],
        )
        reminders = _count(
            "SELECT count(*) FROM deadlines_deadline d JOIN deadlines_deadlinekind k "
            "ON k.id = d.kind_id WHERE k.code = 'revetting_due' AND d.status = 'open' "
            "AND d.due_date <= %s",
            [today + datetime.timedelta(days=90)],
        )
        figures.append(
            (
                measure(
                    f"re-vetting sweep ({expiring:,} to expire, {reminders:,} re-vettings due)",
                    rolled_back(lambda: vetting_sweep.run_sweep(today=today)),
                    sweep_runs,
                    warmup=0,
                ),
                measure(
                    "  SQL count of clearances to expire (floor)",
                    lambda: _count(
                        "SELECT count(*) FROM vetting_clearance WHERE status IN ('active', "
                        "'suspended') AND expires_on < %s",
                        [today],
                    ),
                    runs,
                ),
            )
        )
    return {
        "rows": {
            "cases": n_cases,
            "people": Person.objects.count(),
        },
        "figures": [
            {
                "name": fig.name,
                **fig.as_dict(),
                "baseline": None if base is None else {"name": base.name.strip(), **base.as_dict()},
            }
            for fig, base in figures
        ],
        "statistics_ratio": (round(sum(orm_total) / sum(floor_total), 2) if floor_total else None),
    }


def _count(sql: str, params: list) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def format_report(report: dict) -> str:
    scale = report["scale"]
    lines = [
        f"Scale: {scale['allegations']:,} allegations, {scale['people']:,} people "
        f"(seed {scale['seed']}); {report['rows']['cases']:,} cases",
        f"Machine: {report['machine']['cpus']} CPUs, Python {report['machine']['python']}, "
        f"{report['machine']['date']}",
        "",
        f"{'figure':<58} {'median ms':>10} {'p95 ms':>9} {'queries':>8} {'vs baseline':>12}",
    ]
    for fig in report["figures"]:
        base = fig["baseline"]
        ratio = ""
        if base:
            ratio = f"{base['median_ms'] / max(fig['median_ms'], 1e-9):.1f}x faster"
            if base["name"].startswith(("hand-written", "SQL floor")):
                ratio = f"{fig['median_ms'] / max(base['median_ms'], 1e-9):.2f}x floor"
            elif base["name"].startswith("SQL count"):
                ratio = ""
        lines.append(
            f"{fig['name']:<58} {fig['median_ms']:>10.1f} {fig['p95_ms']:>9.1f} "
            f"{fig['queries']:>8} {ratio:>12}"
        )
        if base:
            lines.append(
                f"  {base['name']:<56} {base['median_ms']:>10.1f} {base['p95_ms']:>9.1f} "
                f"{base['queries']:>8}"
            )
    lines.append("")
    if report["statistics_ratio"] is not None:
        lines.append(
            f"Statistics tables with a hand-written floor: {report['statistics_ratio']}x the floor"
        )
    lines.append(f"Measured in {report['seconds']} s")
    return "\n".join(lines)
