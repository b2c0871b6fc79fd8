"""In-app notifications (and e-mail, sent after commit) about decisions."""

from django.contrib.auth.models import Group

from deadlines.services import notification_send, notifications_resolve
from psd.roles import Role

from ..models import Decision
from ..selectors import user_is_party_to


def _approvers(decision: Decision) -> list:
    """Who may approve: never the proposer, the investigator, or a subject or complainant
    (who must not even learn of the case)."""
    case = decision.case
    excluded = (decision.proposed_by_id, case.investigator_id)
    supervisor = case.supervisor
    if supervisor and supervisor.pk not in excluded and not user_is_party_to(case, supervisor):
        return [supervisor]
    group = Group.objects.filter(name=Role.APPROPRIATE_AUTHORITY.label).first()
    if group is None:
        return []
    return [
        u
        for u in group.user_set.filter(is_active=True)
        if u.pk not in excluded and not user_is_party_to(case, u)
    ]


def _awaits_title(decision: Decision) -> str:
    return f"{decision.case.reference}: {decision.get_kind_display()} awaits approval"


def decision_proposed(decision: Decision) -> None:
    for user in _approvers(decision):
        notification_send(
            recipient=user,
            title=_awaits_title(decision),
            body=f"Proposed by {decision.proposed_by}.",
            url=decision.case.get_absolute_url(),
        )


def decision_decided(decision: Decision) -> None:
    """Approved or refused: the "awaits approval" notifications are done with, for every
    approver who received one (issue 22: they stayed unread after the approver acted)."""
    notifications_resolve(title=_awaits_title(decision), url=decision.case.get_absolute_url())


def decision_refused(decision: Decision) -> None:
    notification_send(
        recipient=decision.proposed_by,
        title=f"{decision.case.reference}: {decision.get_kind_display()} refused",
        body=f"Refused by {decision.decided_by}: {decision.decision_reason}",
        url=decision.case.get_absolute_url(),
    )
