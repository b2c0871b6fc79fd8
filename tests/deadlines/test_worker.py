"""The sweep on a REAL Celery worker (prefork, Redis broker, PostgreSQL, a loopback SMTP
server): two sweeps at once, and a worker SIGKILLed mid-send, still give exactly one
notification and one e-mail (by Message-ID) per deadline.

Runs in CI (REDIS_URL set, PostgreSQL); skipped with the reason otherwise.
"""

import datetime
import time
import uuid

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from accounts.models import Person
from deadlines import outbox, tasks
from deadlines.models import Deadline, DeadlineKind, Notification
from tests.accounts.factories import ForceFactory, StaffPersonFactory
from tests.helpers import smtp_sink
from tests.helpers.celery_worker import (
    CeleryWorker,
    purge_queue,
    queue_length,
    skip_without_real_worker,
)

pytestmark = [
    pytest.mark.worker,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

DEADLINES = 1000


@pytest.fixture(autouse=True)
def _needs_real_worker():
    skip_without_real_worker()


@pytest.fixture
def queue():
    """A queue of our own, purged, so nothing else's tasks reach our worker."""
    name = f"test-deadlines-{uuid.uuid4().hex[:10]}"
    purge_queue(name)
    yield name
    purge_queue(name)


CLAIM_SECONDS = 4  # the outbox's claim lapses this soon after a killed sender took it


@pytest.fixture
def mail_sink(tmp_path):
    """A loopback SMTP server, slowed to 5 ms a message so a kill lands mid-send."""
    process, port = smtp_sink.start(tmp_path / "sink", delay_ms=5)
    yield port
    process.kill()
    process.wait(timeout=10)


@pytest.fixture
def workers(queue, tmp_path, mail_sink):
    started: list[CeleryWorker] = []

    def start(visibility_timeout: int = 3600) -> CeleryWorker:
        env = {
            "CELERY_VISIBILITY_TIMEOUT": str(visibility_timeout),
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(mail_sink),
            "PSD_EMAIL_CLAIM_SECONDS": str(CLAIM_SECONDS),
        }
        worker = CeleryWorker(queue, tmp_path / "worker.log", env=env)
        started.append(worker)
        worker.wait_ready()
        return worker

    yield start
    for worker in started:  # always, even when the test failed
        worker.kill()


@pytest.fixture
def due_deadlines(alice, bob):
    """1,000 open reg 17 clocks due in 3 days: each owes alice its 5-day reminder now."""
    kind = DeadlineKind.objects.get(code="reg17_representations")
    force = ForceFactory()
    people = Person.objects.bulk_create(
        StaffPersonFactory.build(force=force) for _ in range(DEADLINES)
    )
    content_type = ContentType.objects.get_for_model(Person)
    today = timezone.localdate()
    Deadline.objects.bulk_create(
        Deadline(
            kind=kind,
            content_type=content_type,
            object_id=person.pk,
            label=f"PSD/{i:05d}",
            trigger_date=today - datetime.timedelta(days=11),
            due_date=today + datetime.timedelta(days=3),
            owner=alice,
            escalate_to=bob,
            next_alert_on=today,
        )
        for i, person in enumerate(people)
    )
    return DEADLINES


def every_message_id() -> set[str]:
    return {outbox.message_id(n) for n in Notification.objects.all()}


def emailed() -> int:
    return Notification.objects.filter(emailed_at__isnull=False).count()


def wait_until(condition, timeout: float, what: str) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what} ({emailed()} e-mailed)")


def assert_exactly_one_reminder_each(total: int) -> None:
    assert Notification.objects.count() == total
    per_deadline = Notification.objects.values("deadline_id", "recipient_id", "threshold")
    assert per_deadline.distinct().count() == total
    assert set(Notification.objects.values_list("threshold", flat=True)) == {"5"}
    assert not Deadline.objects.filter(next_alert_on__lte=timezone.localdate()).exists()


def test_two_sweeps_at_once_send_each_reminder_exactly_once(
    workers, queue, due_deadlines, tmp_path
):
    worker = workers()
    started = time.monotonic()
    for _ in range(2):
        tasks.sweep_deadlines.apply_async(queue=queue)
    wait_until(lambda: emailed() == due_deadlines, 120, "every reminder e-mailed")
    wait_until(lambda: queue_length(queue) == 0 and worker.is_idle(), 20, "both sweeps done")
    elapsed = time.monotonic() - started
    assert_exactly_one_reminder_each(due_deadlines)
    delivered = smtp_sink.deliveries(tmp_path / "sink")
    assert sorted(delivered) == sorted(every_message_id())  # no kill: exactly one e-mail each
    log = (tmp_path / "worker.log").read_text()
    assert log.count("succeeded in") == 2 and "Traceback" not in log
    print(f"\n{due_deadlines} reminders by two concurrent sweeps in {elapsed:.1f}s")


def test_a_worker_killed_mid_send_leaves_exactly_one_reminder_and_one_email_each(
    workers, queue, due_deadlines, tmp_path
):
    visibility = 3  # short, so the restarted worker redelivers the killed sweep at start-up
    first = workers(visibility_timeout=visibility)
    tasks.sweep_deadlines.apply_async(queue=queue)
    wait_until(lambda: emailed() >= 150, 30, "the sweep to be sending")
    first.kill()  # SIGKILL the whole process group mid-send: no ack, no clean-up
    killed_at = time.monotonic()
    done_before_kill = emailed()
    assert done_before_kill < due_deadlines, "the sweep finished before the kill"
    in_flight = Notification.objects.filter(
        emailed_at__isnull=True, email_claimed_at__isnull=False
    ).count()
    assert in_flight, "the kill did not land inside a claimed chunk"
    # The killed message is redelivered after the visibility timeout, and the killed chunk's
    # claim lapses after CLAIM_SECONDS; both are minutes in production (README).
    time.sleep(max(0.0, max(visibility, CLAIM_SECONDS) + 1 - (time.monotonic() - killed_at)))

    second = workers(visibility_timeout=visibility)  # restores the unacked message at start
    # Bounds for a busy CI machine; on a quiet one this takes a few seconds.
    wait_until(lambda: emailed() == due_deadlines, 120, "the redelivered sweep to finish")
    wait_until(lambda: queue_length(queue) == 0 and second.is_idle(), 20, "the worker idle")
    assert_exactly_one_reminder_each(due_deadlines)
    delivered = smtp_sink.deliveries(tmp_path / "sink")
    # Zero lost, zero duplicates in the mailbox: every reminder's Message-ID arrived, and
    # nothing else did.
    assert smtp_sink.mailbox(tmp_path / "sink") == every_message_id()
    # Handed to the server twice only if in flight when the process died (accepted, not yet
    # marked): at most one per sender thread, sent again with the same Message-ID. Usually
    # none.
    assert due_deadlines <= len(delivered) <= due_deadlines + settings.PSD_EMAIL_SENDERS
    log = (tmp_path / "worker.log").read_text()
    received = [
        line for line in log.splitlines() if "deadlines.sweep[" in line and "received" in line
    ]
    assert len(received) == 2, "the killed sweep was not redelivered"
    print(
        f"\nkilled after {done_before_kill} e-mails with {in_flight} claimed in flight; "
        f"{len(delivered) - due_deadlines} handed over twice; finished exactly once"
    )
