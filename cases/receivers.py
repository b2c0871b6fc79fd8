"""Reactions to other apps' signals."""

from django.dispatch import receiver

from accounts.models import Person
from accounts.signals import person_status_changed

from .services.lists import advisory_entry_on_leaving


@receiver(person_status_changed, sender=Person)
def create_advisory_entries(sender, person, previous_status, change, actor, **kwargs):
    """Leaving while under investigation or proceedings: advisory list (Regs 2017 reg 12)."""
    advisory_entry_on_leaving(
        person=person, status=change.status, left_on=change.effective_date, actor=actor
    )
