"""Interval rules: the expiry is the grant date plus the level's editable interval in
months, on the same day of the month or the month's last day when it is shorter."""

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vetting.models import VettingLevel


@given(
    granted_on=st.dates(min_value=datetime.date(2000, 1, 1), max_value=datetime.date(2090, 12, 31)),
    months=st.integers(min_value=1, max_value=240),
)
def test_expiry_is_months_after_the_grant(granted_on, months):
    level = VettingLevel(code="x", name="X", renewal_months=months, order=1)
    expires = level.expiry_for(granted_on)
    assert expires > granted_on
    assert (expires.year - granted_on.year) * 12 + expires.month - granted_on.month == months
    assert expires.day <= granted_on.day


def test_a_leap_day_grant_expires_at_the_end_of_february():
    mv = VettingLevel(code="mv", name="MV", renewal_months=84, order=1)
    assert mv.expiry_for(datetime.date(2024, 2, 29)) == datetime.date(2031, 2, 28)


def test_recorded_only_levels_have_no_managed_expiry():
    sc = VettingLevel(code="sc", name="SC", recorded_only=True, order=1)
    assert sc.expiry_for(datetime.date(2026, 1, 1)) is None


@pytest.mark.django_db
def test_administrators_edit_intervals_in_the_admin(client, ada, alice):
    client.force_login(ada)
    rv = VettingLevel.objects.get(code="rv")
    assert client.get(f"/admin/vetting/vettinglevel/{rv.pk}/change/").status_code == 200
    client.force_login(alice)
    assert client.get(f"/admin/vetting/vettinglevel/{rv.pk}/change/").status_code == 302
