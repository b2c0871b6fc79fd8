"""The cases section of the person page (registered with accounts.person_sections)."""

from django.conf import settings

from ..selectors.people import person_history_get


def person_cases_section(request, person) -> dict | None:
    user = request.user
    show_lists = user.has_perm("cases.view_barredlistentry")
    if not user.has_perm("cases.view_case") and not show_lists:
        return None
    return {
        "template": "cases/_person_section.html",
        "history": person_history_get(user=user, person=person, show_lists=show_lists),
        "show_cases": user.has_perm("cases.view_case"),
        "show_lists": show_lists,
        "months": settings.PSD_EARLY_INTERVENTION_MONTHS,
        "threshold": settings.PSD_EARLY_INTERVENTION_ALLEGATIONS,
    }
