"""IOPC referral: assessment against the criteria, referral, the IOPC's decision."""

import datetime

from django.db import transaction

from accounts.models import User
from psd.domain import DomainError

from .. import clocks
from ..models import (
    Case,
    CaseType,
    InvestigationMode,
    IOPCReferral,
    ReferralAssessment,
    ReferralCriterion,
    State,
)
from ._core import lock_case, require, today, transition_case


@transaction.atomic
def case_assess_referral(
    *,
    actor: User,
    case: Case,
    criteria: list[ReferralCriterion],
    rationale: str,
    voluntary: bool = False,
    called_in: bool = False,
    expected_version: int | None = None,
) -> ReferralAssessment:
    """Record which mandatory referral criteria apply (PRA 2002 Sch 3 paras 4, 13, 14C)."""
    require(actor, "change_case", case)
    case = lock_case(case, expected_version=expected_version)
    if not rationale.strip():
        raise DomainError("Give the reasons for the referral assessment.", field="rationale")
    if case.state == State.RECORDED:
        transition_case(case, "assess_referral", actor=actor, reason=rationale)
    elif case.state != State.REFERRAL_ASSESSMENT:
        raise DomainError("The referral assessment is made once the case is recorded.")
    assessment = ReferralAssessment.objects.create(
        case=case,
        voluntary=voluntary,
        called_in=called_in,
        rationale=rationale,
        assessed_by=actor,
    )
    assessment.criteria.set(criteria)
    return assessment


def referral_required(case: Case) -> bool:
    """A referral is required when the latest assessment found a mandatory criterion, when
    the IOPC called it in, or always for a DSI matter."""
    if case.case_type == CaseType.DSI:
        return True
    latest = case.referral_assessments.order_by("-assessed_at", "-id").first()
    if latest is None:
        return False
    return latest.called_in or latest.criteria.filter(mandatory=True).exists()


@transaction.atomic
def case_refer_to_iopc(
    *,
    actor: User,
    case: Case,
    referred_on: datetime.date | None = None,
    iopc_reference: str = "",
    reason: str = "",
    expected_version: int | None = None,
) -> IOPCReferral:
    require(actor, "change_case", case)
    case = lock_case(case, expected_version=expected_version)
    if not case.referral_assessments.exists():
        raise DomainError("Record the referral assessment before referring the case.")
    referred_on = referred_on or today()
    if referred_on > today():
        raise DomainError("The referral date cannot be in the future.", field="referred_on")
    transition_case(case, "refer_to_iopc", actor=actor, reason=reason or "Referred to the IOPC")
    referral = IOPCReferral.objects.create(
        case=case, referred_on=referred_on, iopc_reference=iopc_reference, referred_by=actor
    )
    clocks.iopc_referred(case, referred_on)
    return referral


@transaction.atomic
def case_record_iopc_decision(
    *,
    actor: User,
    case: Case,
    mode: str,
    decided_on: datetime.date | None = None,
    notes: str = "",
    expected_version: int | None = None,
) -> Case:
    """The IOPC decides the mode of investigation (PRA 2002 Sch 3 para 5)."""
    require(actor, "change_case", case)
    case = lock_case(case, expected_version=expected_version)
    if mode not in {
        InvestigationMode.NONE,
        InvestigationMode.LOCAL,
        InvestigationMode.DIRECTED,
        InvestigationMode.INDEPENDENT,
    }:
        raise DomainError("Choose the IOPC's decision on the mode of investigation.", field="mode")
    referral = case.referrals.select_for_update().filter(decision_on__isnull=True).first()
    if referral is None:
        raise DomainError("There is no referral awaiting an IOPC decision.")
    decided_on = decided_on or today()
    if decided_on < referral.referred_on or decided_on > today():
        raise DomainError(
            "The decision date must be between the referral and today.", field="decided_on"
        )
    transition_case(
        case, "iopc_decided", actor=actor, reason=notes or f"IOPC mode: {mode}", mode=mode
    )
    referral.decision_on, referral.mode, referral.decision_notes = decided_on, mode, notes
    referral.save()
    clocks.iopc_decided(case, actor=actor)
    return case


def no_referral_guard(case: Case) -> None:
    """A case meeting a mandatory criterion cannot leave assessment without a referral."""
    if case.state != State.REFERRAL_ASSESSMENT:
        raise DomainError("The case is not at referral assessment.")
    if not case.referral_assessments.exists():
        raise DomainError("Record the referral assessment first.")
    if referral_required(case):
        raise DomainError(
            "A mandatory referral criterion applies: the case must be referred to the IOPC."
        )
