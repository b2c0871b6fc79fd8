"""The only way anonymous reports change. Reporter actions take no actor; triage actions do.

Reporter side: ``report_submit`` and ``report_reply`` (authorised by the receipt code).
Triage side (PSD, ``reporting.triage_report``): ``report_read``, ``evidence_open``,
``report_ask``, ``report_close``, ``report_create_conduct_matter``; each writes a ReportEvent.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from accounts.models import Team
from cases.models import CaseType
from cases.services import AllegationData, case_create
from psd.domain import DomainError, PermissionDenied

from . import crypto, receipt
from .evidence import clean
from .models import (
    Evidence,
    MessageDirection,
    Report,
    ReportEvent,
    ReportEventAction,
    ReportMessage,
    ReportStatus,
)

TRIAGE_PERMISSION = "reporting.triage_report"
MAX_TEXT = 20_000
CLOSED = "This report is closed, so no more messages can be added."


@dataclass(frozen=True)
class Submitted:
    report: Report
    code: str  # shown to the reporter once, never stored


def _require_triager(actor) -> None:
    if not (actor and actor.is_authenticated and actor.has_perm(TRIAGE_PERMISSION)):
        raise PermissionDenied("Only PSD staff who triage anonymous reports may do this.")


def _require_text(text: str, *, field: str, what: str) -> str:
    text = (text or "").strip()
    if not text:
        raise DomainError(f"Enter {what}.", field=field)
    if len(text) > MAX_TEXT:
        raise DomainError(f"Shorten {what} to {MAX_TEXT:,} characters or fewer.", field=field)
    return text


def _event(*, report: Report, actor, action: str, reason: str = "") -> ReportEvent:
    return ReportEvent.objects.create(
        report=report, actor=actor, at=timezone.now(), action=action, reason=reason
    )


def _lock(report: Report) -> Report:
    return Report.objects.select_for_update().get(pk=report.pk)


def _receiving_team():
    """The team whose queue new reports land in (issue 12): the one an administrator marked,
    or none (then every triager sees the report in the shared list, as before)."""
    return Team.objects.filter(receives_anonymous_reports=True).first()


@transaction.atomic
def report_submit(
    *,
    what: str,
    who: str = "",
    when: str = "",
    where: str = "",
    name: str = "",
    evidence=None,
) -> Submitted:
    """Record an anonymous report; return it with its receipt code (shown once).

    ``evidence`` is an uploaded file: it is stored without its metadata, or refused.
    """
    what = _require_text(what, field="what", what="what happened")
    cleaned = clean(evidence) if evidence else None
    content = {
        "what": what,
        "who": who.strip()[:MAX_TEXT],
        "when": when.strip()[:MAX_TEXT],
        "where": where.strip()[:MAX_TEXT],
        "name": name.strip()[:200],
    }
    code = receipt.generate()
    report = Report(
        lookup_id=receipt.lookup_id(code),
        code_hash=receipt.hash_code(code),
        received_on=timezone.localdate(),  # issue 8: the day only
        sealed_content=crypto.seal_json(content),
        team=_receiving_team(),
    )
    report.save()
    if cleaned is not None:
        Evidence.objects.create(
            report=report,
            content_type=cleaned.content_type,
            size=len(cleaned.data),
            sealed_name=crypto.seal_json({"name": (evidence.name or "")[:200]}),
            sealed_data=crypto.seal(cleaned.data),
        )
    return Submitted(report=report, code=code)


@transaction.atomic
def report_reply(*, report: Report, body: str) -> ReportMessage:
    """The reporter adds information or answers PSD's question."""
    report = _lock(report)
    if not report.is_open:
        raise DomainError(CLOSED)
    body = _require_text(body, field="body", what="your message")
    message = ReportMessage.objects.create(
        report=report,
        direction=MessageDirection.FROM_REPORTER,
        sent_on=timezone.localdate(),
        sealed_body=crypto.seal_text(body),
    )
    if report.status in (ReportStatus.IN_TRIAGE, ReportStatus.AWAITING_REPORTER):
        report.reporter_replied()
        report.save()
    return message


