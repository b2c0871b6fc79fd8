"""Financial-year boundaries (31 March / 1 April), in Europe/London."""

import datetime

import pytest

from cases.models import Action, Finding
from stats.periods import Scope, financial_year, financial_year_of
from stats.selectors import statistics_tables
from tests.stats.factories import add_allegation, category, london, make_case

D = datetime.date


def test_financial_year_runs_april_to_march():
    year = financial_year(2025)
    assert (year.start, year.end, year.label) == (D(2025, 4, 1), D(2026, 3, 31), "2025/26")
    assert financial_year_of(D(2026, 3, 31)) == 2025
    assert financial_year_of(D(2026, 4, 1)) == 2026
    assert len(year.months()) == 12


@pytest.mark.django_db
def test_recording_and_finalising_either_side_of_the_year_end():
    cat = category("Discreditable conduct")
    outcome = (Finding.NO_MISCONDUCT, Action.NONE, "")
    last_day = make_case(
        recorded_on=D(2026, 3, 31),
        # 23:30 on 31 March 2026 in London is 22:30 UTC (BST): still 2025/26.
        finalised_at=london(D(2026, 3, 31), 23, 30),
    )
    add_allegation(last_day, cat, outcome)
    first_day = make_case(
        recorded_on=D(2026, 4, 1),
        # 00:30 on 1 April 2026 in London is 23:30 UTC on 31 March: already 2026/27.
        finalised_at=london(D(2026, 4, 1), 0, 30),
    )
    add_allegation(first_day, cat, outcome)
    add_allegation(first_day, cat, outcome)

    old = statistics_tables(period=financial_year(2025), scope=Scope())
    new = statistics_tables(period=financial_year(2026), scope=Scope())
    assert old["recorded"].total[2] == 1 and new["recorded"].total[2] == 2
    assert old["outcomes"].total[1] == 1 and new["outcomes"].total[1] == 2
    assert old["trend"].rows[-1] == ["March 2026", 1]
    assert new["trend"].rows[0] == ["April 2026", 2]
