"""Opening, meeting, cancelling and correcting deadlines through the services."""

import datetime
from unittest import mock

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from kombu.exceptions import OperationalError

from deadlines import selectors, services, tasks
from deadlines.models import Deadline, DeadlineKind, Notification, Status
from deadlines.sweep import run_sweep
from psd.domain import DomainError
from tests.accounts.factories import PersonFactory

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def subject():
    """Any object can carry deadlines; a person from the register stands in for a case."""
    return PersonFactory()


@pytest.fixture
def at_noon():
    with time_machine.travel(datetime.datetime(2024, 3, 4, 12, 0, tzinfo=datetime.UTC), tick=False):
        yield


def test_open_computes_the_due_date_from_the_kind_rule(subject, alice, bob):
    deadline = services.deadline_open(
        kind="reg17_representations",
        target=subject,
        trigger_date=D(2024, 3, 28),  # Thursday before Easter 2024
        owner=alice,
        escalate_to=bob,
    )
    # CR 2020 reg 18: 10 working days after; Good Friday and Easter Monday do not count.
    assert deadline.due_date == D(2024, 4, 15)
    assert deadline.status == Status.OPEN
    assert deadline.target == subject
    assert deadline.url == subject.get_absolute_url()
    assert deadline.label == str(subject)
    assert deadline.next_alert_on == D(2024, 4, 10)  # first reminder: 5 days before


@pytest.mark.parametrize(
    ("kind", "trigger", "due"),
    [
        ("barred_list_report", D(2024, 3, 4), D(2024, 3, 8)),  # 5 WD beginning with Monday
        ("advisory_list_report", D(2024, 3, 9), D(2024, 3, 15)),  # Saturday does not count
        ("review_window", D(2024, 3, 4), D(2024, 4, 1)),  # 28 days from the day after
        ("twelve_month_report", D(2024, 2, 29), D(2025, 2, 28)),
        ("six_month_repeat", D(2024, 8, 31), D(2025, 2, 28)),
        ("reg31_response", D(2024, 3, 18), D(2024, 4, 10)),  # 15 WD over Easter
    ],
)
def test_each_rule_variant(subject, kind, trigger, due):
    assert services.deadline_open(kind=kind, target=subject, trigger_date=trigger).due_date == due


def test_open_twice_returns_the_running_clock_unchanged(subject, alice, dave):
    first = services.deadline_open(
        kind="reg17_representations", target=subject, trigger_date=D(2024, 3, 4), owner=alice
    )
    again = services.deadline_open(
        kind="reg17_representations", target=subject, trigger_date=D(2024, 3, 11), owner=dave
    )
    assert again.pk == first.pk
    assert again.owner == alice and again.due_date == D(2024, 3, 18)
    assert Deadline.objects.count() == 1


def test_a_kind_with_no_rule_is_refused_without_a_due_date(subject):
    with pytest.raises(DomainError, match="Deadline kind Re-vetting due has no rule"):
        services.deadline_open(kind="revetting_due", target=subject, trigger_date=D(2024, 3, 4))
    assert not Deadline.objects.exists()


def test_a_kind_computed_elsewhere_takes_the_given_due_date(subject, victor):
    deadline = services.deadline_open(
        kind="revetting_due",
        target=subject,
        trigger_date=D(2024, 3, 4),
        due_date=D(2031, 3, 4),
        owner=victor,
    )
    assert deadline.due_date == D(2031, 3, 4)
    assert deadline.next_alert_on == D(2030, 12, 4)  # 90 days before


def test_a_due_date_before_the_trigger_is_refused(subject):
    with pytest.raises(DomainError, match="cannot be before the trigger date") as error:
        services.deadline_open(
            kind="revetting_due", target=subject, trigger_date=D(2024, 3, 4), due_date=D(2024, 3, 1)
        )
    assert error.value.field == "due_date"


def test_an_unknown_kind_is_refused(subject):
    with pytest.raises(DomainError, match="no deadline kind “nonsense”"):
        services.deadline_open(kind="nonsense", target=subject, trigger_date=D(2024, 3, 4))


