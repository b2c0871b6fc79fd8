"""The barred and advisory lists, searched by name and date of birth (vetting, the list pages)."""

import datetime

from django.db.models import Q
from rapidfuzz import fuzz

from ..models import AdvisoryListEntry, BarredListEntry, ListStatus


def _name_score(forename: str, surname: str, entry) -> float:
    """Fuzzy similarity of two names (0-100): token-sorted, so word order does not matter."""
    return fuzz.token_sort_ratio(
        f"{forename} {surname}".lower(), f"{entry.forename} {entry.surname}".lower()
    )


def list_lookup(
    *, forename: str, surname: str, date_of_birth: datetime.date | None, threshold: int = 85
) -> list:
    """Barred and advisory list entries that may be this person: same date of birth (when
    known on both sides) and a fuzzy name match. Removed entries are ignored."""
    matches = []
    for model in (BarredListEntry, AdvisoryListEntry):
        entries = model.objects.exclude(status=ListStatus.REMOVED)
        if date_of_birth:
            entries = entries.filter(Q(date_of_birth=date_of_birth) | Q(date_of_birth=None))
        else:
            entries = entries.filter(surname__istartswith=surname[:2])
        for entry in entries:
            score = _name_score(forename, surname, entry)
            if score >= threshold:
                matches.append((score, entry))
    matches.sort(key=lambda pair: -pair[0])
    return [entry for _, entry in matches]
