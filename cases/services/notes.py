"""Working notes and documents on a case."""

from django.core.files.base import ContentFile
from django.db import transaction

from accounts.models import User
from psd.domain import DomainError
from psd.rules import guard, refuse_if

from ..documents import MAX_DOCUMENT_BYTES, content_type_for, document_problem
from ..models import Case, CaseDocument, CaseNote, NoteVisibility
from ._core import require


@guard("Whoever works a case may add a note or a document to it at any stage.")
def case_add_record_refusal(*, actor: User, case: Case, facts=None) -> str | None:
    """Notes and documents are never out of season: the role and the case's visibility
    (checked before any guard) decide."""
    return None


@transaction.atomic
def case_add_note(
    *, actor: User, case: Case, text: str, visibility: str = NoteVisibility.TEAM
) -> CaseNote:
    """An internal note: never shown to complainants, reporters or subjects; "PSD heads only"
    notes only to holders of ``cases.view_all_cases`` (who alone may write them)."""
    require(actor, "change_case", case)
    refuse_if(case_add_record_refusal(actor=actor, case=case))
    if not text.strip():
        raise DomainError("Write the note.", field="text")
    if visibility not in NoteVisibility.values:
        raise DomainError("Choose who may read the note.", field="visibility")
    if visibility == NoteVisibility.HEADS and not actor.has_perm("cases.view_all_cases"):
        raise DomainError("Only PSD heads may write a note for PSD heads only.", field="visibility")
    return CaseNote.objects.create(
        case=case, author=actor, text=text.strip(), visibility=visibility
    )


@transaction.atomic
def case_add_document(*, actor: User, case: Case, upload, description: str = "") -> CaseDocument:
    """Store an uploaded file privately after checking its size, extension and content."""
    require(actor, "change_case", case)
    refuse_if(case_add_record_refusal(actor=actor, case=case))
    if upload.size > MAX_DOCUMENT_BYTES:
        raise DomainError("The file must be 10 MB or smaller.", field="file")
    upload.seek(0)
    data = upload.read(MAX_DOCUMENT_BYTES + 1)
    name = (upload.name or "document").rsplit("/", 1)[-1].rsplit("\\", 1)[-1][:200]
    problem = document_problem(name, len(data), data)
    if problem:
        raise DomainError(problem, field="file")
    document = CaseDocument(
        case=case,
        original_name=name,
        content_type=content_type_for(name),
        size=len(data),
        description=description.strip(),
        uploaded_by=actor,
    )
    # If the transaction rolls back, the stored file is orphaned but unreachable (no row).
    document.file.save(name, ContentFile(data), save=False)
    document.save()
    return document
