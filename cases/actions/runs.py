"""How each case-page action runs: parse the form's cleaned data, check the user's copy is
fresh, call exactly one service, and return the message to show."""

from django.db.models.functions import Upper

from accounts.models import Person
from psd.domain import DomainError, StaleObject

from .. import services
from ..models import Case, ReflectivePractice, SubjectTrack
from ..services.notes import case_add_document, case_add_note
from . import forms as f


def fingerprint(target) -> str:
    """What the user saw: the case version, or the stage of a subject, RPRP or proposal."""
    if isinstance(target, Case):
        return str(target.version)
    if isinstance(target, SubjectTrack):
        return target.state
    if isinstance(target, ReflectivePractice):
        return target.stage
    return target.status


def check_fresh(target, expected: str) -> None:
    if expected and expected != fingerprint(target):
        raise StaleObject()


def _v(data) -> int | None:
    try:
        return int(data.get("expected") or "")
    except ValueError:
        return None


# --- Case-level runs ----------------------------------------------------------------------


def _record(actor, case, target, form):
    d = form.cleaned_data
    services.case_record(
        actor=actor,
        case=case,
        recorded_on=d["recorded_on"],
        reason=d["reason"],
        recordable_grounds=d["recordable_grounds"],
        expected_version=_v(d),
    )
    return "Case recorded."


def _outside(actor, case, target, form):
    services.case_handle_outside_schedule_3(
        actor=actor,
        case=case,
        reason=form.cleaned_data["reason"],
        answers=form.answers(),
        expected_version=_v(form.cleaned_data),
    )
    return "Handled outside Schedule 3."


def _simple(service, message, **fields):
    """A run that passes the named form fields (and the expected version) to ``service``."""

    def run(actor, case, target, form):
        d = form.cleaned_data
        kwargs = {arg: d[name] for arg, name in fields.items()}
        service(actor=actor, case=case, expected_version=_v(d), **kwargs)
        return message

    return run


def _assess(actor, case, target, form):
    d = form.cleaned_data
    services.case_assess_referral(
        actor=actor,
        case=case,
        criteria=list(d["criteria"]),
        rationale=d["rationale"],
        voluntary=d["voluntary"],
        called_in=d["called_in"],
        expected_version=_v(d),
    )
    return "Referral assessment recorded."


def _case_to_answer(actor, case, target, form):
    services.case_propose_case_to_answer(
        actor=actor,
        case=case,
        answers=form.answers(),
        rationale=form.cleaned_data["rationale"],
        expected_version=_v(form.cleaned_data),
    )
    return "Case-to-answer decisions proposed for approval."


def _outcome(actor, case, target, form):
    services.outcome_propose(
        actor=actor,
        case=case,
        outcomes=form.outcomes(),
        rationale=form.cleaned_data["rationale"],
        effective_on=form.cleaned_data["effective_on"],
        expected_version=_v(form.cleaned_data),
    )
    return "Outcome proposed for approval."


def _assign(actor, case, target, form):
    check_fresh(case, form.cleaned_data["expected"])
    d = form.cleaned_data
    services.case_reassign(
        actor=actor,
        case=case,
        investigator=d["investigator"],
        supervisor=d["supervisor"],
        reason=d["reason"],
    )
    return f"Case assigned to {d['investigator']}."


def _twelve_month(actor, case, target, form):
    d = form.cleaned_data
    services.case_record_twelve_month_report(
        actor=actor, case=case, reported_on=d["reported_on"], summary=d["summary"]
    )
    return "12-month report recorded."


def _allegation(actor, case, target, form):
    d = form.cleaned_data
    numbers = f.person_numbers(d["subject_numbers"])
    people = {
        p.number.upper(): p
        for p in Person.objects.annotate(upper_number=Upper("number")).filter(
            upper_number__in=[n.upper() for n in numbers]
        )
    }
    missing = [n for n in numbers if n.upper() not in people]
    if missing:
        raise DomainError(
            f"No one in the register has the number {', '.join(missing)}.",
            field="subject_numbers",
        )
    allegation = services.allegation_add(
        actor=actor,
        case=case,
        expected_version=_v(d),
        data=services.AllegationData(
            summary=d["summary"],
            category=d["category"],
            standards=list(d["standards"]),
            subjects=[people[n.upper()] for n in numbers],
            about_force=d["about_force"],
        ),
    )
    return f"Allegation {allegation.number} added."


def _note(actor, case, target, form):
    d = form.cleaned_data
    case_add_note(actor=actor, case=case, text=d["text"], visibility=d["visibility"])
    return "Note added."


def _document(actor, case, target, form):
    d = form.cleaned_data
    document = case_add_document(
        actor=actor, case=case, upload=d["file"], description=d["description"]
    )
    return f"{document.original_name} uploaded."


# --- Track-level runs ---------------------------------------------------------------------


def _track(service, message, **fields):
    def run(actor, case, track, form):
        check_fresh(track, form.cleaned_data["expected"])
        kwargs = {arg: form.cleaned_data[name] for arg, name in fields.items()}
        service(actor=actor, track=track, **kwargs)
        return message.format(name=track.person.full_name)

    return run


def _rprp_stage(actor, case, rprp, form):
    check_fresh(rprp, form.cleaned_data["expected"])
    d = form.cleaned_data
    services.rprp_record_stage(
        actor=actor, rprp=rprp, stage=d["stage"], on=d["on"], notes=d["notes"]
    )
    return "Reflective practice stage recorded."


def _approve(actor, case, decision, form):
    check_fresh(decision, form.cleaned_data["expected"])
    services.decision_approve(actor=actor, decision=decision, reason=form.cleaned_data["reason"])
    return f"Approved: {decision.get_kind_display()}."


def _refuse(actor, case, decision, form):
    check_fresh(decision, form.cleaned_data["expected"])
    services.decision_refuse(actor=actor, decision=decision, reason=form.cleaned_data["reason"])
    return f"Refused: {decision.get_kind_display()}. The proposer has been told."
