"""The "Vetting" section of the person page (accounts.person_sections), for vetting officers
only: vetting data is sensitive and not shown to case investigators."""

from . import selectors
from .models import ClearanceStatus

PERMISSION = "vetting.view_clearance"


def vetting_section(request, person) -> dict | None:
    if not request.user.has_perm(PERMISSION):
        return None
    return {
        "template": "vetting/_person_section.html",
        "person": person,
        "clearances": selectors.clearances_for(person=person).filter(
            status__in=ClearanceStatus.current()
        ),
        "open_triggers": selectors.triggers_for(person=person).filter(closed_on__isnull=True),
    }
