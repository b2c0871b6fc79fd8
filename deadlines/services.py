"""The public interface of the deadlines app: other apps open, meet, cancel and correct
deadlines and send notifications ONLY through these functions.

Every function runs in ``transaction.atomic`` and locks the rows it changes with
``select_for_update`` so two requests cannot both close the same clock. Deadlines that are
already inside a reminder window are alerted at once by a task queued on commit; if the
broker is down the action still commits and the next sweep catches up.
"""

import datetime
import logging

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.urls import NoReverseMatch
from django.utils import timezone

from psd.domain import DomainError

from .calendar import WorkingCalendar, add_months
from .models import (
    Counting,
    Deadline,
    DeadlineKind,
    Notification,
    NotificationKind,
    Status,
    Unit,
)
from .tasks import alert_deadline, email_notification

logger = logging.getLogger(__name__)
ONE_DAY = datetime.timedelta(days=1)


# --- Rules ----------------------------------------------------------------------------------
def due_date_for(kind: DeadlineKind, trigger_date: datetime.date, calendar=None) -> datetime.date:
    """The due date the kind's rule gives for a trigger date (see deadlines.calendar for the
    counting rule). Refused for a kind whose due date is computed elsewhere."""
    if not kind.has_rule:
        raise DomainError(f"Deadline kind {kind.name} has no rule.")
    beginning_with = kind.counting == Counting.BEGINNING_WITH
    if kind.unit == Unit.WORKING_DAYS:
        calendar = calendar or WorkingCalendar.load()
        return calendar.add_working_days(trigger_date, kind.amount, beginning_with=beginning_with)
    if kind.unit == Unit.CALENDAR_DAYS:
        # C&M Regs 2020 reg 29(2): "28 days beginning with the day after" = trigger + 28.
        days = kind.amount - 1 if beginning_with else kind.amount
        return trigger_date + datetime.timedelta(days=max(days, 0))
    due = add_months(trigger_date, kind.amount)
    return due - ONE_DAY if beginning_with and kind.amount else due


def first_alert_on(kind: DeadlineKind, due_date: datetime.date) -> datetime.date:
    """The first day the sweep has something to send: the largest reminder threshold before
    the due date, or the day after it (overdue) when the kind has no reminders."""
    thresholds = kind.thresholds
    if thresholds:
        return due_date - datetime.timedelta(days=thresholds[0])
    return due_date + ONE_DAY


def _kind(code: str) -> DeadlineKind:
    try:
        return DeadlineKind.objects.get(code=code)
    except DeadlineKind.DoesNotExist:
        raise DomainError(f"There is no deadline kind “{code}”.") from None


def _target_filter(target) -> dict:
    content_type = ContentType.objects.get_for_model(target)
    return {"content_type": content_type, "object_id": target.pk}


def _check_order(trigger_date: datetime.date, due_date: datetime.date) -> None:
    if due_date < trigger_date:
        raise DomainError(
            f"The due date ({due_date:%d %B %Y}) cannot be before the trigger date "
            f"({trigger_date:%d %B %Y}).",
            field="due_date",
        )


def _url_of(target) -> str:
    """The object's page, stored so list pages link without loading every target."""
    try:
        return target.get_absolute_url()[:500]
    except (AttributeError, NoReverseMatch):
        return ""


def _alert_now_if_due(deadline: Deadline) -> None:
    if deadline.next_alert_on and deadline.next_alert_on <= timezone.localdate():
        alert_deadline.delay_on_commit(deadline.pk)


def _as_datetime(when) -> datetime.datetime:
    if when is None:
        return timezone.now()
    if isinstance(when, datetime.datetime):
        return when
    # A bare date: the end of that day in Europe/London, so it is never "late" by mistake.
    return timezone.make_aware(datetime.datetime.combine(when, datetime.time(23, 59)))


# --- Deadlines -------------------------------------------------------------------------------
def deadline_open(
    *,
    kind: str,
    target,
    trigger_date: datetime.date,
    owner=None,
    escalate_to=None,
    label: str = "",
    due_date: datetime.date | None = None,
) -> Deadline:
    """Start the clock ``kind`` for ``target``. The due date comes from the kind's rule unless
    given (kinds computed elsewhere, e.g. revetting_due). If the clock is already running for
    this target, the open deadline is returned unchanged."""
    kind_obj = _kind(kind)
    where = _target_filter(target)
    with transaction.atomic():
        existing = (
            Deadline.objects.select_for_update()
            .filter(kind=kind_obj, status=Status.OPEN, **where)
            .first()
        )
        if existing:
            return existing
        if due_date is None:
            due_date = due_date_for(kind_obj, trigger_date)
        _check_order(trigger_date, due_date)
        url = _url_of(target)
        try:
            with transaction.atomic():
                deadline = Deadline.objects.create(
                    kind=kind_obj,
                    trigger_date=trigger_date,
                    due_date=due_date,
                    owner=owner,
                    escalate_to=escalate_to,
                    label=(label or str(target))[:200],
                    url=url,
                    next_alert_on=first_alert_on(kind_obj, due_date),
                    **where,
                )
        except IntegrityError:
            # Someone opened the same clock a moment ago: theirs is the one.
            return Deadline.objects.get(kind=kind_obj, status=Status.OPEN, **where)
        _alert_now_if_due(deadline)
    return deadline


