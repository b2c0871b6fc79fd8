"""Outcomes for police staff, under the force's staff disciplinary policy (not CR 2020 reg 42).

The Police (Conduct) Regulations 2020 apply to police officers (reg 4(1)); police staff —
PCSOs among them — are employees of the chief officer, disciplined under the force's own
policy. Their outcomes come from ``StaffOutcomeKind``, a list administrators and the PSD head
edit (it includes dismissal with notice). A staff outcome flagged as a dismissal is still
reported to the barred list (Police Act 1996 s88A(1)(c): civilian employees dismissed for a
reason relating to conduct, efficiency or effectiveness).
"""

from accounts.models import PersonStatus, RoleType
from deadlines.calendar import add_months
from psd.domain import DomainError
from psd.rules import rule

from ..models import Action, Finding, StaffOutcomeKind

# Role types outside the Conduct Regulations: police staff, including PCSOs (designated staff).
STAFF_ROLE_TYPES = {RoleType.STAFF, RoleType.PCSO}
PROVEN = {Finding.MISCONDUCT_PROVEN, Finding.GROSS_MISCONDUCT_PROVEN}


def is_police_staff(person) -> bool:
    return person is not None and person.role_type in STAFF_ROLE_TYPES


@rule(
    "Police staff (including PCSOs) are not under the Conduct Regulations: a proven allegation "
    "leads to an outcome from the force's staff disciplinary outcome list (which includes "
    "dismissal with notice), not to reg 42 disciplinary action; a finding not proven leads to "
    "no staff outcome; a former member of staff may be found to have been dismissed had they "
    "not left.",
    "CR 2020 reg 4(1); Police Act 1996 s88A(1)(c)-(d)",
    verified=True,
)
def staff_outcome_refusal(
    *, who: str, person, finding: str, action: str, staff_outcome: StaffOutcomeKind | None
) -> str | None:
    """Why this outcome cannot be given to a member of police staff, or None."""
    left = person.status in (PersonStatus.RESIGNED, PersonStatus.RETIRED)
    if finding not in PROVEN:
        if staff_outcome is not None or action not in (Action.NONE, Action.LEARNING):
            return f"{who}: a staff outcome follows only a proven allegation."
        return None
    if action == Action.WOULD_HAVE_BEEN_DISMISSED:
        if not left:
            return f"{who}: “would have been dismissed” is only for those who have left."
        if staff_outcome is not None:
            return f"{who}: give either a staff outcome or “would have been dismissed”."
        return None
    if action != Action.NONE:
        return (
            f"{who}: police staff are not under the Conduct Regulations; choose the outcome "
            "from the staff disciplinary outcome list."
        )
    if staff_outcome is None:
        return f"{who}: choose the outcome from the staff disciplinary outcome list."
    if not staff_outcome.active:
        return f"{who}: “{staff_outcome.name}” is no longer on the staff outcome list."
    return None


def validate_staff_outcome(
    *, who: str, person, finding: str, action: str, staff_outcome: StaffOutcomeKind | None
) -> None:
    sentence = staff_outcome_refusal(
        who=who, person=person, finding=finding, action=action, staff_outcome=staff_outcome
    )
    if sentence:
        raise DomainError(sentence)


def staff_live_until(staff_outcome: StaffOutcomeKind | None, effective_on):
    """A staff warning is live for the months the force's list gives it."""
    if staff_outcome is None or not staff_outcome.live_months:
        return None
    return add_months(effective_on, staff_outcome.live_months)