@transaction.atomic
def report_read(*, actor, report: Report) -> Report:
    """A triager opens the report: audited, and a new report moves into triage."""
    _require_triager(actor)
    report = _lock(report)
    if report.status == ReportStatus.NEW:
        report.start_triage()
        report.save()
    _event(report=report, actor=actor, action=ReportEventAction.READ)
    return report


@transaction.atomic
def evidence_open(*, actor, evidence: Evidence) -> tuple[bytes, str]:
    """Decrypted evidence bytes and the original file name, with an audit entry."""
    _require_triager(actor)
    _event(
        report=evidence.report,
        actor=actor,
        action=ReportEventAction.EVIDENCE_OPENED,
        reason=f"Evidence {evidence.pk}",
    )
    return crypto.unseal(evidence.sealed_data), crypto.unseal_json(evidence.sealed_name)["name"]


@transaction.atomic
def report_ask(*, actor, report: Report, question: str, reason: str = "") -> ReportMessage:
    """Send the reporter a question; they read it on the follow-up page with their code."""
    _require_triager(actor)
    report = _lock(report)
    if not report.is_open:
        raise DomainError(CLOSED)
    question = _require_text(question, field="question", what="your question")
    report.ask_reporter()
    report.save()
    message = ReportMessage.objects.create(
        report=report,
        direction=MessageDirection.FROM_PSD,
        sent_on=timezone.localdate(),
        author=actor,
        sealed_body=crypto.seal_text(question),
    )
    _event(
        report=report,
        actor=actor,
        action=ReportEventAction.QUESTION_ASKED,
        reason=reason.strip() or "Question sent to the reporter",
    )
    return message


@transaction.atomic
def report_close(*, actor, report: Report, reason: str) -> Report:
    _require_triager(actor)
    report = _lock(report)
    if not report.is_open:
        raise DomainError("This report is already closed.")
    reason = _require_text(reason, field="reason", what="the reason for closing")
    report.close()
    report.closed_reason = reason
    report.save()
    _event(report=report, actor=actor, action=ReportEventAction.CLOSED, reason=reason)
    return report


@transaction.atomic
def report_create_conduct_matter(
    *,
    actor,
    report: Report,
    summary: str,
    reason: str,
    copy_reporter_text: bool = False,
    category=None,
    subjects=(),
    about_force: bool = False,
):
    """Open a conduct matter from the report, in the triager's words, with its allegation
    (the triager's summary, a category, and the people it is about or the force/service):
    a conduct matter needs an allegation however it is logged (cases.services.case_create).

    The reporter's own text is copied only when the triager chooses to: their wording may
    identify them. The case records the report's day of receipt, not the day of triage.
    """
    _require_triager(actor)
    report = _lock(report)
    if not report.is_open:
        raise DomainError("This report is closed, so no conduct matter can be created from it.")
    summary = _require_text(summary, field="summary", what="a summary for the conduct matter")
    reason = _require_text(reason, field="reason", what="why this is a conduct matter")
    if category is None:
        raise DomainError("Choose the category of the allegation.", field="category")
    allegation = AllegationData(
        summary=summary, category=category, subjects=list(subjects), about_force=about_force
    )
    if copy_reporter_text:
        content = crypto.unseal_json(report.sealed_content)
        summary = f"{summary}\n\nThe reporter's account (anonymous report):\n{content['what']}"
    case = case_create(
        actor=actor,
        case_type=CaseType.CONDUCT_MATTER,
        summary=summary,
        received_on=report.received_on,
        source="anonymous_report",
        allegations=[allegation],
    )
    report.record_conduct_matter()
    report.conduct_matter = case
    report.save()
    copied = " The reporter's text was copied." if copy_reporter_text else ""
    _event(
        report=report,
        actor=actor,
        action=ReportEventAction.CONDUCT_MATTER_CREATED,
        reason=f"{reason} (conduct matter {case.reference}).{copied}",
    )
    return case