def _locked_open(kind: str, target) -> Deadline | None:
    return (
        Deadline.objects.select_for_update()
        .filter(kind__code=kind, status=Status.OPEN, **_target_filter(target))
        .first()
    )


def deadline_meet(*, kind: str, target, actor=None, when=None) -> Deadline | None:
    """Close the open ``kind`` clock of ``target`` as met (late if after the due date).
    Returns None when no such clock is running."""
    when = _as_datetime(when)
    with transaction.atomic():
        deadline = _locked_open(kind, target)
        if deadline is None:
            return None
        deadline.meet(when=when, by=actor, today=timezone.localdate(when))
        deadline.save()
    return deadline


def _close(deadline: Deadline, *, actor, reason: str, now: datetime.datetime) -> None:
    if deadline.due_date < timezone.localdate(now):
        deadline.close_missed(when=now, by=actor, reason=reason)  # the clock ran out first
    else:
        deadline.cancel(when=now, by=actor, reason=reason)
    deadline.save()


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("Give a reason for stopping the deadline.", field="reason")
    return reason[:300]


def deadline_cancel(*, kind: str, target, actor=None, reason: str) -> Deadline | None:
    """Stop the open ``kind`` clock of ``target``: ``cancelled``, or ``missed`` if it had
    already run out. Returns None when no such clock is running."""
    reason = _require_reason(reason)
    with transaction.atomic():
        deadline = _locked_open(kind, target)
        if deadline is None:
            return None
        _close(deadline, actor=actor, reason=reason, now=timezone.now())
    return deadline


def deadlines_cancel_all(*, target, actor=None, reason: str) -> list[Deadline]:
    """Stop every open clock of ``target`` (case withdrawn, finalised...)."""
    reason = _require_reason(reason)
    now = timezone.now()
    with transaction.atomic():
        deadlines = list(
            Deadline.objects.select_for_update()
            .filter(status=Status.OPEN, **_target_filter(target))
            .order_by("pk")  # one fixed lock order
        )
        for deadline in deadlines:
            _close(deadline, actor=actor, reason=reason, now=now)
    return deadlines


def deadline_correct_trigger(*, deadline: Deadline, trigger_date: datetime.date, actor) -> Deadline:
    """Move an open deadline after its trigger date was corrected; the due date is recomputed
    from the kind's rule. Reminders already sent for a threshold are not sent again."""
    with transaction.atomic():
        deadline = Deadline.objects.select_for_update().select_related("kind").get(pk=deadline.pk)
        if deadline.status == Status.MET:
            raise DomainError("A met deadline cannot be moved.")
        if deadline.status != Status.OPEN:
            raise DomainError(
                f"A {deadline.get_status_display().lower()} deadline cannot be moved."
            )
        due_date = due_date_for(deadline.kind, trigger_date)
        _check_order(trigger_date, due_date)
        deadline.trigger_date, deadline.due_date = trigger_date, due_date
        deadline.next_alert_on = first_alert_on(deadline.kind, due_date)
        if due_date >= timezone.localdate():
            deadline.overdue_since = None
        deadline.save()
        logger.info(
            "deadline %s trigger corrected by user %s", deadline.pk, getattr(actor, "pk", None)
        )
        _alert_now_if_due(deadline)
    return deadline


def deadline_reassign(*, target, owner, escalate_to=None) -> int:
    """Give every open clock of ``target`` a new owner (and, if given, a new supervisor to
    escalate to; None keeps the current one). Returns how many deadlines changed."""
    changes = {"owner": owner, "updated_at": timezone.now()}
    if escalate_to is not None:
        changes["escalate_to"] = escalate_to
    with transaction.atomic():
        pks = list(
            Deadline.objects.select_for_update()
            .filter(status=Status.OPEN, **_target_filter(target))
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        return Deadline.objects.filter(pk__in=pks).update(**changes)


# --- Notifications -----------------------------------------------------------------------
def notification_send(
    *,
    recipient,
    title: str,
    body: str,
    url: str,
    deadline: Deadline | None = None,
    kind: str = NotificationKind.OTHER,
    threshold: str | int = "",
) -> Notification | None:
    """Notify ``recipient`` in the app and by e-mail (sent by a task after commit). For a
    deadline, each (deadline, recipient, kind, threshold) is sent once: a repeat returns None.
    """
    with transaction.atomic():
        try:
            with transaction.atomic():
                notification = Notification.objects.create(
                    recipient=recipient,
                    deadline=deadline,
                    kind=kind,
                    threshold=str(threshold),
                    title=title[:200],
                    body=body,
                    url=url,
                )
        except IntegrityError:
            return None  # claimed before: already sent
        if recipient.email:
            email_notification.delay_on_commit(notification.pk)
    return notification


def notification_mark_read(*, user, notification_id: int) -> Notification | None:
    """Mark one of the user's own notifications read; None if it is not theirs."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update()
            .filter(pk=notification_id, recipient=user)
            .first()
        )
        if notification and notification.read_at is None:
            notification.read_at = timezone.now()
            notification.save(update_fields=["read_at"])
    return notification


def notifications_resolve(*, title: str, url: str) -> int:
    """Mark read every unread notification with this title and link, whoever received it: what
    it asked for has been done (an approval decided by one of the approvers, issue 22)."""
    return Notification.objects.filter(title=title[:200], url=url, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def notifications_mark_all_read(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
