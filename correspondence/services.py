"""Letter templates (versioned), letters generated from cases, and updates to complainants.

``letter_generate`` is the one way a letter is made: it checks the actor, fills the current
template from the case, refuses when a required value is missing, stores the PDF and the Word
file as case documents, records how and when it was sent, resets the complainant's
keep-informed clock and, when sent by e-mail, queues the e-mail after commit.
"""

import datetime
import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from audit.services import audit_event
from cases.documents import content_type_for, document_problem
from cases.models import BarredListEntry, Case, CaseDocument, Complainant
from cases.services._core import lock_case, require
from psd.domain import DomainError, PermissionDenied

from . import clocks, context, rendering
from .models import Letter, LetterKind, LetterTemplate, SentHow, UpdateRecord

logger = logging.getLogger(__name__)


# --- Templates -----------------------------------------------------------------------------
def template_current(kind: str) -> LetterTemplate:
    template = LetterTemplate.objects.filter(kind=kind).order_by("-version").first()
    if template is None:
        raise DomainError(f"There is no template for “{LetterKind(kind).label}”.")
    return template


@transaction.atomic
def template_save(
    *, actor, kind: str, subject: str, body: str, change_note: str = ""
) -> LetterTemplate:
    """Save an edit as the next version of ``kind``'s template; earlier versions (and the
    letters made from them) are never changed."""
    if not actor.has_perm("correspondence.edit_lettertemplate"):
        raise PermissionDenied("Your role does not allow editing letter templates.")
    if kind not in LetterKind.values:
        raise DomainError("Choose the kind of letter.", field="kind")
    subject, body = subject.strip(), body.strip()
    problem = rendering.template_problem(kind, subject, body)
    if problem:
        raise DomainError(problem, field="body" if "body" in problem else "subject")
    # Lock the kind's versions so two editors cannot both save version n+1.
    list(LetterTemplate.objects.select_for_update().filter(kind=kind).values_list("pk"))
    last = LetterTemplate.objects.filter(kind=kind).aggregate(n=Max("version"))["n"] or 0
    template = LetterTemplate.objects.create(
        kind=kind,
        version=last + 1,
        subject=subject,
        body=body,
        change_note=change_note.strip()[:300],
        created_by=actor,
    )
    audit_event(
        actor=actor,
        action="letter_template.saved",
        obj=template,
        target_label=str(template),
        reason=template.change_note,
    )
    return template


# --- Letters -------------------------------------------------------------------------------
def _store(case: Case, *, by, name: str, data: bytes, description: str) -> CaseDocument:
    """A generated file kept as a case document, checked like any upload."""
    problem = document_problem(name, len(data), data)
    if problem:
        raise DomainError(f"The generated file was refused: {problem}")
    document = CaseDocument(
        case=case,
        original_name=name,
        content_type=content_type_for(name),
        size=len(data),
        description=description[:300],
        uploaded_by=by,
    )
    document.file.save(name, ContentFile(data), save=False)
    document.save()
    return document


def _check_inputs(case: Case, kind: str, inputs: context.Inputs, sent_how: str) -> None:
    if sent_how not in SentHow.values:
        raise DomainError("Choose how the letter is sent.", field="sent_how")
    if inputs.sent_on > timezone.localdate():
        raise DomainError("The date sent cannot be in the future.", field="sent_on")
    if inputs.complainant is not None and inputs.complainant.case_id != case.pk:
        raise DomainError("Choose a complainant of this case.", field="complainant")
    if inputs.track is not None and inputs.track.case_id != case.pk:
        raise DomainError("Choose a subject of this case.", field="track")
    if inputs.entry is not None and inputs.entry.case_id != case.pk:
        raise DomainError("Choose a list entry of this case.", field="entry")
    if kind in context.TO_SUBJECT and inputs.track is None:
        raise DomainError("Choose the officer the notice is for.", field="track")
    if kind in context.TO_COLLEGE and inputs.entry is None:
        raise DomainError("Choose the list entry to report.", field="entry")
    wrong_list = (kind == LetterKind.BARRED_LIST_REPORT) != isinstance(
        inputs.entry, BarredListEntry
    )
    if kind in context.TO_COLLEGE and wrong_list:
        raise DomainError("Choose an entry of the list this report is for.", field="entry")


