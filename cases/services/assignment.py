"""Allocating cases to investigators: assignment from the team queue, reassignment, and the
bulk handover of everything one investigator holds ("X is leaving: give their cases to Y").

One rule for all three (issue 12):
- a supervisor allocates only their own team's cases; PSD heads (``cases.view_all_cases``
  with ``cases.approve_decision``) allocate any;
- the new investigator must hold the investigator role, must not be a subject or complainant
  of the case, and the case must still be open — otherwise the move is refused with a reason
  and nothing changes;
- the new investigator is granted the case's object permissions and the old one loses them;
  the case's open clocks move to the new owner; each move is logged on the case and audited
  (who, when, from, to, why); a handover is all or nothing, in one transaction.
"""

from django.db import transaction
from guardian.shortcuts import assign_perm, remove_perm

from accounts.models import User
from audit.services import audit_event
from deadlines.services import notification_send
from psd.domain import DomainError, PermissionDenied
from psd.roles import Role, has_role
from psd.rules import Refusal, guard, refuse_if

from .. import clocks
from ..models import Case, State
from ..selectors import user_is_party_to
from ._core import lock_case, log_transition, require, require_not_party

# The object permissions an investigator holds on the cases they are given.
INVESTIGATOR_PERMS = ("cases.view_case", "cases.change_case")


def is_psd_head(user: User) -> bool:
    return user.has_perm("cases.view_all_cases") and user.has_perm("cases.approve_decision")


def may_allocate(actor: User, case: Case) -> bool:
    """The actor supervises the case's team (or is a PSD head). No visibility check here."""
    if not actor.has_perm("cases.approve_decision"):
        return False
    if is_psd_head(actor):
        return True
    if case.team_id is None:
        return False
    return case.team_id == actor.team_id or case.team.supervisor_id == actor.pk


@guard(
    "An open case is allocated by the supervisor of its team, or by a PSD head; never to "
    "someone who is a subject or complainant of it."
)
def case_reassign_refusal(*, actor: User, case: Case, facts=None) -> str | None:
    if not may_allocate(actor, case):
        return Refusal("You may only allocate your own team's cases.")
    if case.is_closed:
        return (
            f"{case.reference} is “{case.get_state_display().lower()}”: a closed case cannot "
            "be reassigned."
        )
    return None


def _require_allocator(actor: User, case: Case) -> None:
    require(actor, "approve_decision", case)
    require_not_party(case, actor)
    refuse_if(case_reassign_refusal(actor=actor, case=case))


def _check_investigator(case: Case, investigator: User) -> None:
    """Refusals, with the reason the user sees (nothing has changed yet)."""
    if not investigator.is_active or not has_role(investigator, Role.INVESTIGATOR):
        raise DomainError(f"{investigator} is not an investigator.", field="investigator")
    if user_is_party_to(case, investigator):
        raise DomainError(
            f"{investigator} is a subject or complainant of {case.reference} and cannot "
            "investigate it.",
            field="investigator",
        )
    if case.investigator_id == investigator.pk:
        raise DomainError(
            f"{investigator} is already the investigator of {case.reference}.",
            field="investigator",
        )


def _move(
    case: Case, *, actor: User, investigator: User, supervisor: User | None, reason: str
) -> Case:
    """Move one locked, checked case. Runs inside the caller's transaction."""
    previous = case.investigator
    from_team = case.team_id
    case.investigator = investigator
    case.team = investigator.team or case.team
    if supervisor is not None:
        case.supervisor = supervisor
    elif case.team_id != from_team and case.team and case.team.supervisor_id:
        case.supervisor = case.team.supervisor  # a new team: its supervisor oversees the case
    case.version += 1
    case.save()
    if previous is not None:
        for perm in INVESTIGATOR_PERMS:
            remove_perm(perm, previous, case)
    for perm in INVESTIGATOR_PERMS:
        assign_perm(perm, investigator, case)
    why = reason.strip() or ("Assigned" if previous is None else "Reassigned")
    moved = f"from {previous}" if previous is not None else "from the team queue"
    log_transition(
        case,
        name="assign",
        from_state=case.state,
        to_state=case.state,
        actor=actor,
        reason=f"{why} ({moved} to {investigator})",
    )
    deadlines_moved = clocks.case_reassigned(case)
    # The new owner hears of it (in the app; e-mailed after commit). No reason in the body:
    # it may name people, and the case page shows it to those who may see it.
    notification_send(
        recipient=investigator,
        title=f"Case {case.reference} is now yours",
        body=f"{actor} assigned {case.reference} to you.",
        url=case.get_absolute_url(),
    )
    audit_event(
        actor=actor,
        action="case.reassigned",
        obj=case,
        reason=why,
        target_label=case.reference,
        data={
            "from_investigator": previous.pk if previous is not None else None,
            "to_investigator": investigator.pk,
            "from_team": from_team,
            "to_team": case.team_id,
            "deadlines_moved": deadlines_moved,
        },
    )
    return case


@transaction.atomic
def case_reassign(
    *,
    actor: User,
    case: Case,
    investigator: User,
    reason: str = "",
    supervisor: User | None = None,
    expected_version: int | None = None,
) -> Case:
    """Give the case (from the queue or from another investigator) to ``investigator``."""
    _require_allocator(actor, case)
    case = lock_case(case, expected_version=expected_version)
    refuse_if(case_reassign_refusal(actor=actor, case=case))
    _check_investigator(case, investigator)
    if supervisor is not None and not supervisor.has_perm("cases.approve_decision"):
        raise DomainError(f"{supervisor} is not a supervisor.", field="supervisor")
    return _move(case, actor=actor, investigator=investigator, supervisor=supervisor, reason=reason)


def open_cases_of(user: User):
    return Case.objects.filter(investigator=user).exclude(state__in=State.closed())


@transaction.atomic
def cases_hand_over(*, actor: User, from_user: User, to_user: User, reason: str) -> list[Case]:
    """Hand every open case of ``from_user`` that ``actor`` allocates over to ``to_user``.

    All or nothing: if any case cannot go to ``to_user`` (they are a subject of it, say), the
    handover is refused naming that case, and no case, permission or deadline changes.
    """
    if not actor.has_perm("cases.approve_decision"):
        raise PermissionDenied("Your role does not allow this action.")
    if not reason.strip():
        raise DomainError("Say why the cases are handed over.", field="reason")
    if from_user.pk == to_user.pk:
        raise DomainError("Choose a different investigator to hand the cases to.", field="to_user")
    # Lock in primary-key order so two handovers cannot deadlock.
    cases = list(
        open_cases_of(from_user)
        .select_for_update(of=("self",))
        .select_related("team")
        .order_by("pk")
    )
    cases = [case for case in cases if may_allocate(actor, case)]
    if not cases:
        raise DomainError(f"{from_user} has no open cases you can hand over.", field="from_user")
    for case in cases:
        require_not_party(case, actor)
        refuse_if(case_reassign_refusal(actor=actor, case=case))
        _check_investigator(case, to_user)
    return [
        _move(case, actor=actor, investigator=to_user, supervisor=None, reason=reason)
        for case in cases
    ]
