"""The sweep: reminders at thresholds, escalation when overdue, each exactly once."""

import datetime
import io
from unittest import mock

import pytest
import time_machine
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from deadlines import services, tasks
from deadlines.models import Deadline, DeadlineKind, Notification
from deadlines.sweep import alert_deadlines, run_sweep, send_pending_emails
from tests.accounts.factories import PersonFactory
from tests.deadlines.factories import DeadlineFactory

pytestmark = pytest.mark.django_db
D = datetime.date


def on(day: datetime.date):
    """Travel to 09:00 UTC on ``day`` (the sweep runs every few minutes all day)."""
    return time_machine.travel(
        datetime.datetime.combine(day, datetime.time(9), datetime.UTC), tick=False
    )


def sweep_on(day: datetime.date):
    with on(day):
        return run_sweep()


def sent():
    return sorted(Notification.objects.values_list("recipient__username", "kind", "threshold"))


@pytest.fixture
def reg17(alice, bob):
    """CR 2020 reg 18: due Monday 18 March 2024; reminders 5 and 1 days before."""
    return services.deadline_open(
        kind="reg17_representations",
        target=PersonFactory(),
        trigger_date=D(2024, 3, 4),
        owner=alice,
        escalate_to=bob,
        label="PSD/2024/0001",
    )


def test_reminders_at_each_threshold_then_escalation_once_overdue(reg17, mailoutbox):
    assert sweep_on(D(2024, 3, 12)).notifications == 0  # 6 days before: nothing yet
    sweep_on(D(2024, 3, 13))
    assert sent() == [("alice", "reminder", "5")]
    assert mailoutbox[0].to == ["alice@psd.example"]
    assert "18 March 2024" in mailoutbox[0].subject
    assert "http://127.0.0.1:8000/personnel/" in mailoutbox[0].body  # absolute link
    sweep_on(D(2024, 3, 17))
    sweep_on(D(2024, 3, 18))  # due today: not overdue yet
    assert sent() == [("alice", "reminder", "1"), ("alice", "reminder", "5")]
    sweep_on(D(2024, 3, 19))
    assert sent() == [
        ("alice", "reminder", "1"),
        ("alice", "reminder", "5"),
        ("alice", "reminder", "overdue"),
        ("bob", "escalation", "overdue"),
    ]
    reg17.refresh_from_db()
    assert reg17.status == "open"  # still open: it can be met late
    assert reg17.overdue_since is not None and reg17.next_alert_on is None
    assert [m.to for m in mailoutbox] == [
        ["alice@psd.example"],
        ["alice@psd.example"],
        ["alice@psd.example"],
        ["bob@psd.example"],
    ]
    sweep_on(D(2024, 3, 25))
    assert len(sent()) == 4 and len(mailoutbox) == 4


def test_running_the_sweep_twice_sends_each_reminder_once(reg17, mailoutbox):
    for _ in range(2):
        sweep_on(D(2024, 3, 13))
    with on(D(2024, 3, 13)):
        alert_deadlines(ids=[reg17.pk])
        Deadline.objects.filter(pk=reg17.pk).update(next_alert_on=D(2024, 3, 13))  # replayed
        alert_deadlines()
        send_pending_emails()
    assert sent() == [("alice", "reminder", "5")]
    assert len(mailoutbox) == 1


def test_a_deadline_opened_inside_its_window_gets_only_the_tightest_reminder(alice, mailoutbox):
    with on(D(2024, 3, 15)):
        services.deadline_open(
            kind="reg17_representations",
            target=PersonFactory(),
            trigger_date=D(2024, 3, 4),
            owner=alice,
        )
    sweep_on(D(2024, 3, 17))
    assert sent() == [("alice", "reminder", "1")]


