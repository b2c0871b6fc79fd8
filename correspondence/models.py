"""Letters from templates, the complainant's keep-informed clock and case bundles (issue 23).

Templates are data: each edit saves a NEW ``LetterTemplate`` row (version n+1) and letters keep
pointing at the version they were rendered from, so an old letter can always be explained.
"""

import pathlib
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q


class LetterKind(models.TextChoices):
    ACKNOWLEDGEMENT = "acknowledgement", "Acknowledgement of a complaint"
    RECORDING_DECISION = "recording_decision", "Recording decision"
    ALLEGATION_SUMMARY = "allegation_summary", "Allegation summary"
    OUTSIDE_SCHEDULE_3 = "outside_sch3", "Handling outside Schedule 3"
    UPDATE = "update", "Progress update to the complainant"
    REG17_NOTICE = "reg17_notice", "Regulation 17 notice of investigation"
    REFERRAL_NOTICE = "referral_notice", "Notice of referral to misconduct proceedings"
    OUTCOME = "outcome", "Outcome letter with the right of review"
    REVIEW_RESULT = "review_result", "Result of a review"
    WITHDRAWAL = "withdrawal", "Confirmation of withdrawal"
    BARRED_LIST_REPORT = "barred_list_report", "Barred list report to the College of Policing"
    ADVISORY_LIST_REPORT = "advisory_list_report", "Advisory list report to the College of Policing"


class LetterTemplate(models.Model):
    """One version of the template for one kind of letter. Never edited in place."""

    kind = models.CharField(max_length=30, choices=LetterKind.choices)
    version = models.PositiveIntegerField()
    subject = models.CharField(max_length=200)
    body = models.TextField(help_text="Plain text with $placeholders; blank lines part paragraphs.")
    change_note = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "-version"]
        default_permissions = ("view",)
        permissions = [("edit_lettertemplate", "Can edit letter templates (saves a new version)")]
        constraints = [
            models.UniqueConstraint(fields=["kind", "version"], name="one_template_version")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} v{self.version}"


class SentHow(models.TextChoices):
    POST = "post", "By post"
    EMAIL = "email", "By e-mail"
    HAND = "hand", "By hand"
    PORTAL = "portal", "Through the IOPC or College portal"


class Letter(models.Model):
    """A letter generated for a case: its text as sent, the template version it came from and
    the case documents (PDF and Word) that hold it."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="letters")
    template = models.ForeignKey(LetterTemplate, on_delete=models.PROTECT, related_name="letters")
    complainant = models.ForeignKey(
        "cases.Complainant", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recipient = models.CharField(max_length=200)
    recipient_email = models.EmailField(blank=True)
    subject = models.CharField(max_length=300)
    body = models.TextField()
    pdf = models.ForeignKey(
        "cases.CaseDocument", on_delete=models.PROTECT, related_name="+", null=True
    )
    docx = models.ForeignKey(
        "cases.CaseDocument", on_delete=models.PROTECT, related_name="+", null=True
    )
    sent_on = models.DateField()
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    sent_how = models.CharField(max_length=10, choices=SentHow.choices)
    emailed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        default_permissions = ("view", "add")

    def __str__(self) -> str:
        return f"{self.subject} ({self.case_id})"


class UpdateRecord(models.Model):
    """An update sent to a complainant outside a generated letter (a call, a meeting...)."""

    complainant = models.ForeignKey(
        "cases.Complainant", on_delete=models.CASCADE, related_name="updates"
    )
    letter = models.ForeignKey(Letter, null=True, blank=True, on_delete=models.PROTECT)
    note = models.TextField(blank=True)
    sent_on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_on", "-id"]
        default_permissions = ()
        constraints = [
            models.CheckConstraint(
                condition=~Q(note="") | Q(letter__isnull=False), name="update_has_letter_or_note"
            )
        ]

    def __str__(self) -> str:
        return f"Update to complainant {self.complainant_id} on {self.sent_on}"


def bundle_path(instance: "Bundle", filename: str) -> str:
    return f"bundles/{instance.case_id}/{uuid.uuid4().hex}{pathlib.Path(filename).suffix[:10]}"


class BundleStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Being put together"
    DONE = "done", "Ready"
    FAILED = "failed", "Failed"


class Bundle(models.Model):
    """One case as a single PDF: an index, then every PDF document's pages."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="bundles")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(
        max_length=8, choices=BundleStatus.choices, default=BundleStatus.QUEUED
    )
    file = models.FileField(upload_to=bundle_path, max_length=200, blank=True)
    pages = models.PositiveIntegerField(default=0)
    documents = models.PositiveIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        default_permissions = ()

    def __str__(self) -> str:
        return f"Bundle {self.pk} of case {self.case_id}"
