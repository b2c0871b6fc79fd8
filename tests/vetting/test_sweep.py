"""The daily sweep, run in-process with time-machine crossing each threshold: reminders at
90/30/7 days before re-vetting is due to the vetting unit and the line manager, exactly once
each; expiry the day after the expiry date, listed as a risk."""

import datetime

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from accounts.models import PersonStatus
from accounts.services import person_set_status
from deadlines.models import Notification
from deadlines.sweep import run_sweep as deadlines_sweep
from psd.roles import Role
from tests.accounts.factories import PersonFactory, user_with_role
from vetting import selectors
from vetting.models import Clearance, ClearanceEvent, ClearanceStatus
from vetting.sweep import run_sweep, threshold_for

from .factories import granted

pytestmark = pytest.mark.django_db
GRANTED = datetime.date(2026, 1, 5)
EXPIRES = datetime.date(2026, 6, 30)


def on(day: datetime.date):
    return time_machine.travel(
        datetime.datetime.combine(day, datetime.time(6), datetime.UTC), tick=False
    )


def sweep_on(day: datetime.date):
    with on(day):
        return run_sweep()


def before(days: int) -> datetime.date:
    return EXPIRES - datetime.timedelta(days=days)


@pytest.fixture
def manager(db):
    """Mike, a sergeant with a user account: the officer's line manager (no vetting role)."""
    mike = user_with_role(Role.SUPERVISOR, "mike")
    return PersonFactory(forename="Mike", surname="Sergeant", user=mike)


@pytest.fixture
def officer(victor, vera, manager):
    person = PersonFactory(line_manager=manager)
    with on(GRANTED):
        granted(victor, person, received=10, granted_on=GRANTED, expires_on=EXPIRES)
    return person


def sent(threshold: str) -> set[str]:
    return set(
        Notification.objects.filter(threshold=threshold).values_list(
            "recipient__username", flat=True
        )
    )


def test_threshold_rule():
    assert threshold_for(91, [90, 30, 7]) is None
    assert threshold_for(90, [90, 30, 7]) == "90"
    assert threshold_for(29, [90, 30, 7]) == "30"
    assert threshold_for(0, [90, 30, 7]) == "7"
    assert threshold_for(-1, [90, 30, 7]) == "overdue"


def test_reminders_go_once_per_threshold_to_the_unit_and_the_manager(officer):
    assert sweep_on(before(91)).reminders == 0
    assert sweep_on(before(90)).reminders == 3
    assert sent("90") == {"victor", "vera", "mike"}
    assert sweep_on(before(90)).reminders == 0  # a second run that day sends nothing
    assert sweep_on(before(60)).reminders == 0
    assert sweep_on(before(29)).reminders == 3  # day 30 was missed: caught up next day
    assert sweep_on(before(7)).reminders == 3
    assert sweep_on(before(3)).reminders == 0
    assert sweep_on(EXPIRES).reminders == 0
    assert Notification.objects.count() == 9
    assert set(Notification.objects.values_list("threshold", flat=True)) == {"90", "30", "7"}
    # The manager cannot open vetting pages: their reminder carries no link.
    assert set(
        Notification.objects.filter(recipient__username="mike").values_list("url", flat=True)
    ) == {""}
    # The generic deadlines sweep adds nothing: the re-vetting deadline has no owner.
    with on(before(7)):
        deadlines_sweep()
    assert Notification.objects.count() == 9


def test_a_clearance_expires_the_day_after_its_expiry_date_and_is_a_risk(officer):
    assert sweep_on(EXPIRES).expired == 0
    assert Clearance.objects.get().status == ClearanceStatus.ACTIVE
    result = sweep_on(EXPIRES + datetime.timedelta(days=1))
    assert (result.expired, result.reminders) == (1, 3)  # overdue: unit and manager
    assert sent("overdue") == {"victor", "vera", "mike"}
    clearance = Clearance.objects.get()
    assert clearance.status == ClearanceStatus.EXPIRED
    assert ClearanceEvent.objects.get(kind="expired").on == EXPIRES + datetime.timedelta(days=1)
    again = sweep_on(EXPIRES + datetime.timedelta(days=2))
    assert (again.expired, again.reminders) == (0, 0)
    with on(EXPIRES + datetime.timedelta(days=2)):
        figures = selectors.figures()
        assert figures["expired_risks"] == 1 and figures["overdue"] == 1
        due = selectors.due_for_revetting(overdue_only=True)
    assert [row.person for row in due] == [officer]


def test_people_who_left_get_no_reminders(officer, ada):
    with on(GRANTED + datetime.timedelta(days=30)):
        person_set_status(
            actor=ada,
            person=officer,
            status=PersonStatus.RESIGNED,
            effective_date=timezone.localdate(),
            reason="Resigned",
        )
    assert sweep_on(before(90)).reminders == 0
    with on(before(90)):
        assert selectors.due_for_revetting() == []


def test_the_command_runs_the_sweep_for_a_given_day(officer, capsys):
    call_command("vetting_sweep", "--date", before(90).isoformat())
    assert "re-vetting reminders: 3" in capsys.readouterr().out


def test_beat_runs_the_sweep_daily():
    task = PeriodicTask.objects.get(task="vetting.sweep")
    assert task.enabled and task.crontab.hour == "6" and task.crontab.minute == "0"
