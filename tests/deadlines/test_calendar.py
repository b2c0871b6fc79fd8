"""The England & Wales working-day calendar (DOMAIN.md "Time")."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import given, settings
from hypothesis import strategies as st

from deadlines.calendar import (
    WorkingCalendar,
    add_months,
    add_working_days,
    is_working_day,
    working_days_between,
)
from deadlines.models import NonWorkingDay

D = datetime.date
calendar = WorkingCalendar()  # bank holidays and weekends only: no database


def test_weekends_are_not_working_days():
    assert calendar.is_working_day(D(2024, 3, 8))  # Friday
    assert not calendar.is_working_day(D(2024, 3, 9))  # Saturday
    assert not calendar.is_working_day(D(2024, 3, 10))  # Sunday


def test_counting_starts_the_working_day_after_the_trigger():
    # Monday + 1 working day = Tuesday: the trigger day itself never counts.
    assert calendar.add_working_days(D(2024, 3, 4), 1) == D(2024, 3, 5)
    # A Friday trigger: 1 working day later is Monday.
    assert calendar.add_working_days(D(2024, 3, 8), 1) == D(2024, 3, 11)
    # A Saturday trigger counts from Monday.
    assert calendar.add_working_days(D(2024, 3, 9), 1) == D(2024, 3, 11)
    # CR 2020 reg 18: 10 working days after a notice given on Monday 4 March 2024.
    assert calendar.add_working_days(D(2024, 3, 4), 10) == D(2024, 3, 18)


def test_beginning_with_counts_the_trigger_day_when_it_is_a_working_day():
    # Barred List Regs 2017 reg 3: 5 working days beginning with Monday 4 March = Friday 8th.
    assert calendar.add_working_days(D(2024, 3, 4), 5, beginning_with=True) == D(2024, 3, 8)
    # Beginning with a Saturday: the Saturday is not a working day, so Mon..Fri.
    assert calendar.add_working_days(D(2024, 3, 9), 5, beginning_with=True) == D(2024, 3, 15)


def test_good_friday_and_easter_monday_are_skipped():
    # Easter 2024: Good Friday 29 March, Easter Monday 1 April.
    assert not calendar.is_working_day(D(2024, 3, 29))
    assert not calendar.is_working_day(D(2024, 4, 1))
    assert calendar.add_working_days(D(2024, 3, 28), 1) == D(2024, 4, 2)
    assert calendar.working_days_between(D(2024, 3, 27), D(2024, 4, 3)) == 3


def test_christmas_substitute_days_when_christmas_falls_on_a_weekend():
    # 2021: Christmas Saturday, Boxing Day Sunday -> substitutes Monday 27 and Tuesday 28.
    assert not calendar.is_working_day(D(2021, 12, 27))
    assert not calendar.is_working_day(D(2021, 12, 28))
    assert calendar.add_working_days(D(2021, 12, 24), 1) == D(2021, 12, 29)
    # 2022: Christmas Sunday -> Boxing Day Monday 26, Christmas substitute Tuesday 27.
    assert not calendar.is_working_day(D(2022, 12, 26))
    assert not calendar.is_working_day(D(2022, 12, 27))
    assert calendar.is_working_day(D(2022, 12, 28))
    assert calendar.add_working_days(D(2022, 12, 23), 1) == D(2022, 12, 28)
    # 2022-23: New Year's Day Sunday -> Monday 2 January 2023 substitute.
    assert calendar.add_working_days(D(2022, 12, 30), 1) == D(2023, 1, 3)


def test_scottish_only_holidays_are_working_days_in_england():
    assert calendar.is_working_day(D(2024, 1, 2))  # 2 January: Scotland only
    assert calendar.is_working_day(D(2024, 11, 29))  # Friday before St Andrew's Day


@pytest.mark.django_db
def test_extra_non_working_days_from_the_table():
    assert is_working_day(D(2024, 3, 6))
    NonWorkingDay.objects.create(date=D(2024, 3, 6), description="Force closure")
    assert not is_working_day(D(2024, 3, 6))
    assert add_working_days(D(2024, 3, 5), 1) == D(2024, 3, 7)
    assert working_days_between(D(2024, 3, 4), D(2024, 3, 8)) == 3


@pytest.mark.django_db
def test_one_query_per_call_however_far_it_counts():
    with CaptureQueriesContext(connection) as queries:
        add_working_days(D(2024, 1, 1), 250)
    assert len(queries) == 1


def test_working_days_between_is_negative_backwards():
    assert calendar.working_days_between(D(2024, 3, 8), D(2024, 3, 4)) == -4
    assert calendar.working_days_between(D(2024, 3, 4), D(2024, 3, 4)) == 0


def test_negative_counts_are_refused():
    with pytest.raises(ValueError):
        calendar.add_working_days(D(2024, 3, 4), -1)


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (D(2024, 1, 15), 12, D(2025, 1, 15)),
        (D(2024, 2, 29), 12, D(2025, 2, 28)),
        (D(2024, 8, 31), 6, D(2025, 2, 28)),
        (D(2024, 10, 31), 1, D(2024, 11, 30)),
        (D(2024, 12, 5), 1, D(2025, 1, 5)),
    ],
)
def test_add_months_clamps_to_the_end_of_a_short_month(start, months, expected):
    assert add_months(start, months) == expected


dates = st.dates(min_value=D(2015, 1, 1), max_value=D(2035, 12, 31))
extras = st.frozensets(dates, max_size=20)


@settings(max_examples=200, deadline=None)
@given(start=dates, n=st.integers(min_value=0, max_value=300), extra=extras)
def test_add_then_between_round_trips(start, n, extra):
    cal = WorkingCalendar(extra)
    assert cal.working_days_between(start, cal.add_working_days(start, n)) == n


@settings(max_examples=200, deadline=None)
@given(start=dates, n=st.integers(min_value=1, max_value=300), extra=extras, begin=st.booleans())
def test_result_is_always_a_working_day_after_or_on_the_start(start, n, extra, begin):
    cal = WorkingCalendar(extra)
    result = cal.add_working_days(start, n, beginning_with=begin)
    assert cal.is_working_day(result)
    assert result > start or (begin and result == start)


@settings(max_examples=200, deadline=None)
@given(start=dates, n=st.integers(min_value=0, max_value=200), later=st.integers(0, 40))
def test_monotonic_in_start_and_in_n(start, n, later):
    assert calendar.add_working_days(start, n) <= calendar.add_working_days(start, n + 1)
    moved = start + datetime.timedelta(days=later)
    assert calendar.add_working_days(start, n) <= calendar.add_working_days(moved, n)


@settings(max_examples=100, deadline=None)
@given(start=dates, n=st.integers(min_value=1, max_value=100))
def test_beginning_with_is_one_day_earlier_in_count_only_on_a_working_trigger(start, n):
    inclusive = calendar.add_working_days(start, n, beginning_with=True)
    if calendar.is_working_day(start):
        assert inclusive == (calendar.add_working_days(start, n - 1) if n > 1 else start)
    else:
        assert inclusive == calendar.add_working_days(start, n)
