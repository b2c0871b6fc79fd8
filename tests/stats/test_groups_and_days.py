"""The outcome-group rules and the working-day counter agree with their references."""

import datetime
import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cases.models import Action, Finding, Forum
from deadlines.calendar import WorkingCalendar
from stats import groups
from stats.periods import Scope, financial_year
from stats.selectors import statistics_tables
from stats.timeliness import WorkingDayCounter
from tests.accounts.factories import PersonFactory
from tests.stats.factories import add_allegation, category, make_case

D = datetime.date


@pytest.mark.parametrize(
    "finding, action, forum, group",
    [
        (Finding.NO_CASE_TO_ANSWER, Action.NONE, "", "no_action"),
        (Finding.NO_CASE_TO_ANSWER, Action.RPRP, "", "reflective_practice"),
        (Finding.NOT_PROVEN, Action.RPRP, Forum.MEETING, "reflective_practice"),
        (Finding.NOT_PROVEN, Action.NONE, Forum.MEETING, "meeting_not_proven"),
        (Finding.NOT_PROVEN, Action.NONE, Forum.HEARING, "hearing_not_proven"),
        (Finding.NOT_PROVEN, Action.NONE, "", "unrecorded_not_proven"),
        (
            Finding.GROSS_MISCONDUCT_PROVEN,
            Action.FINAL_WRITTEN_WARNING,
            Forum.HEARING,
            "hearing_gross",
        ),
        (
            Finding.GROSS_MISCONDUCT_PROVEN,
            Action.DISMISSAL,
            Forum.ACCELERATED_HEARING,
            "accelerated_gross",
        ),
        (Finding.GROSS_MISCONDUCT_PROVEN, Action.DISMISSAL, Forum.MEETING, "unrecorded_gross"),
        (Finding.MISCONDUCT_PROVEN, Action.WRITTEN_WARNING, Forum.MEETING, "meeting_misconduct"),
        (Finding.MISCONDUCT_PROVEN, Action.RPRP, Forum.HEARING, "hearing_misconduct"),
        (Finding.MISCONDUCT_PROVEN, Action.NONE, "", "unrecorded_misconduct"),
        (Finding.SERVICE_NOT_ACCEPTABLE, Action.LEARNING, "", "service_not_acceptable"),
        (Finding.SERVICE_NOT_ACCEPTABLE, Action.NONE, "", "service_not_acceptable"),
        (Finding.SERVICE_ACCEPTABLE, Action.LEARNING, "", "other"),
        (Finding.NFA, Action.MANAGEMENT_ADVICE, "", "other"),
        (Finding.WITHDRAWN, Action.NONE, "", "withdrawn"),
    ],
)
def test_python_mapping(finding, action, forum, group):
    assert groups.outcome_group_key(finding=finding, action=action, forum=forum) == group


@pytest.mark.django_db
def test_sql_mapping_matches_python_for_every_finding_and_action():
    """One allegation per (finding, action, forum): the SQL CASE puts each where Python does."""
    case = make_case(recorded_on=D(2025, 5, 1), finalised_on=D(2025, 6, 1))
    cat = category("Discreditable conduct")
    expected, person = {}, PersonFactory()
    for finding, action, forum in itertools.product(Finding.values, Action.values, Forum.values):
        add_allegation(case, cat, (finding, action, forum), subjects=[person])
        key = groups.outcome_group_key(finding=finding, action=action, forum=forum)
        expected[key] = expected.get(key, 0) + 1
    table = statistics_tables(period=financial_year(2025), scope=Scope())["outcomes"]
    counted = {row[0]: row[1] for row in table.rows}
    assert counted == {groups.GROUPS[key].label: expected.get(key, 0) for key in groups.ORDER}


@settings(max_examples=200, deadline=None)
@given(
    start=st.dates(min_value=D(2018, 1, 1), max_value=D(2027, 12, 31)),
    days=st.integers(min_value=0, max_value=800),
)
def test_counter_matches_the_calendar(start, days):
    calendar = WorkingCalendar(extra_days=[D(2024, 12, 27)])
    end = start + datetime.timedelta(days=days)
    counter = WorkingDayCounter(calendar, start - datetime.timedelta(days=3), end)
    assert counter.between(start, end) == calendar.working_days_between(start, end)
