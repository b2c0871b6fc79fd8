"""The sweep: find deadlines entering a reminder window or overdue, notify, e-mail.

Exactly once, even when two sweeps run at the same time or a worker dies mid-batch:

1. **Claim.** A deadline whose ``next_alert_on`` has come is locked (``SKIP LOCKED``, so two
   sweeps share the work instead of queueing), and each notification it needs is INSERTed with
   ``ON CONFLICT DO NOTHING`` against the unique (deadline, recipient, kind, threshold): the
   row exists once, whoever inserted it. The deadline's ``next_alert_on`` moves on in the same
   transaction, so the work and the bookmark commit together or not at all.
2. **E-mail from the outbox** (``deadlines.outbox``): claimed notifications not yet e-mailed
   are claimed for sending with a conditional UPDATE, sent in chunks over one SMTP connection
   with a stable Message-ID, and marked one by one as the server accepts them. The guarantee
   (at most the in-flight message of each sender of a killed process is handed over twice,
   with the same Message-ID) is spelt out there. The in-app notification is never duplicated.

Every run is idempotent and short: it claims at most ``batch_size`` x ``max_batches``
deadlines and stops both phases when its time budget (``SWEEP_BUDGET_SECONDS``) is spent, so
a killed run's message is redelivered after a visibility timeout of minutes, not an hour
(``CELERY_VISIBILITY_TIMEOUT``). A run that stops with work left says so (``more``) and the
task queues the next run at once; otherwise the next run is the beat's, five minutes later. No
Celery ETAs: the due dates live in the database.
"""

import datetime
import logging
import time
from dataclasses import asdict, dataclass

from django.db import transaction
from django.utils import timezone

from . import outbox
from .models import OVERDUE, Deadline, Notification, NotificationKind, Status

logger = logging.getLogger(__name__)
ONE_DAY = datetime.timedelta(days=1)
BATCH_SIZE = 200
MAX_BATCHES = 50
# Each phase of a run stops after this long (a run is then well under the visibility timeout).
SWEEP_BUDGET_SECONDS = 60


@dataclass
class SweepResult:
    deadlines: int = 0
    notifications: int = 0
    emails: int = 0
    more: bool = False  # stopped by its bounds with work left: run again now

    def as_dict(self) -> dict:
        return asdict(self)


def plan_alerts(deadline: Deadline, today: datetime.date):
    """What to send for ``deadline`` today: a list of (recipient, kind, threshold) and the next
    day anything will be due (None once the overdue escalation has gone).

    Thresholds are calendar days before the due date; only the tightest threshold already
    entered is sent (a deadline opened two days before it is due gets the 2-day reminder, not a
    stale 5-day one). Overdue means the due date has passed: the owner is told and, if the kind
    escalates, so is ``escalate_to`` (the supervisor).
    """
    days_left = (deadline.due_date - today).days
    alerts = []
    if days_left < 0:
        if deadline.owner_id:
            alerts.append((deadline.owner, NotificationKind.REMINDER, OVERDUE))
        if deadline.kind.escalate_when_overdue and deadline.escalate_to_id:
            alerts.append((deadline.escalate_to, NotificationKind.ESCALATION, OVERDUE))
        return alerts, None
    thresholds = deadline.kind.thresholds
    entered = [days for days in thresholds if days >= days_left]
    if entered and deadline.owner_id:
        alerts.append((deadline.owner, NotificationKind.REMINDER, str(min(entered))))
    later = [deadline.due_date - datetime.timedelta(days=d) for d in thresholds if d < days_left]
    return alerts, min(later, default=deadline.due_date + ONE_DAY)


