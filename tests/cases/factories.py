"""Build cases the way users do: through the services."""

import datetime

from django.utils import timezone

from cases import services
from cases.models import (
    AllegationCategory,
    CaseType,
    ComplaintResult,
    Finding,
    RecordableGround,
    ReferralCriterion,
    Severity,
    Standard,
)
from cases.services import AllegationData, ComplainantData, OutcomeData
from cases.services.outside import OUTSIDE_QUESTIONS
from tests.accounts.factories import PersonFactory


def category(name: str = "Discreditable conduct") -> AllegationCategory:
    return AllegationCategory.objects.get(name=name, parent=None)


def standards(*names: str) -> list[Standard]:
    return list(Standard.objects.filter(name__in=names or ["Honesty and integrity"]))


def criterion(code: str) -> ReferralCriterion:
    return ReferralCriterion.objects.get(code=code)


# PRA 2002 Sch 3 para 2(6A)/(6B): every question answered "no", so the complaint may be handled
# outside Schedule 3.
OUTSIDE_NO = dict.fromkeys(OUTSIDE_QUESTIONS, False)


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def allegation(*subjects, summary="Used excessive force during arrest", about_force=False):
    return AllegationData(
        summary=summary,
        category=category(),
        subjects=list(subjects),
        standards=standards("Use of force"),
        about_force=about_force,
    )


def complaint(actor, *subjects, allegations=None, supervisor=None, received=30, **kwargs):
    """A complaint from a member of the public with one allegation per subject by default."""
    subjects = subjects or (PersonFactory(),)
    return services.case_create(
        actor=actor,
        case_type=CaseType.COMPLAINT,
        summary="Complaint about an arrest",
        received_on=days_ago(received),
        supervisor=supervisor,
        complainants=[ComplainantData(name="Pat Member", email="pat@example.org")],
        allegations=allegations or [allegation(s) for s in subjects],
        **kwargs,
    )


def conduct_matter(actor, *subjects, supervisor=None, received=30, **kwargs):
    subjects = subjects or (PersonFactory(),)
    return services.case_create(
        actor=actor,
        case_type=CaseType.CONDUCT_MATTER,
        summary="Data misuse found by audit",
        received_on=days_ago(received),
        supervisor=supervisor,
        source="data_audit",
        allegations=[
            allegation(s, summary="Accessed records without a policing purpose") for s in subjects
        ],
        **kwargs,
    )


def to_handling_decided(case, investigator, approver):
    """Record, assess (no criteria) and have the no-referral decision approved. A conduct
    matter is recorded as recordable (C&M Regs 2020 reg 7(1)(f))."""
    grounds = [RecordableGround.GRAVITY] if case.case_type == CaseType.CONDUCT_MATTER else []
    services.case_record(actor=investigator, case=case, recordable_grounds=grounds)
    services.case_assess_referral(
        actor=investigator, case=case, criteria=[], rationale="No criterion met"
    )
    decision = services.case_propose_no_referral(
        actor=investigator, case=case, rationale="No criterion met"
    )
    services.decision_approve(actor=approver, decision=decision)
    case.refresh_from_db()
    return case


def to_finalised_otbi(case, investigator, approver):
    """From handling decided: handled otherwise than by investigation, no misconduct, no
    action, the outcome and the finalisation each proposed and approved."""
    services.case_handle_otbi(
        actor=investigator, case=case, reason="Explanation and apology offered"
    )
    track = case.tracks.get()
    services.track_assess_severity(
        actor=investigator,
        track=track,
        severity=Severity.NO_MISCONDUCT,
        rationale="Body-worn video shows proper conduct",
    )
    services.track_no_action(actor=investigator, track=track, reason="No misconduct")
    decision = services.outcome_propose(
        actor=investigator,
        case=case,
        rationale="Service acceptable",
        outcomes=[
            OutcomeData(
                allegation=case.allegations.get(), track=track, finding=Finding.NO_MISCONDUCT
            )
        ],
    )
    services.decision_approve(actor=approver, decision=decision)
    final = services.case_propose_finalisation(
        actor=investigator,
        case=case,
        rationale="Outcome letter sent",
        result=ComplaintResult.SERVICE_ACCEPTABLE,
        outcome_sent_on=days_ago(0),
    )
    services.decision_approve(actor=approver, decision=final)
    case.refresh_from_db()
    return case
