"""Shared machinery of the case services: locking, permission checks, transition logging."""

from collections.abc import Callable

from django.utils import timezone
from django_fsm import ConcurrentTransition, can_proceed

from accounts.models import User
from audit.services import audit_event
from psd.domain import PermissionDenied, StaleObject
from psd.rules import refuse_if

from .. import clocks
from ..models import Case, CaseTransition, Decision, SubjectTrack
from ..selectors import case_is_visible_to, user_is_party_to
from ..signals import case_closed_early, track_transitioned

# Human descriptions of transitions, for refusals ("A finalised case cannot be recorded.").
VERBS = {
    "record": "recorded",
    "handle_outside_schedule_3": "handled outside Schedule 3",
    "handle_under_conduct_regulations": "handled under the Conduct Regulations",
    "record_after_outside": "recorded",
    "resolve_outside": "resolved",
    "assess_referral": "assessed for referral",
    "refer_to_iopc": "referred to the IOPC",
    "no_referral": "marked as not needing referral",
    "iopc_decided": "given an IOPC decision",
    "start_investigation": "investigated",
    "handle_otbi": "handled otherwise than by investigation",
    "submit_report": "given an investigation report",
    "decide_case_to_answer": "given case-to-answer decisions",
    "start_proceedings": "moved to proceedings",
    "propose_outcome": "given an outcome proposal",
    "refuse_outcome": "have its outcome refused",
    "approve_outcome": "have its outcome approved",
    "finalise": "finalised",
    "request_review": "reviewed",
    "review_not_upheld": "closed",
    "review_upheld": "reinvestigated",
    "withdraw": "withdrawn",
    "discontinue": "discontinued",
}


def now():
    return timezone.now()


def today():
    return timezone.localdate()


def lock_case(case: Case | int, *, expected_version: int | None = None) -> Case:
    """Lock the case row for this transaction; refuse if the user's copy is out of date."""
    pk = case.pk if isinstance(case, Case) else case
    locked = Case.objects.select_for_update().get(pk=pk)
    if expected_version is not None and locked.version != expected_version:
        raise StaleObject()
    return locked


def lock_track(case: Case, track: SubjectTrack) -> SubjectTrack:
    """Lock one subject track of a (locked) case."""
    return (
        SubjectTrack.objects.select_for_update()
        .select_related("person", "case")
        .get(pk=track.pk, case=case)
    )


def lock_tracks(case: Case) -> list[SubjectTrack]:
    """Lock every subject track of the case, in primary-key order (no deadlocks)."""
    return list(
        SubjectTrack.objects.select_for_update()
        .filter(case=case)
        .select_related("person")
        .order_by("pk")
    )


def require(actor: User, perm: str, case: Case | None = None) -> None:
    """The actor holds the role permission and (for a case) may see it."""
    if actor is None or not actor.is_active:
        raise PermissionDenied("You must be signed in.")
    if not actor.has_perm(f"cases.{perm}"):
        raise PermissionDenied("Your role does not allow this action.")
    if case is not None and not case_is_visible_to(case, actor):
        raise PermissionDenied("You do not have access to this case.")


def require_not_party(case: Case, actor: User) -> None:
    if user_is_party_to(case, actor):
        raise PermissionDenied(
            "You cannot act on a case in which you are a subject or complainant."
        )


def log_transition(case: Case, *, name, from_state, to_state, actor, reason="", track=None):
    """The case's own history row, and an audit event naming who, what and why."""
    CaseTransition.objects.create(
        case=case,
        track=track,
        name=name,
        from_state=from_state,
        to_state=to_state,
        actor=actor,
        reason=reason,
    )
    label = case.reference + (f" / {track.person.full_name}" if track else "")
    audit_event(
        actor=actor,
        action=f"case.{name}",
        obj=track or case,
        reason=reason,
        target_label=label,
        data={"from": from_state, "to": to_state},
    )


def log_track_event(case: Case, track, *, name, actor, reason) -> None:
    """A step in a subject's path that leaves its state as it was (a date, a correction)."""
    log_transition(
        case,
        name=name,
        from_state=track.state,
        to_state=track.state,
        actor=actor,
        reason=reason,
        track=track,
    )


def _fsm_refusal(obj, name: str, wrong_state: Callable, condition: Callable) -> str | None:
    method: Callable = getattr(obj, name)
    if not can_proceed(method, check_conditions=False):
        return wrong_state(obj.get_state_display().lower())
    if not can_proceed(method):
        return condition(obj, name)
    return None


