"""IOPC referral: assessment against the criteria, referral, the IOPC's decision."""

import datetime

from django.db import transaction

from accounts.models import User
from psd.domain import DomainError
from psd.rules import guard, plausible_dates, refuse_if

from .. import clocks
from ..models import (
    Case,
    InvestigationMode,
    IOPCReferral,
    ReferralAssessment,
    ReferralCriterion,
    State,
)
from ._core import case_transition_refusal, lock_case, require, today, transition_case
from .facts import facts_for, referral_required  # noqa: F401 - re-exported


@guard(
    "The referral assessment is made once the case is recorded, against the mandatory "
    "referral criteria.",
    "PRA 2002 Sch 3 paras 4, 13, 14C; C&M Regs 2020 reg 4(1)",
)
def case_assess_referral_refusal(*, actor: User, case: Case, facts=None) -> str | None:
    if case.state not in (State.RECORDED, State.REFERRAL_ASSESSMENT):
        return "The referral assessment is made once the case is recorded."
    return None


@guard(
    "A case is referred to the IOPC from referral assessment, once the assessment is recorded.",
    "PRA 2002 Sch 3 paras 4, 13, 14C",
)
def case_refer_to_iopc_refusal(*, actor: User, case: Case, facts=None) -> str | None:
    assessing = case.state in (State.RECORDED, State.REFERRAL_ASSESSMENT)
    if assessing and not facts_for(case, facts).has_assessment:
        return "Record the referral assessment before referring the case."
    return case_transition_refusal(case, "refer_to_iopc")


@guard(
    "The IOPC's decision on the mode of investigation is recorded for a referred case.",
    "PRA 2002 Sch 3 para 5(1)-(2) (as enacted); para 15(1)-(2), (4)",
    verified=True,
)
def case_record_iopc_decision_refusal(*, actor: User, case: Case, facts=None) -> str | None:
    if case_transition_refusal(case, "iopc_decided"):
        return "There is no referral awaiting an IOPC decision."
    return None


@guard(
    "A case meeting a mandatory referral criterion (or a DSI matter, or one the IOPC called "
    "in) cannot leave referral assessment without a referral.",
    "PRA 2002 Sch 3 paras 4, 13, 14C; C&M Regs 2020 reg 4(1)",
)
def no_referral_refusal(*, actor: User, case: Case, facts=None) -> str | None:
    if case.state != State.REFERRAL_ASSESSMENT:
        return "The case is not at referral assessment."
    facts = facts_for(case, facts)
    if not facts.has_assessment:
        return "Record the referral assessment first."
    if facts.referral_required:
        return "A mandatory referral criterion applies: the case must be referred to the IOPC."
    return None


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
    refuse_if(case_assess_referral_refusal(actor=actor, case=case))
    if not rationale.strip():
        raise DomainError("Give the reasons for the referral assessment.", field="rationale")
    if case.state == State.RECORDED:
        transition_case(case, "assess_referral", actor=actor, reason=rationale)
    assessment = ReferralAssessment.objects.create(
        case=case,
        voluntary=voluntary,
        called_in=called_in,
        rationale=rationale,
        assessed_by=actor,
    )
    assessment.criteria.set(criteria)
    if referral_required(case):
        clocks.referral_due(case, on=today())
    else:
        clocks.referral_not_due(case, actor=actor)
    return assessment


@plausible_dates
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
    refuse_if(case_refer_to_iopc_refusal(actor=actor, case=case))
    referred_on = referred_on or today()
    if referred_on > today():
        raise DomainError("The referral date cannot be in the future.", field="referred_on")
    transition_case(case, "refer_to_iopc", actor=actor, reason=reason or "Referred to the IOPC")
    referral = IOPCReferral.objects.create(
        case=case, referred_on=referred_on, iopc_reference=iopc_reference, referred_by=actor
    )
    clocks.iopc_referred(case, referred_on, actor=actor)
    return referral


@plausible_dates
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
    refuse_if(case_record_iopc_decision_refusal(actor=actor, case=case))
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
