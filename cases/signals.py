"""Signals other apps listen to (vetting: re-vetting triggers), sent inside the transaction."""

from django.dispatch import Signal

# kwargs: outcomes (list[Outcome], approved), actor
outcomes_approved = Signal()
