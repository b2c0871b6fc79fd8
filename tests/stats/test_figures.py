"""Figures from a dataset whose counts are known (tests/stats/conftest.py: build_fy2025)."""

import datetime
from decimal import Decimal

import pytest

from cases.models import CaseType
from deadlines.calendar import working_days_between
from stats.periods import Scope, date_range, financial_year
from stats.selectors import statistics_tables

pytestmark = pytest.mark.django_db
FY2025 = financial_year(2025)


def tables(scope=None, period=FY2025):
    return statistics_tables(period=period, scope=scope or Scope())


def rows(table) -> dict:
    return {row[0]: row[1:] for row in table.rows}


def test_recorded_under_schedule_3_counts_allegations_not_complaints(fy2025):
    recorded = tables()["recorded"]
    assert rows(recorded)["Complaint"] == [4, 7]
    assert rows(recorded)["Recordable conduct matter"] == [1, 1]
    assert recorded.total == ["Total", 5, 8]


def test_outcome_groups_counts_and_percentages(fy2025):
    """By hand, from build_fy2025: A gives 2 no action and 1 reflective practice; B's first
    allegation is misconduct proven at a meeting (its not-proven second subject is less
    serious), its second not proven at a hearing; D withdrawn; F gross misconduct proven at a
    hearing; H service not acceptable (its own group, no longer "other"). 8 in all."""
    outcomes = tables()["outcomes"]
    assert outcomes.headers == ["Outcome", "Number of allegations", "Percentage of allegations"]
    assert outcomes.rows == [
        ["No action required", 2, Decimal("25.0")],
        ["Service not acceptable", 1, Decimal("12.5")],
        ["Reflective practice", 1, Decimal("12.5")],
        ["Misconduct meeting: misconduct proven", 1, Decimal("12.5")],
        ["Misconduct meeting: not proven", 0, Decimal("0.0")],
        ["Misconduct hearing: gross misconduct proven", 1, Decimal("12.5")],
        ["Misconduct hearing: misconduct proven", 0, Decimal("0.0")],
        ["Misconduct hearing: not proven", 1, Decimal("12.5")],
        ["Accelerated misconduct hearing: gross misconduct proven", 0, Decimal("0.0")],
        ["Accelerated misconduct hearing: misconduct proven", 0, Decimal("0.0")],
        ["Accelerated misconduct hearing: not proven", 0, Decimal("0.0")],
        ["Proceedings, forum not recorded: gross misconduct proven", 0, Decimal("0.0")],
        ["Proceedings, forum not recorded: misconduct proven", 0, Decimal("0.0")],
        ["Proceedings, forum not recorded: not proven", 0, Decimal("0.0")],
        ["Withdrawn", 1, Decimal("12.5")],
        ["Other", 0, Decimal("0.0")],
    ]
    assert outcomes.total == ["Total", 8, Decimal("100.0")]


def test_categories_roll_up_to_the_top_level_group(fy2025):
    categories = tables()["categories"]
    assert categories.headers[0] == "Allegation category"
    assert categories.rows == [
        ["Delivery of duties and service", 3, Decimal("37.5")],
        ["Police powers, policies and procedures", 2, Decimal("25.0")],
        ["Abuse of position/corruption", 1, Decimal("12.5")],
        ["Individual behaviours", 1, Decimal("12.5")],
        ["Discreditable conduct", 1, Decimal("12.5")],
    ]


def test_trend_has_every_month_of_the_year(fy2025):
    trend = tables()["trend"]
    assert len(trend.rows) == 12
    assert trend.rows[0] == ["April 2025", 3]
    assert rows(trend)["May 2025"] == [2]
    assert rows(trend)["June 2025"] == [0]
    assert rows(trend)["March 2026"] == [1]
    assert trend.total == ["Total", 8]


def test_outside_schedule_3_is_separate_from_the_formal_figures(fy2025):
    result = tables()
    assert rows(result["outside_schedule_3"]) == {
        "Complaints handled outside Schedule 3": [1],
        "Allegations in them": [2],
        "Resolved": [1],
    }
    # G's two allegations (received August 2025) are in no formal table.
    assert result["recorded"].total[2] == 8
    assert result["outcomes"].total[1] == 8
    assert rows(result["trend"])["August 2025"] == [0]
    timeliness = rows(result["timeliness"])
    assert timeliness["Outside Schedule 3"][0] == 1
    assert result["timeliness"].total[1] == 5  # A, B, D, F, H


