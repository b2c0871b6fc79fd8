"""The audit trail (append-only, HMAC-chained) and retention policy records.

Rows of ``AuditEntry`` are written by database triggers (changes to tracked tables) and by
``audit.services`` (decisions and reads). The database refuses UPDATE, DELETE and TRUNCATE on
the trail (see ``audit.triggers``), and the application's database role is granted only
SELECT and INSERT on it (``audit.dbroles``).

Writing an entry takes no lock: the insert trigger gives it ``seq`` (its id: the order entries
were written in, with gaps where a transaction rolled back) and queues it in ``AuditPending``.
The sealer (``audit.sealer``, a beat task) then chains queued entries in batches: each gets an
``AuditSeal`` with its ``position`` in the chain and an HMAC over the previous link and the
entry's content, keyed with ``AUDIT_HMAC_KEY`` (never stored in the database). Entries written
before the keyed chain (release 0003) keep their unkeyed SHA-256 link in ``prev_hash`` and
``hash``; the keyed chain continues from the last of them (see ``audit.verify``).
"""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone


class AuditKind(models.TextChoices):
    CHANGE = "change", "Change"  # a row inserted, updated or deleted (written by a trigger)
    EVENT = "event", "Event"  # a decision or transition (written by audit_event)
    READ = "read", "Read"  # someone consulted a record (DPA 2018 s62)


class AuditEntry(models.Model):
    seq = models.BigIntegerField(unique=True, null=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    kind = models.CharField(max_length=10, choices=AuditKind.choices)
    # change: insert / update / delete; event: a dotted name ("case.referred"); read: page/export
    action = models.CharField(max_length=60, db_index=True)
    table_name = models.CharField(max_length=100, blank=True)
    object_pk = models.CharField(max_length=64, blank=True)
    target_label = models.CharField(max_length=200, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,  # the trail outlives users and must never block their removal
        related_name="+",
    )
    request_id = models.CharField(max_length=64, blank=True)
    reason = models.TextField(blank=True)
    old_row = models.JSONField(null=True, blank=True)
    new_row = models.JSONField(null=True, blank=True)
    data = models.JSONField(null=True, blank=True, encoder=DjangoJSONEncoder)
    prev_hash = models.CharField(max_length=64, blank=True, default="", editable=False)
    hash = models.CharField(max_length=64, blank=True, default="", editable=False)

    class Meta:
        ordering = ["-seq"]
        verbose_name_plural = "audit entries"
        indexes = [
            models.Index(fields=["table_name", "object_pk"], name="audit_object_idx"),
            models.Index(fields=["actor", "created_at"], name="audit_actor_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.table_name}:{self.object_pk}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise RuntimeError("Audit entries are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("Audit entries are append-only.")


class AuditSeal(models.Model):
    """An entry's link in the keyed chain; written once by the sealer, never changed."""

    position = models.BigIntegerField(primary_key=True)
    entry = models.OneToOneField(
        AuditEntry,
        on_delete=models.DO_NOTHING,
        # No constraint: an entry removed behind the application's back must leave its seal
        # behind, so that audit_verify can name it.
        db_constraint=False,
        related_name="seal",
    )
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)
    sealed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return f"seal {self.position} of entry {self.entry_id}"


class AuditPending(models.Model):
    """Entries written but not yet sealed (the sealer's queue; filled by the insert trigger)."""

    entry_id = models.BigIntegerField(primary_key=True)

    def __str__(self) -> str:
        return f"entry {self.entry_id} awaiting its seal"


class RetentionPolicy(models.Model):
    """How long a record type is kept (data, not code: forces set their own schedules).

    DPA 2018 s39(2): appropriate time limits for the periodic review of the need to keep
    personal data. ``record_type`` is a model label ("accounts.person", "cases.case") so a
    policy can exist before the app that owns the records. ``basis_field`` is the lookup the
    period runs from (a to-many path such as ``status_history__effective_date`` uses the
    latest date); ``conditions`` are lookups a record must also match (e.g. only people who
    left service). A record with no basis date is never past retention.
    """

    record_type = models.CharField(max_length=100, unique=True)
    description = models.CharField(max_length=200)
    period_months = models.PositiveIntegerField(help_text="Keep for this many months.")
    basis_field = models.CharField(max_length=100, help_text="Date field the period runs from.")
    basis_label = models.CharField(max_length=100, help_text="The basis date, in words.")
    conditions = models.JSONField(default=dict, blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["record_type"]
        verbose_name_plural = "retention policies"

    def __str__(self) -> str:
        return f"{self.record_type}: {self.period_months} months from {self.basis_label}"


class RetentionReviewStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
    EXECUTED = "executed", "Deleted"


class RetentionReview(models.Model):
    """A proposal to delete records past retention; a second person must approve it."""

    policy = models.ForeignKey(RetentionPolicy, on_delete=models.PROTECT, related_name="reviews")
    object_pks = models.JSONField(help_text="Primary keys of the records proposed for deletion.")
    status = models.CharField(
        max_length=10, choices=RetentionReviewStatus.choices, default=RetentionReviewStatus.PROPOSED
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(default=timezone.now)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    executed_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-proposed_at", "-id"]
        constraints = [
            # Four-eyes: the approver is never the proposer.
            models.CheckConstraint(
                condition=~models.Q(approved_by=models.F("proposed_by")),
                name="retention_review_four_eyes",
            ),
        ]

    def __str__(self) -> str:
        return f"Review {self.pk} of {self.policy.record_type} ({self.get_status_display()})"
