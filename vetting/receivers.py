"""Reactions to other apps' signals (sent inside their transactions)."""

from django.dispatch import receiver

from accounts.models import Person, PersonStatus
from accounts.signals import person_status_changed
from cases.models import Action, Appeal, Outcome
from cases.signals import appeal_decided, outcomes_approved

from .revetting import conduct_outcome_changed_on_appeal, conduct_outcome_trigger, service_ended


@receiver(outcomes_approved, sender=Outcome)
def revetting_after_conduct_outcome(sender, outcomes, actor, **kwargs):
    """A final written warning or worse brings re-vetting forward (DOMAIN.md "Vetting")."""
    for outcome in outcomes:
        if outcome.action in Action.final_written_warning_or_worse() and outcome.track_id:
            conduct_outcome_trigger(outcome=outcome, person=outcome.track.person, actor=actor)


@receiver(appeal_decided, sender=Appeal)
def revetting_after_appeal(sender, appeal, superseded, substituted, actor, **kwargs):
    """The outcome standing after an appeal is what vetting acts on."""
    if superseded is not None:
        conduct_outcome_changed_on_appeal(
            superseded=superseded, substituted=substituted, actor=actor, on=appeal.decided_on
        )


@receiver(person_status_changed, sender=Person)
def clearance_ends_with_service(sender, person, previous_status, change, actor, **kwargs):
    """Vetting Regs 2025 reg 6: clearance ends when service ends."""
    if change.status in PersonStatus.left_service():
        service_ended(person=person, actor=actor, on=change.effective_date)
