"""Statutory clocks: the working-day calendar's extra days, deadline kinds, deadlines and the
notifications the sweep sends about them.

Status of a deadline (DOMAIN.md "Time"; issue 6):
- ``open`` until someone meets it or it is cancelled. An overdue deadline STAYS open so it can
  still be met; the sweep records ``overdue_since`` and escalates.
- ``met`` when closed by ``deadline_meet``; ``met_late`` records whether that was after the due
  date (a late reply is still a reply, and statistics count it separately).
- ``cancelled`` when the clock stops before it ran out (case withdrawn, finalised...).
- ``missed`` when the clock stops (cancelled) after it ran out without being met: the due
  date passed and nothing was done, which statistics must count as a missed clock.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from .unread import forget_unread


class NonWorkingDay(models.Model):
    """A day that is not a working day besides weekends and England & Wales bank holidays
    (e.g. a one-off bank holiday announced after the ``holidays`` release, or a force closure).
    """

    date = models.DateField(unique=True)
    description = models.CharField(max_length=200)

    class Meta:
        ordering = ["date"]
        verbose_name = "extra non-working day"

    def __str__(self) -> str:
        return f"{self.date:%d %b %Y} – {self.description}"


class Unit(models.TextChoices):
    WORKING_DAYS = "working_days", "Working days"
    CALENDAR_DAYS = "calendar_days", "Calendar days"
    MONTHS = "months", "Months"


class Counting(models.TextChoices):
    # DOMAIN.md "Time": counting starts the working day after the trigger...
    AFTER = "after", "Starting the day after the trigger"
    # ...unless the rule says "beginning with" (Barred List Regs 2017 reg 3).
    BEGINNING_WITH = "beginning_with", "Beginning with the trigger day"


def validate_thresholds(value: str) -> None:
    try:
        parse_thresholds(value)
    except ValueError:
        raise ValidationError(
            "Enter whole numbers of days separated by commas, for example 5,1."
        ) from None


def parse_thresholds(value: str) -> list[int]:
    """``"5,1"`` -> ``[5, 1]`` (largest first). Raises ValueError on anything else."""
    if not value.strip():
        return []
    days = sorted({int(part) for part in value.split(",")}, reverse=True)
    if any(day < 0 for day in days):
        raise ValueError("negative threshold")
    return days


class DeadlineKind(models.Model):
    """What a deadline is for and the rule that sets its due date. Data, not code: seeded by
    a migration with the rule citations; an administrator may adjust reminders."""

    code = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=120)
    unit = models.CharField(
        max_length=20,
        choices=Unit.choices,
        blank=True,
        help_text="Blank when the due date is computed elsewhere (e.g. re-vetting).",
    )
    amount = models.PositiveIntegerField(null=True, blank=True)
    counting = models.CharField(max_length=20, choices=Counting.choices, default=Counting.AFTER)
    reminder_days = models.CharField(
        max_length=50,
        blank=True,
        validators=[validate_thresholds],
        help_text="Remind the owner this many calendar days before the due date, e.g. 5,1.",
    )
    escalate_when_overdue = models.BooleanField(default=True)
    citation = models.CharField(max_length=300, blank=True)
    pauses_during_suspension = models.BooleanField(
        default=False,
        help_text="The law stops this clock while the investigation is suspended: on "
        "resumption the due date moves on by the days suspended (cases.Suspension).",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def has_rule(self) -> bool:
        return bool(self.unit) and self.amount is not None

    @property
    def thresholds(self) -> list[int]:
        return parse_thresholds(self.reminder_days)


class Status(models.TextChoices):
    OPEN = "open", "Open"
    MET = "met", "Met"
    MISSED = "missed", "Missed"
    CANCELLED = "cancelled", "Cancelled"


class Deadline(ConcurrentTransitionMixin, models.Model):
    """One statutory or policy clock running against one object (a case, an application...)."""

    kind = models.ForeignKey(DeadlineKind, on_delete=models.PROTECT, related_name="deadlines")
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    label = models.CharField(max_length=200, blank=True)
    url = models.CharField(max_length=500, blank=True)
    trigger_date = models.DateField()
    due_date = models.DateField()
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deadlines_owned",
    )
    escalate_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deadlines_escalated",
    )
    status = FSMField(default=Status.OPEN, choices=Status.choices, protected=True)
    met_at = models.DateTimeField(null=True, blank=True)
    met_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    met_late = models.BooleanField(default=False)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    cancelled_reason = models.CharField(max_length=300, blank=True)
    # The sweep's bookmark: the next day on which a reminder or the overdue escalation is due.
    # NULL once everything has been sent. Kept in the database: never a Celery ETA.
    next_alert_on = models.DateField(null=True, blank=True)
    overdue_since = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_date", "pk"]
        indexes = [
            models.Index(fields=["content_type", "object_id"]),
            models.Index(fields=["status", "due_date"]),
            models.Index(
                fields=["next_alert_on"],
                name="deadline_alert_due",
                condition=Q(status="open"),
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "content_type", "object_id"],
                condition=Q(status="open"),
                name="one_open_deadline_per_kind_and_target",
            ),
            models.CheckConstraint(
                condition=Q(due_date__gte=F("trigger_date")),
                name="deadline_due_not_before_trigger",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind.name}: {self.label or self.object_id} (due {self.due_date:%d %b %Y})"

    def get_absolute_url(self) -> str:
        return self.url

    def is_overdue(self, today) -> bool:
        return self.status == Status.OPEN and self.due_date < today

    # Transitions are pure: the services lock, stamp who/when and save.
    @transition(field=status, source=Status.OPEN, target=Status.MET)
    def meet(self, *, when, by, today) -> None:
        self.met_at, self.met_by, self.met_late = when, by, today > self.due_date
        self.next_alert_on = None

    @transition(field=status, source=Status.OPEN, target=Status.CANCELLED)
    def cancel(self, *, when, by, reason) -> None:
        self.cancelled_at, self.cancelled_by, self.cancelled_reason = when, by, reason
        self.next_alert_on = None

    @transition(field=status, source=Status.OPEN, target=Status.MISSED)
    def close_missed(self, *, when, by, reason) -> None:
        self.cancelled_at, self.cancelled_by, self.cancelled_reason = when, by, reason
        self.next_alert_on = None


class DeadlineExtension(models.Model):
    """One recorded move of an open deadline's due date by someone with the power to extend
    it (e.g. the investigator under CR 2020 reg 18), or by a suspension of the investigation.
    Append-only: the history of a clock's due date, with who, when and why."""

    deadline = models.ForeignKey(Deadline, on_delete=models.CASCADE, related_name="extensions")
    previous_due_date = models.DateField()
    new_due_date = models.DateField()
    reason = models.CharField(max_length=300)
    extended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    extended_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["deadline", "extended_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(new_due_date__gt=F("previous_due_date")),
                name="deadline_extension_moves_forward",
            )
        ]

    def __str__(self) -> str:
        return f"{self.deadline}: {self.previous_due_date} -> {self.new_due_date}"


