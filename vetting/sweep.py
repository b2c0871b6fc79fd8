"""The daily vetting sweep: expire clearances whose date has passed and remind the vetting
unit and the line manager before re-vetting is due (90, 30 and 7 days: the thresholds of the
``revetting_due`` deadline kind, editable there).

Exactly once: each reminder is a deadlines Notification, unique per (deadline, recipient,
kind, threshold), inserted with ON CONFLICT DO NOTHING, so whichever sweep inserted it first
sent it. Expiry is a conditional UPDATE (``status`` still current) plus a unique
"expired" history row, so a second run, or two runs at once, change nothing. The sweep reads
the date it is given, so a run for a past day (catching up) is as safe as today's. Both
steps are set-based: a fixed number of statements per batch of rows, never one per row.
"""

import datetime
import logging
from dataclasses import asdict, dataclass

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import Person
from deadlines.models import OVERDUE, Deadline, DeadlineKind, Notification, NotificationKind
from psd.roles import Role

from .models import Clearance, ClearanceEvent, ClearanceEventKind, ClearanceStatus
from .revetting import DEADLINE_KIND

logger = logging.getLogger(__name__)
BATCH_SIZE = 1000


@dataclass
class VettingSweepResult:
    expired: int = 0
    reminders: int = 0

    def as_dict(self) -> dict:
        return asdict(self)


def expire_clearances(today: datetime.date, batch_size: int = BATCH_SIZE) -> int:
    """A clearance is valid to the end of its expiry date; from the next day it is expired
    (and listed as a risk while the person serves without a replacement).

    Set-based, a batch at a time (three statements per batch, whatever the number of rows):
    the batch is locked (``SKIP LOCKED``: a concurrent sweep takes other rows), expired with one
    UPDATE and given its "expired" events with one INSERT (``ON CONFLICT DO NOTHING`` against
    the one-expiry-event constraint)."""
    expired, last_pk = 0, 0
    while True:
        with transaction.atomic():
            batch = list(
                Clearance.objects.filter(
                    status__in=ClearanceStatus.current(), expires_on__lt=today, pk__gt=last_pk
                )
                .select_for_update(skip_locked=True)
                .order_by("pk")
                .values_list("pk", "expires_on")[:batch_size]
            )
            if not batch:
                break
            ids = [pk for pk, _ in batch]
            claimed = Clearance.objects.filter(
                pk__in=ids, status__in=ClearanceStatus.current()
            ).update(status=ClearanceStatus.EXPIRED)
            ClearanceEvent.objects.bulk_create(
                [
                    ClearanceEvent(
                        clearance_id=pk,
                        kind=ClearanceEventKind.EXPIRED,
                        on=expires_on + datetime.timedelta(days=1),
                        note="Expired: re-vetting not completed by the expiry date",
                    )
                    for pk, expires_on in batch
                ],
                ignore_conflicts=True,
            )
        expired += claimed
        last_pk = ids[-1]
    return expired


def vetting_unit():
    """The users reminded about every re-vetting: active members of the vetting role."""
    return list(
        get_user_model()
        .objects.filter(groups__name=Role.VETTING_OFFICER.label, is_active=True)
        .order_by("pk")
        .distinct()
    )


def threshold_for(days_left: int, thresholds: list[int]) -> str | None:
    """The reminder due ``days_left`` before the date: the tightest threshold entered
    (as the deadlines sweep does), "overdue" after the date, None before the first."""
    if days_left < 0:
        return OVERDUE
    entered = [days for days in thresholds if days >= days_left]
    return str(min(entered)) if entered else None


def _message(person: Person, deadline: Deadline, threshold: str, for_manager: bool):
    due = f"{deadline.due_date:%A %d %B %Y}"
    who = f"{person.rank_and_name} ({person.number})"
    if threshold == OVERDUE:
        title, lead = f"Re-vetting overdue: {who}", f"Re-vetting was due on {due}."
    else:
        title, lead = f"Re-vetting due {due}: {who}", f"Re-vetting is due on {due}."
    if for_manager:
        lead += " You are told as their line manager; the vetting unit will contact them."
    return title[:200], f"{lead}\n\nRule: {deadline.kind.citation or 'force policy'}"


def send_reminders(today: datetime.date, batch_size: int = BATCH_SIZE) -> int:
    """Remind the vetting unit (and the line manager) of every re-vetting due within the
    largest threshold, or overdue. A fixed number of statements per batch of deadlines: the
    people, the reminders already sent and one multi-row INSERT ... ON CONFLICT DO NOTHING
    (the unique notification is the claim, so two sweeps never send one twice). E-mails for
    these notifications go out with the deadlines sweep's e-mail pass (``send_pending_emails``,
    every five minutes), one message each."""
    kind = DeadlineKind.objects.get(code=DEADLINE_KIND)
    thresholds = kind.thresholds
    horizon = today + datetime.timedelta(days=max(thresholds, default=0))
    unit = vetting_unit()
    unit_ids = {user.pk for user in unit}
    url_template = reverse("vetting:person", args=[999999999]).replace("999999999", "{}")
    due = Deadline.objects.filter(
        kind=kind,
        status="open",
        content_type=ContentType.objects.get_for_model(Person),
        due_date__lte=horizon,
    ).order_by("pk")
    sent, last_pk = 0, 0
    while True:
        deadlines = list(due.filter(pk__gt=last_pk)[:batch_size])
        if not deadlines:
            break
        last_pk = deadlines[-1].pk
        for deadline in deadlines:
            deadline.kind = kind
        people = Person.objects.select_related("rank", "line_manager__user").in_bulk(
            [d.object_id for d in deadlines]
        )
        sent_before = set(
            Notification.objects.filter(
                deadline__in=deadlines, kind=NotificationKind.REMINDER
            ).values_list("deadline_id", "recipient_id", "threshold")
        )
        rows = []
        for deadline in deadlines:
            person = people.get(deadline.object_id)
            threshold = threshold_for((deadline.due_date - today).days, thresholds)
            if person is None or threshold is None:
                continue
            recipients = [(user, False) for user in unit]
            manager = person.line_manager.user if person.line_manager_id else None
            if manager is not None and manager.is_active and manager.pk not in unit_ids:
                recipients.append((manager, True))
            for recipient, for_manager in recipients:
                if (deadline.pk, recipient.pk, threshold) in sent_before:
                    continue
                title, body = _message(person, deadline, threshold, for_manager)
                rows.append(
                    Notification(
                        recipient=recipient,
                        deadline=deadline,
                        kind=NotificationKind.REMINDER,
                        threshold=threshold,
                        title=title,
                        body=body,
                        # The manager cannot open vetting pages.
                        url="" if for_manager else url_template.format(person.pk),
                    )
                )
        if rows:
            with transaction.atomic():
                Notification.objects.bulk_create(rows, ignore_conflicts=True)
            sent += len(rows)
    return sent


def run_sweep(*, today: datetime.date | None = None) -> VettingSweepResult:
    today = today or timezone.localdate()
    result = VettingSweepResult(expired=expire_clearances(today), reminders=send_reminders(today))
    logger.info("vetting sweep: %s", result.as_dict())
    return result