def test_no_escalation_for_kinds_that_do_not_escalate(alice, bob):
    services.deadline_open(
        kind="review_window",
        target=PersonFactory(),
        trigger_date=D(2024, 3, 4),
        owner=alice,
        escalate_to=bob,
    )
    sweep_on(D(2024, 4, 2))
    assert sent() == [("alice", "reminder", "overdue")]


def test_met_and_cancelled_deadlines_are_not_chased(reg17, alice):
    services.deadline_meet(kind="reg17_representations", target=reg17.target, actor=alice)
    assert sweep_on(D(2024, 3, 19)).deadlines == 0
    assert sent() == []


def test_a_deadline_with_no_owner_moves_on_without_notifying(bob):
    deadline = DeadlineFactory(owner=None, escalate_to=bob)
    sweep_on(D(2024, 3, 13))
    deadline.refresh_from_db()
    assert sent() == [] and deadline.next_alert_on == D(2024, 3, 17)


def test_a_failed_email_is_retried_by_the_next_sweep(reg17, mailoutbox):
    with mock.patch.object(LocmemBackend, "send_messages", side_effect=ConnectionRefusedError):
        assert sweep_on(D(2024, 3, 13)).emails == 0
    failed = Notification.objects.get()
    assert failed.emailed_at is None and failed.email_claimed_at is None  # released at once
    assert sweep_on(D(2024, 3, 13)).emails == 1
    assert len(mailoutbox) == 1 and Notification.objects.get().emailed_at is not None


def test_read_notifications_are_not_emailed(reg17, alice, mailoutbox):
    with on(D(2024, 3, 13)):
        alert_deadlines()
        services.notifications_mark_all_read(user=alice)
        assert send_pending_emails() == 0
    assert mailoutbox == []


def test_a_moved_deadline_is_chased_on_its_new_dates(reg17, bob):
    sweep_on(D(2024, 3, 19))
    with on(D(2024, 3, 19)):
        services.deadline_correct_trigger(deadline=reg17, trigger_date=D(2024, 3, 11), actor=bob)
    reg17.refresh_from_db()
    assert reg17.overdue_since is None and reg17.next_alert_on == D(2024, 3, 20)
    sweep_on(D(2024, 3, 24))
    assert ("alice", "reminder", "1") in sent()


def test_claiming_a_batch_takes_a_fixed_number_of_queries(alice, bob):
    kind = DeadlineKind.objects.get(code="reg17_representations")
    DeadlineFactory.create_batch(3, kind=kind, owner=alice, escalate_to=bob)
    with on(D(2024, 3, 19)), CaptureQueriesContext(connection) as few:
        alert_deadlines()
    DeadlineFactory.create_batch(30, kind=kind, owner=alice, escalate_to=bob)
    with on(D(2024, 3, 19)), CaptureQueriesContext(connection) as many:
        alert_deadlines()
    assert len(many) == len(few)
    assert Notification.objects.count() == 33 * 2


def test_batches_are_bounded_and_the_next_run_continues(alice):
    DeadlineFactory.create_batch(5, owner=alice)
    with on(D(2024, 3, 13)):
        first = alert_deadlines(batch_size=2, max_batches=1)
        rest = alert_deadlines(batch_size=2, max_batches=10)
    assert (first.deadlines, rest.deadlines) == (2, 3)
    assert Notification.objects.count() == 5


def test_run_sweeps_command_and_the_celery_task(reg17, mailoutbox, settings):
    out = io.StringIO()
    with on(D(2024, 3, 13)):
        call_command("run_sweeps", stdout=out)
        assert tasks.sweep_deadlines.apply().get() == {
            "deadlines": 0,
            "notifications": 0,
            "emails": 0,
            "more": False,
        }
    assert "notifications: 1; e-mails: 1" in out.getvalue()
    assert len(mailoutbox) == 1


def test_the_beat_schedule_runs_the_sweep_every_five_minutes():
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(task="deadlines.sweep")
    assert task.enabled and (task.interval.every, task.interval.period) == (5, "minutes")