def test_meet_records_who_and_when_on_time(subject, alice, at_noon):
    services.deadline_open(kind="reg17_representations", target=subject, trigger_date=D(2024, 3, 4))
    deadline = services.deadline_meet(kind="reg17_representations", target=subject, actor=alice)
    assert deadline.status == Status.MET
    assert deadline.met_by == alice
    assert deadline.met_at == datetime.datetime(2024, 3, 4, 12, tzinfo=datetime.UTC)
    assert deadline.met_late is False
    assert deadline.next_alert_on is None


def test_met_late_is_still_met_but_remembered_as_late(subject, alice):
    services.deadline_open(kind="reg17_representations", target=subject, trigger_date=D(2024, 3, 4))
    deadline = services.deadline_meet(
        kind="reg17_representations", target=subject, actor=alice, when=D(2024, 3, 19)
    )
    assert deadline.status == Status.MET and deadline.met_late is True
    on_the_day = services.deadline_open(
        kind="reg17_representations", target=subject, trigger_date=D(2024, 3, 4)
    )
    assert on_the_day.pk != deadline.pk  # a new clock may start once the old one closed
    met = services.deadline_meet(kind="reg17_representations", target=subject, when=D(2024, 3, 18))
    assert met.met_late is False


def test_meet_with_no_running_clock_returns_none(subject):
    assert services.deadline_meet(kind="reg17_representations", target=subject) is None


def test_cancel_before_due_is_cancelled_after_due_is_missed(subject, alice, at_noon):
    services.deadline_open(kind="reg17_representations", target=subject, trigger_date=D(2024, 3, 4))
    services.deadline_open(kind="reg31_response", target=subject, trigger_date=D(2024, 1, 2))
    cancelled = services.deadline_cancel(
        kind="reg17_representations", target=subject, actor=alice, reason="Complaint withdrawn"
    )
    assert cancelled.status == Status.CANCELLED
    assert (cancelled.cancelled_by, cancelled.cancelled_reason) == (alice, "Complaint withdrawn")
    missed = services.deadline_cancel(
        kind="reg31_response", target=subject, actor=alice, reason="Complaint withdrawn"
    )
    assert missed.status == Status.MISSED


def test_cancel_needs_a_reason(subject):
    services.deadline_open(kind="reg17_representations", target=subject, trigger_date=D(2024, 3, 4))
    with pytest.raises(DomainError, match="Give a reason"):
        services.deadline_cancel(kind="reg17_representations", target=subject, reason="  ")
    assert Deadline.objects.get().status == Status.OPEN


def test_cancel_all_stops_every_open_clock_of_the_target_only(subject, alice, at_noon):
    other = PersonFactory()
    for kind in ("reg17_representations", "twelve_month_report"):
        services.deadline_open(kind=kind, target=subject, trigger_date=D(2024, 3, 4))
    services.deadline_open(kind="reg17_representations", target=other, trigger_date=D(2024, 3, 4))
    closed = services.deadlines_cancel_all(target=subject, actor=alice, reason="Case finalised")
    assert len(closed) == 2
    assert set(Deadline.objects.filter(object_id=subject.pk).values_list("status", flat=True)) == {
        Status.CANCELLED
    }
    assert Deadline.objects.get(object_id=other.pk).status == Status.OPEN


def test_correct_trigger_recomputes_the_due_date(subject, bob, at_noon):
    deadline = services.deadline_open(
        kind="reg17_representations", target=subject, trigger_date=D(2024, 3, 4)
    )
    moved = services.deadline_correct_trigger(
        deadline=deadline, trigger_date=D(2024, 3, 11), actor=bob
    )
    assert (moved.trigger_date, moved.due_date) == (D(2024, 3, 11), D(2024, 3, 25))
    assert moved.next_alert_on == D(2024, 3, 20)


def test_a_met_deadline_cannot_be_moved(subject, bob):
    deadline = services.deadline_open(
        kind="reg17_representations", target=subject, trigger_date=D(2024, 3, 4)
    )
    services.deadline_meet(kind="reg17_representations", target=subject, when=D(2024, 3, 5))
    with pytest.raises(DomainError, match="A met deadline cannot be moved"):
        services.deadline_correct_trigger(deadline=deadline, trigger_date=D(2024, 3, 11), actor=bob)
    deadline.refresh_from_db()
    assert deadline.trigger_date == D(2024, 3, 4)