class NotificationKind(models.TextChoices):
    REMINDER = "reminder", "Reminder"
    ESCALATION = "escalation", "Escalation"
    OTHER = "other", "Other"


OVERDUE = "overdue"


# Fields whose change moves a notification in or out of someone's unread count.
_COUNTED_FIELDS = {"read_at", "recipient", "recipient_id"}


class NotificationQuerySet(models.QuerySet):
    """Bulk inserts and updates renew the recipients' unread-count versions
    (``deadlines.unread``); single rows do so through the receivers in deadlines/receivers.py."""

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        created = super().bulk_create(objs, *args, **kwargs)
        forget_unread(*(obj.recipient_id for obj in objs))
        return created

    def update(self, **kwargs):
        recipients = []
        if _COUNTED_FIELDS & kwargs.keys():
            recipients = list(self.order_by().values_list("recipient_id", flat=True).distinct())
        updated = super().update(**kwargs)
        forget_unread(
            *recipients, kwargs.get("recipient_id"), getattr(kwargs.get("recipient"), "pk", None)
        )
        return updated


class Notification(models.Model):
    """An in-app message (and e-mail). The unique constraint is the claim: each reminder for
    a deadline, recipient and threshold exists once, whoever inserted it first."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    deadline = models.ForeignKey(
        Deadline, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=20, choices=NotificationKind.choices)
    threshold = models.CharField(
        max_length=30, blank=True, help_text="Days before the due date, or “overdue”."
    )
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    # The outbox's claim (deadlines.outbox): when a sender took it; lapses if the sender died.
    email_claimed_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "read_at"]),
            # The outbox's queue (deadlines.outbox.claim): unsent, unread, in id order.
            models.Index(
                fields=["id"],
                name="notification_outbox",
                condition=Q(emailed_at=None, read_at=None),
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["deadline", "recipient", "kind", "threshold"],
                name="one_notification_per_deadline_recipient_threshold",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_unread(self) -> bool:
        return self.read_at is None
