"""Start and stop the keep-informed clocks from the case's transition log (written by every
case service in its transaction), so no case service needs to know about correspondence."""

from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone

from cases.models import CaseTransition, Complainant

from . import clocks


@receiver(post_save, sender=CaseTransition, dispatch_uid="correspondence_case_transition")
def case_transition_logged(sender, instance, created, raw=False, **kwargs):
    if not created or raw or instance.track_id:
        return
    case = instance.case
    if instance.name in clocks.STARTS:
        on = case.recorded_on if instance.name != "review_upheld" else None
        clocks.case_changed(case, name=instance.name, on=on or timezone.localdate())
    elif case.is_closed:
        clocks.case_changed(case, name=instance.name, on=timezone.localdate(), actor=instance.actor)


@receiver(post_save, sender=Complainant, dispatch_uid="correspondence_complainant_added")
def complainant_saved(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        clocks.complainant_added(instance, timezone.localdate())
