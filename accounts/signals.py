"""Signals other apps listen to (so accounts never imports cases or vetting)."""

from django.dispatch import Signal

# Sent inside the transaction of person_set_status, after the change is saved.
# kwargs: person, previous_status, change (PersonStatusChange), actor
person_status_changed = Signal()