def test_timeliness_uses_the_working_day_calendar(fy2025):
    timeliness = rows(tables()["timeliness"])
    # A (1 Apr -> 10 Jun 2025) and H (1 Oct -> 1 Nov 2025), both otherwise than by investigation.
    a = working_days_between(datetime.date(2025, 4, 1), datetime.date(2025, 6, 10))
    h = working_days_between(datetime.date(2025, 10, 1), datetime.date(2025, 11, 1))
    assert (a, h) == (46, 22)  # Good Friday, Easter Monday and two May bank holidays excluded
    otbi = timeliness["Schedule 3: otherwise than by investigation"]
    # Never suspended: the averages with and without suspensions are the same.
    assert otbi == [
        2,
        Decimal("34.0"),
        Decimal("34.0"),
        Decimal("34.0"),
        Decimal("50.5"),
        Decimal("50.5"),
    ]
    local = timeliness["Schedule 3: local investigation"]
    b = working_days_between(datetime.date(2025, 5, 15), datetime.date(2025, 9, 1))
    assert local == [1, Decimal(b), Decimal(b), Decimal(b), Decimal(109), Decimal(109)]


def test_referrals_conduct_outcomes_and_barred_list(fy2025):
    result = tables()
    referrals = rows(result["referrals"])
    assert referrals["Local investigation"] == [1]  # D's referral on 31 March 2025 is last year
    assert referrals["Independent (IOPC) investigation"] == [1]
    assert referrals["Awaiting the IOPC's decision"] == [1]
    assert result["referrals"].total == ["Total", 3]
    conduct = rows(result["conduct_outcomes"])
    assert conduct["Written warning"] == [1, 1]
    assert conduct["Dismissal without notice"] == [1, 1]
    assert conduct["Final written warning"] == [0, 0]
    assert result["conduct_outcomes"].total == ["Total", 2, 2]
    assert rows(result["barred_list"])["To report to the College"] == [1]
    assert result["barred_list"].total == ["Total", 1]


def test_scope_by_department_of_the_subject(fy2025):
    result = tables(Scope(department=fy2025["roads"]))
    assert result["recorded"].total == ["Total", 1, 2]  # B's two allegations
    assert result["outcomes"].total[1] == 2
    # B: misconduct proven at a meeting, not proven at a hearing.
    assert rows(result["outcomes"])["Misconduct meeting: misconduct proven"] == [1, Decimal("50.0")]
    assert rows(result["outcomes"])["Misconduct hearing: not proven"] == [1, Decimal("50.0")]
    assert result["conduct_outcomes"].total == ["Total", 1, 1]
    assert result["barred_list"].total == ["Total", 0]
    assert result["referrals"].total == ["Total", 1]  # B's, local


def test_scope_by_case_type(fy2025):
    result = tables(Scope(case_type=CaseType.RECORDABLE_CONDUCT_MATTER))
    assert result["recorded"].total == ["Total", 1, 1]
    assert result["outcomes"].total[1] == 0
    assert result["outcomes"].rows[0][2] is None  # no percentage of nothing
    assert rows(result["referrals"])["Awaiting the IOPC's decision"] == [1]  # C's
    assert result["referrals"].total == ["Total", 1]


def test_a_date_range_instead_of_a_year(fy2025):
    result = tables(period=date_range(datetime.date(2025, 5, 1), datetime.date(2025, 9, 30)))
    assert result["recorded"].total == ["Total", 2, 3]  # B (May) and F (July)
    assert [row[0] for row in result["trend"].rows][0] == "May 2025"
    assert len(result["trend"].rows) == 5


def test_a_complaint_with_three_allegations_counts_three(db):
    from cases.models import Action, Finding
    from tests.stats.factories import add_allegation, category, make_case

    complaint = make_case(
        recorded_on=datetime.date(2025, 6, 2), finalised_on=datetime.date(2025, 8, 1)
    )
    for _ in range(3):
        add_allegation(
            complaint,
            category("Discreditable conduct"),
            (Finding.SERVICE_ACCEPTABLE, Action.NONE, ""),
        )
    result = tables()
    assert rows(result["recorded"])["Complaint"] == [1, 3]
    assert result["outcomes"].rows[0] == ["No action required", 3, Decimal("100.0")]
    assert result["categories"].total == ["Total", 3, Decimal("100.0")]
    assert result["timeliness"].total[1] == 1  # timeliness counts the case once


def test_scope_by_force_of_the_subject(fy2025):
    from tests.accounts.factories import ForceFactory, PersonFactory
    from tests.stats.factories import add_allegation, category, make_case

    other = ForceFactory(name="Neighbouring Police", code="NP")
    loaned = PersonFactory(force=other)
    case = make_case(recorded_on=datetime.date(2025, 9, 9))
    add_allegation(case, category("Use of police vehicles"), subjects=[loaned])
    assert tables(Scope(force=other))["recorded"].total == ["Total", 1, 1]
    assert tables()["recorded"].total == ["Total", 6, 9]
