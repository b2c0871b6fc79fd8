"""Benchmark of the case list (keyset pages) on the configured database.

Builds N cases (default 50,000) with one complainant-free allegation each for one team, then
times the first page, a page deep in the list (following cursors) and a filtered search, for
an investigator of that team and for a view-all user. Runs inside ONE transaction that is
rolled back, so the database is left as it was.

    DEBUG=1 DATABASE_URL=postgres://... .venv/bin/python bench/case_list_bench.py [--cases N]

A benchmark script, not a test: it prints figures.
"""

import argparse
import datetime
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "psd.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import Group  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accounts.models import Team, User  # noqa: E402
from accounts.roles import Role  # noqa: E402
from cases.models import Allegation, AllegationCategory, Case, CaseType  # noqa: E402
from cases.selectors_ui import CaseFilters, case_page  # noqa: E402


class Rollback(Exception):
    """Raised to roll the benchmark's data back."""


def build(n: int) -> tuple[User, User]:
    team = Team.objects.create(name="Bench team")
    investigator = User.objects.create(username="bench.investigator", team=team)
    investigator.groups.add(Group.objects.get(name=Role.INVESTIGATOR.label))
    head = User.objects.create(username="bench.head")
    head.groups.add(Group.objects.get(name=Role.APPROPRIATE_AUTHORITY.label))
    start = datetime.date(2020, 4, 1)
    cases = Case.objects.bulk_create(
        [
            Case(
                reference=f"PSD-BENCH-{i:07d}",
                case_type=CaseType.COMPLAINT,
                summary=f"Bench case {i}",
                received_on=start + datetime.timedelta(days=i % 2000),
                team=team if i % 2 == 0 else None,
                investigator=investigator if i % 4 == 0 else None,
            )
            for i in range(n)
        ],
        batch_size=5000,
    )
    category = AllegationCategory.objects.filter(parent=None).first()
    Allegation.objects.bulk_create(
        [Allegation(case=c, number=1, summary="Bench", category=category) for c in cases],
        batch_size=5000,
    )
    return investigator, head


def timed(func, runs: int = 7) -> tuple[float, int]:
    samples, queries = [], 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            func()
            samples.append((time.perf_counter() - started) * 1000)
        queries = len(ctx.captured_queries)
    return statistics.median(samples), queries


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=50_000)
    args = parser.parse_args()
    print(f"database: {connection.vendor}; cases: {args.cases:,}")
    try:
        with transaction.atomic():
            started = time.perf_counter()
            investigator, head = build(args.cases)
            print(f"built in {time.perf_counter() - started:.1f} s")
            for label, user in (("team investigator", investigator), ("view-all", head)):
                filters = CaseFilters()
                ms, queries = timed(lambda u=user, f=filters: case_page(user=u, filters=f))
                print(f"{label:18} first page: {ms:7.1f} ms median, {queries} queries")
                page, cursor = case_page(user=user, filters=filters), None
                for _ in range(40):  # follow 40 cursors (1,000 rows deep)
                    cursor = page.next_cursor
                    page = case_page(user=user, filters=filters, cursor=cursor)
                ms, _ = timed(
                    lambda u=user, f=filters, c=cursor: case_page(user=u, filters=f, cursor=c)
                )
                print(f"{label:18} page 41:    {ms:7.1f} ms median")
                search = CaseFilters(q="PSD-BENCH-00012")
                ms, _ = timed(lambda u=user, f=search: case_page(user=u, filters=f))
                print(f"{label:18} search:     {ms:7.1f} ms median")
            raise Rollback
    except Rollback:
        print("rolled back")


if __name__ == "__main__":
    main()
