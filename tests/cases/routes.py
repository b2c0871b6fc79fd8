"""Take a case (through the services, as users do) to a given point of its lifecycle, and
snapshot what a refused service must leave untouched."""

import datetime

from django.contrib.contenttypes.models import ContentType

from cases import services
from cases.models import (
    Action,
    Case,
    CaseTransition,
    ComplaintResult,
    Decision,
    Finding,
    Forum,
    Outcome,
    Severity,
    State,
    TrackState,
)
from cases.services import OutcomeData
from deadlines.calendar import add_working_days
from deadlines.models import Deadline
from tests.cases.factories import days_ago, to_handling_decided


def proceedings_dates() -> tuple[datetime.date, datetime.date]:
    """Notice and proceedings in the past, far enough apart for every forum (accelerated
    hearings: 10-15 working days after notice)."""
    notice_on = days_ago(60)
    return notice_on, add_working_days(notice_on, 12)


def fresh(case: Case) -> Case:
    return Case.objects.get(pk=case.pk)


def snapshot(case: Case) -> dict:
    """Everything a refused service on ``case`` must leave as it was."""
    case = fresh(case)
    return {
        "state": case.state,
        "version": case.version,
        "transitions": CaseTransition.objects.filter(case=case).count(),
        "tracks": list(case.tracks.order_by("pk").values_list("state", "severity", "forum")),
        "decisions": list(case.decisions.order_by("pk").values_list("kind", "status")),
        "outcomes": list(
            Outcome.objects.filter(allegation__case=case).order_by("pk").values_list("status")
        ),
        "allegations": case.allegations.count(),
        "referrals": case.referrals.count(),
        "assessments": case.referral_assessments.count(),
        "reviews": case.reviews.count(),
        "deadlines": Deadline.objects.count(),
        "finalised_at": case.finalised_at,
    }


def open_deadlines(target) -> set[str]:
    return set(
        Deadline.objects.filter(
            content_type=ContentType.objects.get_for_model(target),
            object_id=target.pk,
            status="open",
        ).values_list("kind__code", flat=True)
    )


def deadline(target, kind: str) -> Deadline:
    return Deadline.objects.filter(
        content_type=ContentType.objects.get_for_model(target), object_id=target.pk, kind__code=kind
    ).latest("pk")


def investigating(case: Case, investigator, approver) -> Case:
    case = to_handling_decided(case, investigator, approver)
    services.case_start_investigation(actor=investigator, case=case)
    return fresh(case)


def awaiting_iopc(case: Case, investigator, criterion) -> Case:
    services.case_record(actor=investigator, case=case)
    services.case_assess_referral(
        actor=investigator, case=case, criteria=[criterion], rationale="Criterion met"
    )
    services.case_refer_to_iopc(actor=investigator, case=case, referred_on=days_ago(5))
    return fresh(case)


def report_submitted(case: Case, investigator, approver, severity=Severity.MISCONDUCT, **kw):
    """Investigated; every subject assessed at ``severity`` and (if misconduct) served notice."""
    case = investigating(case, investigator, approver)
    for track in case.tracks.all():
        services.track_assess_severity(
            actor=investigator, track=track, severity=severity, rationale="Assessed", **kw
        )
        if severity in (Severity.MISCONDUCT, Severity.GROSS_MISCONDUCT):
            services.track_serve_notice(actor=investigator, track=track, served_on=days_ago(70))
    services.case_submit_report(actor=investigator, case=case, summary="Report")
    return fresh(case)


def decided(case: Case, investigator, approver, answer=True, **kw) -> Case:
    case = report_submitted(case, investigator, approver, **kw)
    answers = {t.pk: answer for t in case.tracks.filter(state=TrackState.AWAITING_DECISION)}
    decision = services.case_propose_case_to_answer(
        actor=investigator, case=case, answers=answers, rationale="Evidence"
    )
    services.decision_approve(actor=approver, decision=decision)
    return fresh(case)


def concluded(case: Case, investigator, approver, forum=Forum.MEETING, **kw) -> Case:
    """Every subject has had ``forum`` and it is over (severity to suit the forum)."""
    severity = Severity.MISCONDUCT if forum == Forum.MEETING else Severity.GROSS_MISCONDUCT
    kw.setdefault("special_case", forum == Forum.ACCELERATED_HEARING)
    case = decided(case, investigator, approver, severity=severity, **kw)
    for track in case.tracks.all():
        proceedings_held(track, investigator, forum)
    return fresh(case)


def proceedings_held(track, investigator, forum=Forum.HEARING) -> None:
    """``track``'s subject is referred to ``forum`` (``proceedings_dates``), held yesterday."""
    notice_on, date = proceedings_dates()
    services.track_refer_to_proceedings(
        actor=investigator, track=track, forum=forum, date=date, notice_on=notice_on
    )
    services.track_conclude_proceedings(actor=investigator, track=track, held_on=days_ago(1))


def outcomes_for(case: Case, finding=Finding.MISCONDUCT_PROVEN, action=Action.WRITTEN_WARNING):
    """One outcome per (allegation, subject) and per allegation about the force."""
    result = []
    tracks = {t.person_id: t for t in case.tracks.select_related("person", "person__rank")}
    for allegation in case.allegations.prefetch_related("subjects"):
        if allegation.about_force:
            result.append(
                OutcomeData(allegation=allegation, track=None, finding=Finding.SERVICE_ACCEPTABLE)
            )
        for person in allegation.subjects.all():
            result.append(
                OutcomeData(
                    allegation=allegation,
                    track=tracks[person.pk],
                    finding=finding,
                    action=action,
                )
            )
    return result


def outcome_proposed(case, investigator, approver, *, forum=Forum.MEETING, **outcome_kw):
    case = concluded(case, investigator, approver, forum=forum)
    decision = services.outcome_propose(
        actor=investigator, case=case, outcomes=outcomes_for(case, **outcome_kw), rationale="Due"
    )
    return fresh(case), decision


def outcome_approved(case, investigator, approver, **kw) -> Case:
    case, decision = outcome_proposed(case, investigator, approver, **kw)
    services.decision_approve(actor=approver, decision=decision)
    return fresh(case)


def finalised(case, investigator, approver, sent_on: datetime.date | None = None, **kw) -> Case:
    case = outcome_approved(case, investigator, approver, **kw)
    decision = services.case_propose_finalisation(
        actor=investigator,
        case=case,
        rationale="Outcome sent",
        result=ComplaintResult.SERVICE_NOT_ACCEPTABLE if case.is_complaint else "",
        outcome_sent_on=sent_on or days_ago(0),
    )
    services.decision_approve(actor=approver, decision=decision)
    case = fresh(case)
    assert case.state == State.FINALISED
    return case


def pending(case: Case, kind: str) -> Decision:
    return case.decisions.get(kind=kind, status="pending")