def _complainant_for(case: Case, kind: str, inputs: context.Inputs) -> Complainant | None:
    if kind not in context.TO_COMPLAINANT:
        return None
    complainant = inputs.complainant or case.complainants.order_by("pk").first()
    if complainant is None:
        raise DomainError("This case has no complainant to write to.", field="complainant")
    inputs.complainant = complainant
    return complainant


def _email_for(kind: str, complainant: Complainant | None, sent_how: str) -> str:
    email = complainant.email if complainant is not None else ""
    if sent_how == SentHow.EMAIL and not email:
        raise DomainError(
            "There is no e-mail address to send this letter to: choose another way.",
            field="sent_how",
        )
    return email if sent_how == SentHow.EMAIL else ""


def letter_create(*, by, case: Case, kind: str, inputs: context.Inputs, sent_how: str) -> Letter:
    """Render and store a letter (no permission check: callers check ``by``)."""
    if kind not in LetterKind.values:
        raise DomainError("Choose the kind of letter.", field="kind")
    _check_inputs(case, kind, inputs, sent_how)
    complainant = _complainant_for(case, kind, inputs)
    email = _email_for(kind, complainant, sent_how)
    template = template_current(kind)
    values = context.build(kind, case, inputs)
    gaps = context.missing(kind, values, inputs)
    if gaps:
        raise DomainError(context.MissingFields(gaps).message)
    letter_text = rendering.Rendered(
        recipient=values["recipient_name"],
        address=values["recipient_address"],
        date=values["date"],
        subject=rendering.substitute(template.subject, values),
        body=rendering.substitute(template.body, values),
        force_name=values["force_name"],
    )
    stem = f"{case.reference}-{kind}-{inputs.sent_on:%Y%m%d}"
    description = f"{template.get_kind_display()} (template v{template.version})"
    files = {
        ext: _store(
            case, by=by, name=f"{stem}.{ext}", data=make(letter_text), description=description
        )
        for ext, make in (("pdf", rendering.letter_pdf), ("docx", rendering.letter_docx))
    }
    letter = Letter.objects.create(
        case=case,
        template=template,
        complainant=complainant,
        recipient=letter_text.recipient[:200],
        recipient_email=email,
        subject=letter_text.subject[:300],
        body=letter_text.body,
        pdf=files["pdf"],
        docx=files["docx"],
        sent_on=inputs.sent_on,
        sent_by=by,
        sent_how=sent_how,
    )
    audit_event(
        actor=by,
        action="letter.generated",
        obj=letter,
        target_label=case.reference,
        data={"kind": kind, "template_version": template.version, "sent_how": sent_how},
    )
    if complainant is not None and clocks.update_sent(
        complainant, case=case, on=inputs.sent_on, actor=by
    ):
        UpdateRecord.objects.create(
            complainant=complainant, letter=letter, sent_on=inputs.sent_on, recorded_by=by
        )
    if email:
        from .tasks import email_letter  # the task module imports this one

        email_letter.delay_on_commit(letter.pk)
    return letter


@transaction.atomic
def letter_generate(
    *, actor, case: Case, kind: str, inputs: context.Inputs, sent_how: str
) -> Letter:
    """A letter made by a member of PSD staff who may change the case."""
    require(actor, "change_case", case)
    case = lock_case(case)
    return letter_create(by=actor, case=case, kind=kind, inputs=inputs, sent_how=sent_how)


@transaction.atomic
def complainant_update_record(
    *, actor, case: Case, complainant: Complainant, note: str, sent_on: datetime.date
) -> UpdateRecord:
    """An update given without a generated letter (a call, a meeting): resets the clock."""
    require(actor, "change_case", case)
    case = lock_case(case)
    if complainant.case_id != case.pk:
        raise DomainError("Choose a complainant of this case.", field="complainant")
    if not note.strip():
        raise DomainError("Say what the complainant was told and how.", field="note")
    if sent_on > timezone.localdate() or sent_on < case.received_on:
        raise DomainError("The date must be between the date received and today.", field="sent_on")
    if not clocks.update_sent(complainant, case=case, on=sent_on, actor=actor):
        raise DomainError(
            "No update is due for this complainant: the complaint is not recorded or is closed."
        )
    record = UpdateRecord.objects.create(
        complainant=complainant, note=note.strip(), sent_on=sent_on, recorded_by=actor
    )
    audit_event(actor=actor, action="complainant.updated", obj=record, target_label=case.reference)
    return record