def test_reassign_moves_open_clocks_to_the_new_owner(subject, alice, dave, bob):
    services.deadline_open(
        kind="reg17_representations", target=subject, trigger_date=D(2024, 3, 4), owner=alice
    )
    services.deadline_open(
        kind="twelve_month_report",
        target=subject,
        trigger_date=D(2024, 3, 4),
        owner=alice,
        escalate_to=bob,
    )
    assert services.deadline_reassign(target=subject, owner=dave) == 2
    assert set(Deadline.objects.values_list("owner__username", "escalate_to__username")) == {
        ("dave", None),
        ("dave", "bob"),
    }


def test_the_database_refuses_a_due_date_before_the_trigger(subject):
    from django.db import IntegrityError

    kind = DeadlineKind.objects.get(code="reg17_representations")
    with pytest.raises(IntegrityError):
        Deadline.objects.create(
            kind=kind, target=subject, trigger_date=D(2024, 3, 4), due_date=D(2024, 3, 1)
        )


def test_next_deadlines_for_a_list_page_in_one_query(subject):
    other, idle = PersonFactory(), PersonFactory()
    services.deadline_open(kind="twelve_month_report", target=subject, trigger_date=D(2024, 3, 4))
    soonest = services.deadline_open(
        kind="reg17_representations", target=subject, trigger_date=D(2024, 3, 4)
    )
    theirs = services.deadline_open(kind="reg31_response", target=other, trigger_date=D(2024, 3, 4))
    with CaptureQueriesContext(connection) as queries:
        found = selectors.next_deadlines_for(targets=[subject, other, idle])
        assert found[subject.pk].kind.code == "reg17_representations"
    assert len(queries) == 1
    assert found == {subject.pk: soonest, other.pk: theirs}
    by_ids = selectors.next_deadlines_for(content_type=type(subject), ids=[other.pk])
    assert by_ids == {other.pk: theirs}


def test_a_broker_outage_does_not_lose_the_action(
    subject, alice, django_capture_on_commit_callbacks, caplog, mailoutbox
):
    """The clock opens already inside its reminder window, so a task is queued on commit;
    the broker is down: the deadline is still committed and the next sweep sends."""
    with (
        time_machine.travel(datetime.datetime(2024, 3, 15, 9, tzinfo=datetime.UTC), tick=False),
        mock.patch.object(
            tasks.alert_deadline, "apply_async", side_effect=OperationalError("broker down")
        ) as send,
        django_capture_on_commit_callbacks(execute=True),
    ):
        deadline = services.deadline_open(
            kind="reg17_representations", target=subject, trigger_date=D(2024, 3, 4), owner=alice
        )
    assert send.called
    assert "the next sweep catches up" in caplog.text
    assert Deadline.objects.filter(pk=deadline.pk, status=Status.OPEN).exists()
    assert not Notification.objects.exists()
    with time_machine.travel(datetime.datetime(2024, 3, 15, 9, 5, tzinfo=datetime.UTC), tick=False):
        run_sweep()
    notification = Notification.objects.get()
    assert (notification.recipient, notification.threshold) == (alice, "5")
    assert len(mailoutbox) == 1


def test_notification_send_is_once_per_deadline_recipient_and_threshold(subject, victor):
    deadline = services.deadline_open(
        kind="revetting_due", target=subject, trigger_date=D(2024, 3, 4), due_date=D(2025, 3, 4)
    )
    args = {"recipient": victor, "title": "Re-vetting due", "body": "", "url": "/vetting/1/"}
    first = services.notification_send(deadline=deadline, kind="reminder", threshold=30, **args)
    again = services.notification_send(deadline=deadline, kind="reminder", threshold=30, **args)
    assert first is not None and again is None
    assert services.notification_send(**args) is not None  # not about a deadline: always sent
    assert Notification.objects.count() == 2


def test_a_kind_with_no_rule_cannot_be_moved_by_its_trigger(subject, victor):
    deadline = services.deadline_open(
        kind="revetting_due", target=subject, trigger_date=D(2024, 3, 4), due_date=D(2031, 3, 4)
    )
    with pytest.raises(DomainError, match="has no rule"):
        services.deadline_correct_trigger(
            deadline=deadline, trigger_date=D(2024, 4, 1), actor=victor
        )


def test_a_target_without_a_page_gets_no_link(alice):
    deadline = services.deadline_open(
        kind="reg17_representations", target=alice, trigger_date=D(2024, 3, 4), label="Alice"
    )
    assert deadline.url == "" and deadline.label == "Alice"
