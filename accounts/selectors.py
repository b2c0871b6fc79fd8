"""Reads of the personnel register."""

from django.db.models import Q, QuerySet
from django.db.models.functions import Upper

from .models import Person


def person_search(*, query: str = "", limit: int | None = None) -> QuerySet[Person]:
    """People whose surname starts with, or whose number starts with, ``query``.

    Several words narrow the search: "jo smi" finds forename Jo* surname Smi*.
    """
    people = Person.objects.select_related("rank", "department", "force")
    words = query.split()
    if len(words) == 1:
        term = words[0].upper()
        people = people.annotate(u_surname=Upper("surname"), u_number=Upper("number")).filter(
            Q(u_surname__startswith=term) | Q(u_number__startswith=term)
        )
    elif words:
        people = people.filter(
            forename__istartswith=words[0], surname__istartswith=" ".join(words[1:])
        )
    return people[:limit] if limit else people


def person_get(*, pk: int) -> Person:
    return Person.objects.select_related("rank", "department", "force", "line_manager").get(pk=pk)


def person_number_taken(*, force_id: int, number: str, exclude_pk: int | None = None) -> bool:
    """Numbers are unique per force, ignoring case (the constraint is on UPPER(number))."""
    return (
        Person.objects.filter(force_id=force_id, number__iexact=number.strip())
        .exclude(pk=exclude_pk)
        .exists()
    )


def duplicate_number_message(number: str) -> str:
    return f"Number {number.strip().upper()} is already used by someone in this force."
