"""Anonymous staff reports (issue 8).

Nothing here can identify the sender: no IP address, user agent, referrer, cookie or time of
day is stored. Free text is sealed with the reporting public key (``reporting.crypto``); only the
receipt code's Argon2id hash and a short HMAC lookup prefix are kept (``reporting.receipt``).
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django_fsm import FSMField, transition


class ReportStatus(models.TextChoices):
    NEW = "new", "New"
    IN_TRIAGE = "in_triage", "In triage"
    AWAITING_REPORTER = "awaiting_reporter", "Awaiting the reporter"
    CLOSED_NFA = "closed_nfa", "Closed: no further action"
    CONDUCT_MATTER = "conduct_matter", "Recorded as a conduct matter"


OPEN_STATUSES = [ReportStatus.NEW, ReportStatus.IN_TRIAGE, ReportStatus.AWAITING_REPORTER]


class Report(models.Model):
    # Only a truncated HMAC of the receipt code: narrows the Argon2 check to a few rows.
    lookup_id = models.CharField(max_length=16, db_index=True)
    code_hash = models.CharField(max_length=200)
    # Issue 8: the submission time is recorded to the day only.
    received_on = models.DateField()
    status = FSMField(
        max_length=20, choices=ReportStatus.choices, default=ReportStatus.NEW, protected=True
    )
    # Sealed JSON: what happened, who, when, where and the optional name.
    sealed_content = models.BinaryField()
    closed_reason = models.TextField(blank=True)
    conduct_matter = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The PSD team whose queue the report lands in (issue 12); chosen by the system, never by
    # the reporter, so it says nothing about them.
    team = models.ForeignKey(
        "accounts.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-received_on", "-pk"]
        default_permissions = ("view",)
        permissions = [("triage_report", "Can read and triage anonymous reports")]

    def __str__(self):
        return self.reference

    def get_absolute_url(self):
        return reverse("reporting:triage_detail", args=[self.pk])

    @property
    def reference(self) -> str:
        return f"AR-{self.pk:05d}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @transition(field=status, source=ReportStatus.NEW, target=ReportStatus.IN_TRIAGE)
    def start_triage(self):
        pass

    @transition(field=status, source=OPEN_STATUSES, target=ReportStatus.AWAITING_REPORTER)
    def ask_reporter(self):
        pass

    @transition(
        field=status,
        source=[ReportStatus.IN_TRIAGE, ReportStatus.AWAITING_REPORTER],
        target=ReportStatus.IN_TRIAGE,
    )
    def reporter_replied(self):
        pass

    @transition(field=status, source=OPEN_STATUSES, target=ReportStatus.CLOSED_NFA)
    def close(self):
        pass

    @transition(field=status, source=OPEN_STATUSES, target=ReportStatus.CONDUCT_MATTER)
    def record_conduct_matter(self):
        pass


class Evidence(models.Model):
    """An uploaded file with its metadata stripped, sealed like the report text."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="evidence")
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    # Sealed JSON {"name": original file name}; the name itself may identify the sender.
    sealed_name = models.BinaryField()
    sealed_data = models.BinaryField()

    class Meta:
        ordering = ["pk"]
        default_permissions = ()

    def __str__(self):
        return f"Evidence {self.pk} of {self.report_id}"


class MessageDirection(models.TextChoices):
    FROM_PSD = "from_psd", "Question from PSD"
    FROM_REPORTER = "from_reporter", "Reply from the reporter"


class ReportMessage(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="messages")
    direction = models.CharField(max_length=20, choices=MessageDirection.choices)
    # To the day only, like the report itself.
    sent_on = models.DateField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    sealed_body = models.BinaryField()

    class Meta:
        ordering = ["pk"]
        default_permissions = ()

    def __str__(self):
        return f"{self.get_direction_display()} on {self.sent_on}"


class ReportEventAction(models.TextChoices):
    READ = "read", "Read the report"
    EVIDENCE_OPENED = "evidence_opened", "Opened evidence"
    QUESTION_ASKED = "question_asked", "Asked the reporter a question"
    CLOSED = "closed", "Closed with no further action"
    CONDUCT_MATTER_CREATED = "conduct_matter_created", "Created a conduct matter"


class ReportEvent(models.Model):
    """Append-only record of every triage action: who, when, what, why."""

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    action = models.CharField(max_length=40, choices=ReportEventAction.choices)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]
        default_permissions = ()

    def __str__(self):
        return f"{self.get_action_display()} by {self.actor_id} at {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Report events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Report events are append-only.")
