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
