"""Take a case to a barred list entry, through the services as users do."""

from cases import services
from cases.models import Action, BarredListEntry, Finding, Forum
from tests.cases.factories import complaint
from tests.cases.routes import concluded, outcomes_for


def approve_outcomes(
    investigator, approver, case, action, finding=Finding.GROSS_MISCONDUCT_PROVEN, on=None
):
    """Propose ``finding`` and ``action`` for every subject, and have ``approver`` approve."""
    decision = services.outcome_propose(
        actor=investigator,
        case=case,
        outcomes=outcomes_for(case, finding=finding, action=action),
        rationale="Hearing decided",
        effective_on=on,
    )
    services.decision_approve(actor=approver, decision=decision)
    return decision


def dismissed(investigator, supervisor, approver, *subjects) -> BarredListEntry:
    """A subject dismissed at a hearing: the barred list entry it made."""
    case = concluded(
        complaint(investigator, *subjects, supervisor=supervisor),
        investigator,
        supervisor,
        forum=Forum.HEARING,
    )
    approve_outcomes(investigator, approver, case, Action.DISMISSAL)
    return BarredListEntry.objects.get(case=case)
