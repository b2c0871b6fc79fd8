"""Four-eyes decisions: one person proposes, a supervisor or the appropriate authority who is
not the proposer, not the investigator and not a party to the case approves or refuses."""

import datetime

from django.db import transaction

from accounts.models import User
from audit.services import audit_event
from psd.domain import DomainError
from psd.rules import Refusal, four_eyes_refusal, guard, plausible_dates, refuse_if, rule

from .. import clocks
from ..models import (
    Case,
    CaseType,
    ComplaintResult,
    Decision,
    DecisionKind,
    DecisionStatus,
    Outcome,
    OutcomeStatus,
    Severity,
    State,
    SubjectTrack,
    TrackState,
)
from ..signals import outcomes_approved
from . import lists, notify
from ._core import (
    case_transition_refusal,
    lock_case,
    lock_tracks,
    now,
    pending_refusal,
    require,
    require_not_party,
    today,
    transition_case,
    transition_track,
)
from .facts import CaseFacts, facts_for
from .outcomes import OutcomeData, expected_pairs, outcome_live_until, validate_outcome
from .referral import no_referral_refusal

# The case transition each kind of proposal makes when it is approved.
APPROVAL_TRANSITION = {
    DecisionKind.REFERRAL_NOT_REQUIRED: "no_referral",
    DecisionKind.CASE_TO_ANSWER: "decide_case_to_answer",
    DecisionKind.OUTCOME: "approve_outcome",
    DecisionKind.FINALISATION: "finalise",
}


@guard(
    "No referral needed: proposed for a second person's approval, only where no mandatory "
    "criterion applies.",
    "PRA 2002 Sch 3 paras 4, 13, 14C; C&M Regs 2020 reg 4(1)",
)
def case_propose_no_referral_refusal(*, actor: User, case: Case, facts=None) -> str | None:
    facts = facts_for(case, facts)
    return no_referral_refusal(actor=actor, case=case, facts=facts) or pending_refusal(
        facts, DecisionKind.REFERRAL_NOT_REQUIRED
    )


@guard(
    "Case-to-answer decisions follow the investigation report, one proposal at a time.",
    "CR 2020 reg 23(1); reg 21(1)",
    verified=True,
)
def case_propose_case_to_answer_refusal(*, actor: User, case: Case, facts=None) -> str | None:
    if case.state != State.REPORT_SUBMITTED:
        return "Case-to-answer decisions follow the investigation report."
    return pending_refusal(facts_for(case, facts), DecisionKind.CASE_TO_ANSWER)


@guard(
    "The outcome is proposed once every subject's track has concluded, for each subject of "
    "each allegation.",
    "CR 2020 reg 42",
)
def outcome_propose_refusal(*, actor: User, case: Case, facts=None) -> str | None:
    refusal = case_transition_refusal(case, "propose_outcome")
    if refusal:
        return refusal
    facts = facts_for(case, facts)
    open_tracks = [t.person.full_name for t in facts.tracks if not t.is_concluded]
    if open_tracks:
        return f"These subjects' tracks are still open: {', '.join(open_tracks)}."
    return pending_refusal(facts, DecisionKind.OUTCOME)


@guard("A case is proposed for finalisation once its outcome has been approved.")
def case_propose_finalisation_refusal(*, actor: User, case: Case, facts=None) -> str | None:
    if case.state != State.OUTCOME_APPROVED:
        return "A case is finalised once its outcome has been approved."
    return pending_refusal(facts_for(case, facts), DecisionKind.FINALISATION)


def _approver_refusal(actor: User, decision: Decision, case: Case) -> str | None:
    if not actor.has_perm("cases.approve_decision"):
        return Refusal("Your role does not allow this action.")
    return four_eyes_refusal(
        actor=actor,
        excluded=[
            (decision.proposed_by_id, "You cannot approve or refuse a decision you proposed."),
            (case.investigator_id, "The investigator whose work this is cannot approve it."),
        ],
    ) or (
        None
        if decision.status == DecisionStatus.PENDING
        else f"This proposal was already {decision.get_status_display().lower()}."
    )


@guard("A proposal is refused, with a reason, by a second person (four-eyes) while it is pending.")
def decision_refuse_refusal(*, actor: User, decision: Decision, facts=None) -> str | None:
    case = facts.case if facts is not None else decision.case
    return _approver_refusal(actor, decision, case)