def _message(deadline: Deadline, kind: str, threshold: str) -> tuple[str, str]:
    due = f"{deadline.due_date:%A %d %B %Y}"
    subject = deadline.label or deadline.kind.name
    if threshold == OVERDUE:
        title = f"Overdue: {deadline.kind.name} – {subject}"
        lead = f"This deadline was due on {due} and has not been met."
        if kind == NotificationKind.ESCALATION:
            lead += " You are told as the supervisor it escalates to."
    else:
        title = f"{deadline.kind.name} due {due} – {subject}"
        lead = f"This deadline is due on {due}."
    body = f"{lead}\n\n{deadline.kind.name}\nRule: {deadline.kind.citation or 'force policy'}"
    return title[:200], body


def _claim_batch(deadlines: list[Deadline], today: datetime.date, now) -> int:
    rows, overdue = [], []
    for deadline in deadlines:
        alerts, next_alert_on = plan_alerts(deadline, today)
        deadline.next_alert_on = next_alert_on
        if deadline.due_date < today:
            overdue.append(deadline.pk)
        for recipient, kind, threshold in alerts:
            title, body = _message(deadline, kind, threshold)
            rows.append(
                Notification(
                    recipient=recipient,
                    deadline=deadline,
                    kind=kind,
                    threshold=threshold,
                    title=title,
                    body=body,
                    url=deadline.url,
                )
            )
    # ON CONFLICT DO NOTHING: a notification claimed by another sweep is simply not inserted.
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    # One UPDATE for the batch (a CASE on the primary key), not one per distinct date.
    Deadline.objects.bulk_update(deadlines, ["next_alert_on"])
    Deadline.objects.filter(pk__in=overdue, overdue_since__isnull=True).update(overdue_since=now)
    return len(rows)


def alert_deadlines(
    *,
    today: datetime.date | None = None,
    ids: list[int] | None = None,
    batch_size: int = BATCH_SIZE,
    max_batches: int = MAX_BATCHES,
    budget_seconds: float | None = None,
) -> SweepResult:
    """Claim the notifications of every open deadline whose ``next_alert_on`` has come."""
    today = today or timezone.localdate()
    now = timezone.now()
    end = time.monotonic() + budget_seconds if budget_seconds else None
    result, last_pk = SweepResult(), 0
    for _ in range(max_batches):
        if end is not None and time.monotonic() > end:
            result.more = True
            break
        with transaction.atomic():
            due = Deadline.objects.filter(
                status=Status.OPEN, next_alert_on__lte=today, pk__gt=last_pk
            )
            if ids is not None:
                due = due.filter(pk__in=ids)
            batch = list(
                due.select_for_update(skip_locked=True, of=("self",))
                .select_related("kind", "owner", "escalate_to")
                .order_by("pk")[:batch_size]
            )
            if not batch:
                break
            result.notifications += _claim_batch(batch, today, now)
        result.deadlines += len(batch)
        last_pk = batch[-1].pk
    else:
        result.more = True  # every batch was full: there may be more
    return result


def notification_email(notification_id: int) -> bool:
    """E-mail one notification unless it is e-mailed, read, or another sender holds it."""
    sent, _ = outbox.send_pending(limit=1, ids=[notification_id])
    return bool(sent)


def send_pending_emails(
    *,
    limit: int = BATCH_SIZE * MAX_BATCHES,
    deadline_ids: list[int] | None = None,
    budget_seconds: float | None = None,
) -> int:
    """E-mail claimed notifications that have not been e-mailed (unread, with an address)."""
    sent, _ = outbox.send_pending(
        limit=limit, deadline_ids=deadline_ids, budget_seconds=budget_seconds
    )
    return sent


def run_sweep(
    *, today: datetime.date | None = None, budget_seconds: float = SWEEP_BUDGET_SECONDS
) -> SweepResult:
    """One idempotent, bounded sweep: claim what is due, then e-mail what is claimed."""
    result = alert_deadlines(today=today, budget_seconds=budget_seconds)
    result.emails, more_mail = outbox.send_pending(
        limit=BATCH_SIZE * MAX_BATCHES, budget_seconds=budget_seconds
    )
    result.more = result.more or more_mail
    logger.info("deadlines sweep: %s", result.as_dict())
    return result
