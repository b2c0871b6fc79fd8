"""The statistics cost a fixed number of queries, whatever the number of rows."""

import pytest

from stats.periods import Scope, financial_year
from stats.selectors import statistics_tables
from tests.stats.conftest import build_fy2025

pytestmark = pytest.mark.django_db
# One grouped query per table, plus one for the extra non-working days (timeliness), plus
# one each for the allegations of the recorded and outside-Schedule-3 tables (counted apart
# from their cases, so that no COUNT(DISTINCT) sort spills to disk at national scale), plus
# the categories for the sub-category table, plus one for the suspension periods (timeliness).
QUERIES = 16


@pytest.mark.parametrize("copies", [1, 6])
def test_query_count_is_constant(copies, django_assert_num_queries):
    data = build_fy2025(copies)
    for scope in (Scope(), Scope(department=data["roads"])):
        with django_assert_num_queries(QUERIES):
            tables = statistics_tables(period=financial_year(2025), scope=scope)
        assert tables["outcomes"].total[1] == (8 if scope.is_everything else 2) * copies
