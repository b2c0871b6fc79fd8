"""Query-count pins: the case list, the case page, the statistics page and both sweeps issue
the same number of queries on a small and on a five-times larger generated dataset (never one
per row). A change that adds a query per row fails here long before a benchmark notices."""

import contextlib
import datetime
import sqlite3
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.models import Case
from datagen.generator import Generator, Plan
from deadlines.sweep import alert_deadlines
from vetting.sweep import run_sweep as vetting_sweep

pytestmark = pytest.mark.django_db
ANCHOR = datetime.date(2026, 11, 1)
SIZES = {"small": (300, 100), "five times larger": (1500, 500)}


@pytest.fixture(params=list(SIZES))
def dataset(request, db):
    allegations, people = SIZES[request.param]
    Generator(Plan(allegations=allegations, people=people, seed=5, anchor=ANCHOR)).run()
    return request.param


@contextlib.contextmanager
def _sqlite_real_variable_limit():
    """Django's SQLite backend assumes SQLite's historical limit of 999 variables a statement
    and so splits a bulk insert of ten columns into batches of 99 rows; the library's own
    limit (32,766 since SQLite 3.32) is used here, so a bulk insert is one statement on both
    databases, as on PostgreSQL. The pins are about queries per row, not the driver's batches."""
    if connection.vendor != "sqlite":
        yield
        return
    connection.ensure_connection()
    limit = connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    with mock.patch.object(connection.features, "max_query_params", limit):
        yield


def count(func) -> int:
    with _sqlite_real_variable_limit(), CaptureQueriesContext(connection) as ctx:
        func()
    return len(ctx.captured_queries)


def test_case_list_first_and_next_page(dataset, client, carol):
    client.force_login(carol)
    url = reverse("cases:list")
    client.get(url)  # sessions, OTP device and caches settle
    with CaptureQueriesContext(connection) as first:
        response = client.get(url)
    assert response.status_code == 200
    assert len(response.context["page"].rows) == 25
    cursor = response.context["page"].next_cursor
    with CaptureQueriesContext(connection) as second:
        assert client.get(url, {"after": cursor}).status_code == 200
    assert len(first.captured_queries) == len(second.captured_queries) == LIST_QUERIES


def test_case_page(dataset, client, carol):
    client.force_login(carol)
    # A case that went the whole way: allegations, subjects, outcomes, decisions, history.
    case = (
        Case.objects.filter(state="finalised", handling="sch3", allegations__number=3)
        .filter(tracks__isnull=False)
        .order_by("pk")
        .first()
    )
    client.get(case.get_absolute_url())
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(case.get_absolute_url()).status_code == 200
    assert len(ctx.captured_queries) == CASE_PAGE_QUERIES, "\n".join(
        q["sql"][:150] for q in ctx.captured_queries
    )


def test_statistics_page(dataset, client, eve):
    client.force_login(eve)
    url = reverse("stats:statistics")
    client.get(url, {"year": "2025"})
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, {"year": "2025"})
    assert response.status_code == 200
    assert response.context["tables"]["recorded"].total[2] > 0
    assert len(ctx.captured_queries) == STATS_QUERIES


def test_deadline_sweep_is_batched(dataset):
    queries = count(lambda: alert_deadlines(today=ANCHOR, max_batches=10**6))
    assert queries == DEADLINE_SWEEP_QUERIES


def test_revetting_sweep_is_batched(dataset):
    queries = count(lambda: vetting_sweep(today=ANCHOR))
    assert queries == VETTING_SWEEP_QUERIES


# A signed-in request's fixed cost (issue 21, tests/accounts/test_session_cache.py): the session
# row, and on PostgreSQL the audit context set and cleared (two set_config statements; SQLite
# keeps that context in Python). The user, roles, permissions, verified device and unread
# count come from the session's cache entry.
REQUEST_FIXED = 1 + (2 if connection.vendor == "postgresql" else 0)
# The case list's investigator and category options come from the cache (cases.forms); the
# page's rows and each row's next deadline come in one query, the page's subjects in another.
LIST_QUERIES = REQUEST_FIXED + 2
# The case page: 15, plus one each for the subjects' appeals (prefetched), the case's
# suspension periods and the early-intervention counts of all its subjects (one GROUP BY).
CASE_PAGE_QUERIES = REQUEST_FIXED + 18
# The statistics' recorded and outside-Schedule-3 tables count cases and allegations in two
# queries each (no COUNT(DISTINCT) sort to spill at national scale); the sub-category table
# counts by category and reads the category list, the Home Office misconduct table is one
# query, the page first looks for a stored snapshot (none here: counted live), and timeliness
# reads the suspension periods.
STATS_QUERIES = REQUEST_FIXED + 19
DEADLINE_SWEEP_QUERIES = 9
VETTING_SWEEP_QUERIES = 17