@guard(
    "A proposal is approved by a second person (four-eyes) while it is pending and the "
    "case can still take the step it proposes."
)
def decision_approve_refusal(*, actor: User, decision: Decision, facts=None) -> str | None:
    case = facts.case if facts is not None else decision.case
    refusal = _approver_refusal(actor, decision, case)
    if refusal:
        return refusal
    if decision.kind == DecisionKind.REFERRAL_NOT_REQUIRED:
        return no_referral_refusal(actor=actor, case=case, facts=facts)
    return case_transition_refusal(case, APPROVAL_TRANSITION[decision.kind])


def _propose(case: Case, *, kind: str, actor: User, rationale: str, payload=None) -> Decision:
    """Record a proposal (the caller's guard has refused a second one of its kind)."""
    if not rationale.strip():
        raise DomainError("Give the reasons for your proposal.", field="rationale")
    decision = Decision.objects.create(
        case=case, kind=kind, rationale=rationale, payload=payload or {}, proposed_by=actor
    )
    notify.decision_proposed(decision)
    return decision


@transaction.atomic
def case_propose_no_referral(
    *, actor: User, case: Case, rationale: str, expected_version: int | None = None
) -> Decision:
    require(actor, "change_case", case)
    case = lock_case(case, expected_version=expected_version)
    refuse_if(case_propose_no_referral_refusal(actor=actor, case=case))
    return _propose(case, kind=DecisionKind.REFERRAL_NOT_REQUIRED, actor=actor, rationale=rationale)


# CR 2020 reg 23(1): each answer says (a) case to answer for misconduct or gross misconduct, or
# none, and (b) whether misconduct proceedings are brought. True/"yes" keeps the assessed
# severity and brings proceedings; False/"no" is no case to answer.
ANSWERS: dict[str, tuple[str | None, bool]] = {
    "yes": ("", True),
    Severity.MISCONDUCT: (Severity.MISCONDUCT, True),
    Severity.GROSS_MISCONDUCT: (Severity.GROSS_MISCONDUCT, True),
    "misconduct_no_proceedings": (Severity.MISCONDUCT, False),
    "gross_no_proceedings": (Severity.GROSS_MISCONDUCT, False),
    "no": (None, False),
}


@rule(
    "Each case-to-answer decision says whether there is a case to answer, for misconduct or "
    "gross misconduct (not beyond the severity the subject's regulation 17 notice stated: "
    "revise it and serve a new notice first), and whether misconduct proceedings are brought.",
    "CR 2020 reg 23(1)(a)-(b); reg 17",
)
def case_to_answer_refusal(track: SubjectTrack, answer) -> str | None:
    key = {True: "yes", False: "no"}.get(answer, answer) if isinstance(answer, bool) else answer
    if key not in ANSWERS:
        return f"{track.person.full_name}: choose one of the case-to-answer decisions."
    level = ANSWERS[key][0]
    if level == Severity.GROSS_MISCONDUCT and track.severity != Severity.GROSS_MISCONDUCT:
        return (
            f"{track.person.full_name} was served notice of misconduct, not gross misconduct: "
            "revise the severity and serve a new notice before finding a case to answer for "
            "gross misconduct."
        )
    return None


@transaction.atomic
def case_propose_case_to_answer(
    *,
    actor: User,
    case: Case,
    answers: dict[int, bool | str],
    rationale: str,
    expected_version: int | None = None,
) -> Decision:
    """Propose, for every subject awaiting a decision, one of ``ANSWERS``: case to answer (for
    misconduct or gross misconduct, with or without proceedings) or none."""
    require(actor, "change_case", case)
    case = lock_case(case, expected_version=expected_version)
    refuse_if(case_propose_case_to_answer_refusal(actor=actor, case=case))
    waiting = {t.pk: t for t in case.tracks.filter(state=TrackState.AWAITING_DECISION)}
    if set(answers) != set(waiting):
        raise DomainError("Give a case-to-answer decision for every subject awaiting one.")
    keys = {}
    for pk, answer in answers.items():
        sentence = case_to_answer_refusal(waiting[pk], answer)
        if sentence:
            raise DomainError(sentence, field=f"track_{pk}")
        keys[str(pk)] = {True: "yes", False: "no"}.get(answer, answer)
    payload = {
        # "answers" stays a yes/no per subject (what the approval page shows).
        "answers": {pk: ANSWERS[key][0] is not None for pk, key in keys.items()},
        "levels": {pk: ANSWERS[key][0] or "" for pk, key in keys.items()},
        "proceedings": {pk: ANSWERS[key][1] for pk, key in keys.items()},
    }
    return _propose(
        case, kind=DecisionKind.CASE_TO_ANSWER, actor=actor, rationale=rationale, payload=payload
    )


