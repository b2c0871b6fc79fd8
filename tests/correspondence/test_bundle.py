"""The case bundle: an index, then the pages of every PDF document; built by a task, audited
as an export, and only for people who can see the case."""

import io

import pikepdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from audit.models import AuditEntry
from cases.services.notes import case_add_document
from correspondence.bundle import bundle_build, bundle_request
from correspondence.models import Bundle, BundleStatus
from psd.domain import DomainError, PermissionDenied
from tests.cases.factories import complaint

pytestmark = pytest.mark.django_db


def pdf_with_pages(count: int) -> bytes:
    pdf = pikepdf.new()
    for _ in range(count):
        pdf.add_blank_page()
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


@pytest.fixture
def case_with_documents(alice, bob):
    case = complaint(alice, supervisor=bob)
    for name, data in [
        ("statement.pdf", pdf_with_pages(3)),
        ("notes.txt", b"Officer's pocket notebook, transcribed."),
        ("bwv-log.pdf", pdf_with_pages(2)),
    ]:
        case_add_document(actor=alice, case=case, upload=SimpleUploadedFile(name, data))
    return case


def test_bundle_has_an_index_then_every_pdf_page(
    alice, case_with_documents, django_capture_on_commit_callbacks
):
    case = case_with_documents
    with django_capture_on_commit_callbacks(execute=True):
        bundle = bundle_request(actor=alice, case=case)
    bundle.refresh_from_db()
    assert bundle.status == BundleStatus.DONE and bundle.documents == 3
    with bundle.file.open("rb") as handle:
        pdf = pikepdf.open(io.BytesIO(handle.read()))
    assert len(pdf.pages) == bundle.pages == 1 + 3 + 2
    index = pdf.pages[0].Contents.read_bytes() if hasattr(pdf.pages[0], "Contents") else b""
    assert index  # the index page has content
    assert AuditEntry.objects.filter(action="case.bundle_export", actor=alice).exists()
    assert bundle_build(bundle_id=bundle.pk) == "not queued"  # a re-run is harmless


def test_the_index_lists_the_documents_with_their_pages(alice, case_with_documents):
    from correspondence import bundle as bundle_module

    lines = []
    original = bundle_module.rendering.index_pdf

    def capture(title, entries):
        lines[:] = entries
        return original(title, entries)

    bundle_module.rendering.index_pdf = capture
    try:
        _, pages, _ = bundle_module.bundle_pdf(case_with_documents)
    finally:
        bundle_module.rendering.index_pdf = original
    text = "\n".join(f"{a} {b}" for a, b in lines)
    assert "1. statement.pdf" in text and "pages 2–4" in text
    assert "2. notes.txt" in text and "not a PDF: listed only" in text
    assert "3. bwv-log.pdf" in text and "pages 5–6" in text
    assert pages == 6


def test_only_one_bundle_at_a_time_and_only_for_those_who_see_the_case(
    alice, dave, case_with_documents
):
    with pytest.raises(PermissionDenied):
        bundle_request(actor=dave, case=case_with_documents)
    bundle_request(actor=alice, case=case_with_documents)
    with pytest.raises(DomainError, match="already being put together"):
        bundle_request(actor=alice, case=case_with_documents)
    assert Bundle.objects.count() == 1