def case_transition_refusal(case: Case, name: str) -> str | None:
    """Why the case's state machine does not allow transition ``name`` now, or None."""
    verb = VERBS.get(name, name.replace("_", " "))
    return _fsm_refusal(
        case, name, lambda state: f"A case that is “{state}” cannot be {verb}.", _condition_message
    )


def track_transition_refusal(track: SubjectTrack, name: str) -> str | None:
    """Why the subject's track does not allow transition ``name`` now, or None."""
    return _fsm_refusal(
        track,
        name,
        lambda state: f"{track.person.full_name} is at “{state}”: that step is not possible now.",
        _track_condition_message,
    )


def pending_refusal(facts, kind: str) -> str | None:
    if kind in facts.pending:
        return "A proposal of this kind is already waiting for approval."
    return None


def transition_case(case: Case, name: str, *, actor: User, reason: str = "", **kwargs) -> Case:
    """Run one @transition on a locked case, save it and log it. Refuses with a reason."""
    refuse_if(case_transition_refusal(case, name))
    method: Callable = getattr(case, name)
    from_state = case.state
    method(**kwargs)
    case.version += 1
    try:
        case.save()
    except ConcurrentTransition as exc:
        raise StaleObject() from exc
    log_transition(
        case, name=name, from_state=from_state, to_state=case.state, actor=actor, reason=reason
    )
    clocks.case_transitioned(case, name, actor=actor)
    return case


def transition_track(
    track: SubjectTrack, name: str, *, actor: User, reason: str = "", **kwargs
) -> SubjectTrack:
    refuse_if(track_transition_refusal(track, name))
    method: Callable = getattr(track, name)
    from_state = track.state
    method(**kwargs)
    try:
        track.save()
    except ConcurrentTransition as exc:
        raise StaleObject() from exc
    log_transition(
        track.case,
        name=name,
        from_state=from_state,
        to_state=track.state,
        actor=actor,
        reason=reason,
        track=track,
    )
    clocks.track_transitioned(track, name, actor=actor)
    track_transitioned.send(sender=SubjectTrack, track=track, name=name, actor=actor)
    return track


def _condition_message(case: Case, name: str) -> str:
    if name in ("handle_outside_schedule_3", "withdraw"):
        return "Only complaints can be handled outside Schedule 3 or withdrawn by a complainant."
    if name == "handle_under_conduct_regulations":
        return (
            "Only a conduct matter that is not recordable is handled under the Conduct "
            "Regulations without recording."
        )
    if name == "handle_otbi":
        return (
            "Only complaints the IOPC has not directed to be investigated can be handled "
            "otherwise than by investigation."
        )
    return "The rules for this case do not allow that step."


def _track_condition_message(track: SubjectTrack, name: str) -> str:
    messages = {
        "serve_notice": "A regulation 17 notice is served only for misconduct or gross misconduct.",
        "no_misconduct": "No further action follows only from a severity of no misconduct.",
        "refer_to_meeting": (
            "A misconduct meeting is only for a case to answer for misconduct, with "
            "proceedings brought (CR 2020 reg 23(1))."
        ),
        "refer_to_hearing": (
            "No misconduct proceedings are brought on this case to answer: reflective practice "
            "or no further action follows (CR 2020 reg 23(1)(b))."
        ),
        "refer_to_rprp": (
            "Misconduct proceedings are brought on this case to answer: refer the subject to "
            "a meeting or hearing."
        ),
        "no_further_action": (
            "Misconduct proceedings are brought on this case to answer: refer the subject to "
            "a meeting or hearing."
        ),
        "refer_to_accelerated_hearing": (
            "An accelerated hearing needs gross misconduct assessed as a special case."
        ),
    }
    return messages.get(name, "The rules for this subject do not allow that step.")


def close_pending_decisions(case: Case, *, actor: User, reason: str) -> int:
    """A closed case leaves nothing in the approval queues: pending proposals are refused."""
    return Decision.objects.filter(case=case, status="pending").update(
        status="refused", decided_by=actor, decided_at=now(), decision_reason=reason
    )


def close_case(
    case: Case, name: str, *, actor: User, reason: str, audit_reason: str, continued: bool = False
) -> Case:
    """End a locked case by transition ``name`` (withdraw, discontinue): stop its clocks and
    refuse its pending proposals, logged with ``audit_reason``. The caller checks first.
    ``continued``: its allegations go on in another case (a withdrawn complaint continued as
    a conduct matter)."""
    transition_case(case, name, actor=actor, reason=reason, at=now())
    clocks.case_closed(case, actor=actor, reason=audit_reason)
    close_pending_decisions(case, actor=actor, reason=audit_reason)
    case_closed_early.send(sender=Case, case=case, name=name, actor=actor, continued=continued)
    return case