@plausible_dates
@transaction.atomic
def outcome_propose(
    *,
    actor: User,
    case: Case,
    outcomes: list[OutcomeData],
    rationale: str,
    effective_on: datetime.date | None = None,
    expected_version: int | None = None,
) -> Decision:
    """Propose the outcome for every subject on every allegation; the case waits for a
    second person. Every subject track must have concluded."""
    require(actor, "change_case", case)
    case = lock_case(case, expected_version=expected_version)
    tracks = lock_tracks(case)
    refuse_if(outcome_propose_refusal(actor=actor, case=case, facts=CaseFacts(case, tracks=tracks)))
    given = [(o.allegation.pk, o.track.pk if o.track else None) for o in outcomes]
    if len(given) != len(set(given)) or set(given) != expected_pairs(case):
        raise DomainError(
            "Give exactly one outcome for each subject of each allegation "
            "(and for each allegation about the force/service)."
        )
    locked = {t.pk: t for t in tracks}
    for data in outcomes:
        # Judge against the tracks as they are now, not the caller's copies.
        data.track = locked[data.track.pk] if data.track else None
        validate_outcome(case, data)
    effective_on = effective_on or today()
    transition_case(case, "propose_outcome", actor=actor, reason=rationale)
    decision = _propose(case, kind=DecisionKind.OUTCOME, actor=actor, rationale=rationale)
    Outcome.objects.bulk_create(
        [
            Outcome(
                allegation=data.allegation,
                track=data.track,
                decision=decision,
                finding=data.finding,
                action=data.action,
                staff_outcome=data.staff_outcome,
                forum=data.track.forum if data.track else "",
                prior_warning_or_several_matters=data.prior_warning_or_several_matters,
                effective_on=effective_on,
                rationale=data.rationale,
            )
            for data in outcomes
        ]
    )
    return decision


@plausible_dates
@transaction.atomic
def case_propose_finalisation(
    *,
    actor: User,
    case: Case,
    rationale: str,
    result: str = "",
    outcome_sent_on: datetime.date | None = None,
    expected_version: int | None = None,
) -> Decision:
    require(actor, "change_case", case)
    case = lock_case(case, expected_version=expected_version)
    refuse_if(case_propose_finalisation_refusal(actor=actor, case=case))
    if case.case_type == CaseType.COMPLAINT:
        if result not in ComplaintResult.values:
            raise DomainError("Say whether the service provided was acceptable.", field="result")
        if outcome_sent_on is None:
            raise DomainError(
                "Give the date the outcome was sent to the complainant.", field="outcome_sent_on"
            )
    if outcome_sent_on and outcome_sent_on > today():
        raise DomainError("The outcome cannot be sent in the future.", field="outcome_sent_on")
    payload = {
        "result": result,
        "outcome_sent_on": outcome_sent_on.isoformat() if outcome_sent_on else None,
    }
    return _propose(
        case, kind=DecisionKind.FINALISATION, actor=actor, rationale=rationale, payload=payload
    )


def _lock_decision(decision: Decision, actor: User, guard_) -> tuple[Decision, Case]:
    case = lock_case(decision.case_id)
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    require(actor, "approve_decision", case)
    require_not_party(case, actor)
    refuse_if(guard_(actor=actor, decision=decision, facts=CaseFacts(case)))
    return decision, case


def _close(decision: Decision, *, actor: User, status: str, reason: str) -> None:
    decision.status, decision.decided_by = status, actor
    decision.decided_at, decision.decision_reason = now(), reason
    decision.save()
    audit_event(
        actor=actor,
        action=f"decision.{status}",
        obj=decision,
        reason=reason,
        target_label=f"{decision.case.reference}: {decision.get_kind_display()}",
        data={"proposed_by": decision.proposed_by_id, "kind": decision.kind},
    )
    notify.decision_decided(decision)


