"""The sweep: find deadlines entering a reminder window or overdue, notify, e-mail.

Exactly once, even when two sweeps run at the same time or a worker dies mid-batch:

1. **Claim.** A deadline whose ``next_alert_on`` has come is locked (``SKIP LOCKED``, so two
   sweeps share the work instead of queueing), and each notification it needs is INSERTed with
   ``ON CONFLICT DO NOTHING`` against the unique (deadline, recipient, kind, threshold): the
   row exists once, whoever inserted it. The deadline's ``next_alert_on`` moves on in the same
   transaction, so the work and the bookmark commit together or not at all.
2. **Send, then mark.** Each claimed notification not yet e-mailed is locked (``SKIP
   LOCKED``), e-mailed with Django's ``send_mail``, then marked with a conditional
   ``filter(emailed_at=None).update(emailed_at=now)`` before the lock is released. A second
   sweep skips the locked row or sees it marked.

The one window: a worker killed after the e-mail left but before the mark committed. The
redelivered task (``acks_late`` + ``reject_on_worker_lost``) or the next sweep then e-mails
that notification again — at most once more per killed process. The in-app notification is
never duplicated. Every run is idempotent and bounded (``batch_size`` x ``max_batches``);
whatever is left waits for the next run five minutes later. No Celery ETAs: the due dates live
in the database.
"""

import datetime
import logging
from dataclasses import asdict, dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from .models import OVERDUE, Deadline, Notification, NotificationKind, Status

logger = logging.getLogger(__name__)
ONE_DAY = datetime.timedelta(days=1)
BATCH_SIZE = 200
MAX_BATCHES = 50


@dataclass
class SweepResult:
    deadlines: int = 0
    notifications: int = 0
    emails: int = 0

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
) -> SweepResult:
    """Claim the notifications of every open deadline whose ``next_alert_on`` has come."""
    today = today or timezone.localdate()
    now = timezone.now()
    result, last_pk = SweepResult(), 0
    for _ in range(max_batches):
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
    return result


def notification_email(notification_id: int) -> bool:
    """E-mail one notification unless it was e-mailed already or another worker is on it.
    Claim (row lock), send, mark (conditional update) — see the module docstring."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("recipient")
            .filter(pk=notification_id, emailed_at__isnull=True)
            .first()
        )
        if notification is None or not notification.recipient.email:
            return False
        # E-mail needs an absolute link: the site's address comes from settings.
        link = (
            f"\n\nOpen: {settings.PSD_BASE_URL.rstrip('/')}{notification.url}"
            if notification.url
            else ""
        )
        try:
            send_mail(
                notification.title,
                notification.body + link,
                None,
                [notification.recipient.email],
            )
        except Exception:  # noqa: BLE001 - any mail failure: keep it un-emailed, retry next run
            logger.warning("e-mail for notification %s failed; will retry", notification_id)
            return False
        marked = Notification.objects.filter(pk=notification_id, emailed_at__isnull=True).update(
            emailed_at=timezone.now()
        )
    return bool(marked)


def send_pending_emails(
    *, limit: int = BATCH_SIZE * MAX_BATCHES, deadline_ids: list[int] | None = None
) -> int:
    """E-mail claimed notifications that have not been e-mailed (unread, with an address)."""
    pending = Notification.objects.filter(
        emailed_at__isnull=True, read_at__isnull=True, recipient__email__gt=""
    )
    if deadline_ids is not None:
        pending = pending.filter(deadline_id__in=deadline_ids)
    pending = pending.order_by("pk").values_list("pk", flat=True)[:limit]
    return sum(notification_email(pk) for pk in list(pending))


def run_sweep(*, today: datetime.date | None = None) -> SweepResult:
    """One full, idempotent sweep: claim what is due, then e-mail what is claimed."""
    result = alert_deadlines(today=today)
    result.emails = send_pending_emails()
    logger.info("deadlines sweep: %s", result.as_dict())
    return result
