"""Navigation by role. Apps register their entries here; the header shows what a user may open."""

from dataclasses import dataclass

from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse


@dataclass(frozen=True)
class NavEntry:
    label: str
    url_name: str
    permission: str  # "app.codename"; the entry shows only to users holding it


# Filled by the apps' AppConfig.ready(), in INSTALLED_APPS order.
NAV_ENTRIES: list[NavEntry] = []


def register(entry: NavEntry) -> None:
    if entry not in NAV_ENTRIES:
        NAV_ENTRIES.append(entry)


# The entries' URLs, reversed once per URLconf and script prefix (every page shows them).
_urls: dict[tuple, str | None] = {}


def _url(url_name: str) -> str | None:
    key = (url_name, get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())
    if key not in _urls:
        try:
            _urls[key] = reverse(url_name)
        except NoReverseMatch:
            _urls[key] = None
    return _urls[key]


def navigation_for(user, path: str) -> list[dict]:
    if not getattr(user, "is_authenticated", False):
        return []
    items = []
    for entry in NAV_ENTRIES:
        if not user.has_perm(entry.permission):
            continue
        url = _url(entry.url_name)
        if url is None:
            continue
        items.append({"label": entry.label, "url": url, "current": path.startswith(url)})
    return items
