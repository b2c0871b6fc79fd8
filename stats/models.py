"""Records of historic allegations imported from a legacy system.

The statistics themselves are read from the cases tables (``stats.selectors``); this app only
stores where imported cases came from, so a legacy reference is never imported twice.
"""

from django.conf import settings
from django.db import models


class ImportBatch(models.Model):
    """One import of a legacy CSV file (all of its rows, or none)."""

    filename = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    imported_at = models.DateTimeField(auto_now_add=True)
    rows = models.PositiveIntegerField()
    cases = models.PositiveIntegerField()
    allegations = models.PositiveIntegerField()
    outcomes = models.PositiveIntegerField()

    class Meta:
        ordering = ["-imported_at", "-id"]
        verbose_name_plural = "import batches"
        permissions = [
            ("view_statistics", "Can see statistics and export the data returns"),
            ("import_allegations", "Can import historic allegations from a legacy system"),
        ]

    def __str__(self) -> str:
        return f"{self.filename} ({self.rows} rows)"


class ImportedCase(models.Model):
    """A case created by an import, with its reference in the legacy system."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.PROTECT, related_name="cases_created")
    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="+")
    legacy_reference = models.CharField(max_length=60, unique=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.legacy_reference


class StatisticsSnapshot(models.Model):
    """Every statistics table for one financial year, all forces and case types, as computed
    at ``computed_at`` by the beat task ``stats.refresh_snapshots`` (issue 21 item 4): the
    page serves them in milliseconds and says how old they are ("figures as of"). Any other
    period or scope is computed live."""

    period_start = models.DateField()
    period_end = models.DateField()
    computed_at = models.DateTimeField(help_text="When the figures were read.")
    tables = models.JSONField(help_text="stats.snapshots encodes the tables.")

    class Meta:
        ordering = ["-period_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["period_start", "period_end"], name="one_snapshot_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.period_start}–{self.period_end} as of {self.computed_at:%Y-%m-%d %H:%M}"
