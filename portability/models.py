"""Requests for a complete data export made from the administrator's page (issue 12)."""

from django.conf import settings
from django.db import models


class ExportFormat(models.TextChoices):
    JSON = "json", "JSON Lines (one .jsonl file per table)"
    CSV = "csv", "CSV (one .csv file per table)"


class ExportStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Being written"
    DONE = "done", "Written"
    FAILED = "failed", "Failed"


class ExportRun(models.Model):
    """One export: who asked for it, where it was written and what its manifest says.

    The files stay on the server (``settings.EXPORT_DIR``): the page shows their location,
    counts and checksums, never their content.
    """

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    format = models.CharField(max_length=4, choices=ExportFormat.choices)
    status = models.CharField(
        max_length=8, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    directory = models.CharField(max_length=500, blank=True)
    manifest = models.JSONField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        default_permissions = ()
        permissions = [
            ("export_data", "Can write a complete data export to the server's export directory")
        ]

    def __str__(self) -> str:
        return f"Export {self.pk} ({self.format}, {self.get_status_display().lower()})"

    @property
    def total_rows(self) -> int:
        if not self.manifest:
            return 0
        return sum(entry["rows"] for entry in self.manifest.get("files", []))
