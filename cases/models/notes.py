"""Working notes and documents on a case. Documents live in private storage (settings.DATA_DIR
/uploads, outside the web root) and are served only through a permission-checked view."""

import pathlib
import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse


def document_path(instance: "CaseDocument", filename: str) -> str:
    """A random stored name: the user's file name is kept in ``original_name`` only, so it
    can never choose a path or an extension the server acts on."""
    suffix = pathlib.Path(filename).suffix.lower()[:10]
    return f"cases/{instance.case_id}/{uuid.uuid4().hex}{suffix}"


class NoteVisibility(models.TextChoices):
    """Who may read an internal note. Complainants, reporters and subjects never may: notes
    are shown only through ``cases.selectors.notes_visible_to``."""

    TEAM = "team", "Case team and PSD heads"
    HEADS = "heads", "PSD heads only"


class CaseNote(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    visibility = models.CharField(
        max_length=10, choices=NoteVisibility.choices, default=NoteVisibility.TEAM
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Note on {self.case_id} by {self.author_id}"


class CaseDocument(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="documents")
    file = models.FileField(upload_to=document_path, max_length=200)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    description = models.CharField(max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("cases:document", args=[self.case.reference, self.pk])
