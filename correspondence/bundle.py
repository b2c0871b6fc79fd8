"""A case bundle: one PDF with an index, then the pages of every PDF document of the case
(for hearing panels, IOPC referral, disclosure). Other documents are listed in the index.

Built by a Celery task (``tasks.build_bundle``) because a large case can hold hundreds of
documents; the request is audited as an export and only people who can see the case may ask
for it or download it.
"""

import io
import logging

import pikepdf
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from audit.services import audit_event
from cases.models import Case
from cases.services._core import require
from psd.domain import DomainError

from . import rendering
from .models import Bundle, BundleStatus

logger = logging.getLogger(__name__)


@transaction.atomic
def bundle_request(*, actor, case: Case) -> Bundle:
    require(actor, "view_case", case)
    busy = Bundle.objects.filter(
        case=case, status__in=[BundleStatus.QUEUED, BundleStatus.RUNNING]
    ).exists()
    if busy:
        raise DomainError("A bundle of this case is already being put together.")
    bundle = Bundle.objects.create(case=case, requested_by=actor)
    audit_event(
        actor=actor,
        action="case.bundle_export",
        obj=case,
        target_label=case.reference,
        data={"bundle": bundle.pk},
    )
    from .tasks import build_bundle  # the task module imports this one

    build_bundle.delay_on_commit(bundle.pk)
    return bundle


def _open_pdf(document) -> pikepdf.Pdf | None:
    try:
        with document.file.open("rb") as handle:
            return pikepdf.open(io.BytesIO(handle.read()))
    except (OSError, pikepdf.PdfError):
        return None


def _index_lines(case: Case, entries, starts: dict[int, int]) -> list[tuple[str, str]]:
    lines = [
        (
            f"Case {case.reference}",
            f"{case.get_case_type_display()} – "
            f"{case.get_state_display()}; received {case.received_on:%d/%m/%Y}",
        )
    ]
    for number, (document, pdf) in enumerate(entries, start=1):
        where = (
            f"pages {starts[document.pk]}–{starts[document.pk] + len(pdf.pages) - 1}"
            if pdf is not None
            else "not a PDF: listed only, not included"
        )
        detail = " · ".join(
            filter(
                None,
                [
                    document.description,
                    f"uploaded {timezone.localtime(document.uploaded_at):%d/%m/%Y}",
                    f"{document.size:,} bytes",
                    where,
                ],
            )
        )
        lines.append((f"{number}. {document.original_name}", detail))
    return lines


def bundle_pdf(case: Case) -> tuple[bytes, int, int]:
    """The bundle's bytes, its page count and how many documents it lists."""
    documents = list(case.documents.order_by("uploaded_at", "pk"))
    entries = [
        (d, _open_pdf(d) if d.content_type == "application/pdf" else None) for d in documents
    ]
    title = f"Case bundle {case.reference}"
    index_pages, starts = 1, {}
    for _ in range(5):  # the index's own length moves the page numbers: settle it
        page = index_pages + 1
        for document, pdf in entries:
            if pdf is not None:
                starts[document.pk] = page
                page += len(pdf.pages)
        index = pikepdf.open(
            io.BytesIO(rendering.index_pdf(title, _index_lines(case, entries, starts)))
        )
        if len(index.pages) == index_pages:
            break
        index_pages = len(index.pages)
    for _, pdf in entries:
        if pdf is not None:
            index.pages.extend(pdf.pages)
    out = io.BytesIO()
    index.save(out)
    return out.getvalue(), len(index.pages), len(documents)


def bundle_build(*, bundle_id: int) -> str:
    """Build a queued bundle (idempotent: a bundle is claimed once)."""
    claimed = Bundle.objects.filter(pk=bundle_id, status=BundleStatus.QUEUED).update(
        status=BundleStatus.RUNNING
    )
    if not claimed:
        return "not queued"
    bundle = Bundle.objects.select_related("case").get(pk=bundle_id)
    try:
        data, pages, count = bundle_pdf(bundle.case)
    except Exception as error:  # noqa: BLE001 - recorded on the bundle and shown on the page
        logger.exception("bundle %s failed", bundle_id)
        Bundle.objects.filter(pk=bundle_id).update(
            status=BundleStatus.FAILED,
            finished_at=timezone.now(),
            error=f"The bundle could not be built ({type(error).__name__}).",
        )
        return "failed"
    with transaction.atomic():
        bundle.file.save(f"{bundle.case.reference}-bundle.pdf", ContentFile(data), save=False)
        bundle.status, bundle.pages, bundle.documents = BundleStatus.DONE, pages, count
        bundle.finished_at = timezone.now()
        bundle.save()
    return "done"