@transaction.atomic
def decision_approve(*, actor: User, decision: Decision, reason: str = "") -> Decision:
    decision, case = _lock_decision(decision, actor, decision_approve_refusal)
    label = f"Approved: {decision.get_kind_display()}"
    if decision.kind == DecisionKind.REFERRAL_NOT_REQUIRED:
        transition_case(case, "no_referral", actor=actor, reason=reason or label)
    elif decision.kind == DecisionKind.CASE_TO_ANSWER:
        _apply_case_to_answer(case, decision, actor)
        transition_case(case, "decide_case_to_answer", actor=actor, reason=reason or label)
    elif decision.kind == DecisionKind.OUTCOME:
        _recheck_outcomes(case, decision)
        transition_case(case, "approve_outcome", actor=actor, reason=reason or label)
        _apply_outcomes(case, decision, actor)
    elif decision.kind == DecisionKind.FINALISATION:
        sent = decision.payload.get("outcome_sent_on")
        transition_case(
            case,
            "finalise",
            actor=actor,
            reason=reason or label,
            at=now(),
            result=decision.payload.get("result", ""),
            outcome_sent_on=datetime.date.fromisoformat(sent) if sent else None,
        )
        clocks.case_finalised(case, actor=actor)
    _close(decision, actor=actor, status=DecisionStatus.APPROVED, reason=reason)
    return decision


@transaction.atomic
def decision_refuse(*, actor: User, decision: Decision, reason: str) -> Decision:
    """Refused with a reason: the proposal goes back to the proposer."""
    if not reason.strip():
        raise DomainError(
            "Say why you are refusing, so the proposer can act on it.", field="reason"
        )
    decision, case = _lock_decision(decision, actor, decision_refuse_refusal)
    if decision.kind == DecisionKind.OUTCOME:
        transition_case(case, "refuse_outcome", actor=actor, reason=reason)
        decision.outcomes.update(status=OutcomeStatus.REFUSED)
    _close(decision, actor=actor, status=DecisionStatus.REFUSED, reason=reason)
    notify.decision_refused(decision)
    return decision


def _apply_case_to_answer(case: Case, decision: Decision, actor: User) -> None:
    payload = decision.payload
    answers = payload["answers"]
    tracks = {str(t.pk): t for t in lock_tracks(case)}
    for pk, answer in answers.items():
        track = tracks.get(pk)
        if track is None or track.state != TrackState.AWAITING_DECISION:
            raise DomainError(
                "A subject's position changed since this was proposed; "
                "refuse it and ask for a new proposal."
            )
        if not answer:
            transition_track(track, "no_case_to_answer", actor=actor, reason=decision.rationale)
            continue
        proceedings = payload.get("proceedings", {}).get(pk, True)
        transition_track(
            track,
            "case_to_answer",
            actor=actor,
            reason=decision.rationale
            + ("" if proceedings else " (no misconduct proceedings brought)"),
            level=payload.get("levels", {}).get(pk, ""),
            proceedings=proceedings,
        )


def _recheck_outcomes(case: Case, decision: Decision) -> None:
    """The outcome rules (CR 2020 reg 42) again at approval, against the subjects as they are
    now: one may have left since the proposal (dismissal becomes "would have been dismissed")
    or had their rank corrected."""
    tracks = {t.pk: t for t in lock_tracks(case)}
    for outcome in decision.outcomes.select_related("allegation", "staff_outcome"):
        data = OutcomeData(
            outcome.allegation,
            tracks[outcome.track_id] if outcome.track_id else None,
            outcome.finding,
            outcome.action,
            outcome.prior_warning_or_several_matters,
            staff_outcome=outcome.staff_outcome,
        )
        try:
            validate_outcome(case, data)
        except DomainError as error:
            raise DomainError(
                f"{error} This has changed since the outcome was proposed; "
                "refuse it and ask for a new proposal."
            ) from error


def _apply_outcomes(case: Case, decision: Decision, actor: User) -> None:
    outcomes = list(
        decision.outcomes.select_related("track__person__rank", "allegation", "staff_outcome")
    )
    for outcome in outcomes:
        outcome.status = OutcomeStatus.APPROVED
        outcome.live_until = outcome_live_until(outcome)
        outcome.save(update_fields=["status", "live_until"])
    lists.after_outcomes(outcomes, actor=actor)
    # In other apps, in this transaction (every one named in cases.signals.CONSEQUENCES):
    # vetting raises a re-vetting trigger for a final written warning or worse.
    outcomes_approved.send(sender=Outcome, outcomes=outcomes, actor=actor)
