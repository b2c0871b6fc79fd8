"""Navigation by role. Apps register their entries here; the header shows what a user may open."""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class NavEntry:
    label: str
    url_name: str
    permission: str  # "app.codename"; the entry shows only to users holding it


NAV_ENTRIES: list[NavEntry] = [
    NavEntry("Personnel", "accounts:person_list", "accounts.view_person"),
]


def register(entry: NavEntry) -> None:
    if entry not in NAV_ENTRIES:
        NAV_ENTRIES.append(entry)


def navigation_for(user, path: str) -> list[dict]:
    if not getattr(user, "is_authenticated", False):
        return []
    items = []
    for entry in NAV_ENTRIES:
        if not user.has_perm(entry.permission):
            continue
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:
            continue
        items.append({"label": entry.label, "url": url, "current": path.startswith(url)})
    return items
