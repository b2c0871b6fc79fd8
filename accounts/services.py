"""The only way personnel records change. Each function is one user action, one transaction."""

import datetime

from django.db import transaction
from django.utils import timezone

from psd.domain import DomainError

from .models import Person, PersonStatus, PersonStatusChange, RoleType, User
from .selectors import duplicate_number_message, person_number_taken
from .signals import person_status_changed


def _validate_person(person: Person) -> None:
    if person.date_of_birth and person.date_of_birth >= timezone.localdate():
        raise DomainError("Date of birth must be in the past.", field="date_of_birth")
    if person.rank_id and person.role_type not in RoleType.holding_rank():
        raise DomainError(
            f"A {person.get_role_type_display().lower()} holds no police rank.", field="rank"
        )
    if person.detective and person.role_type != RoleType.OFFICER:
        raise DomainError("Only a police officer holds a detective designation.", field="detective")
    if person_number_taken(force_id=person.force_id, number=person.number, exclude_pk=person.pk):
        raise DomainError(duplicate_number_message(person.number), field="number")


@transaction.atomic
def person_create(*, actor: User | None, **fields) -> Person:
    person = Person(**fields)
    person.number = person.number.strip().upper()
    _validate_person(person)
    person.save()
    PersonStatusChange.objects.create(
        person=person,
        status=person.status,
        effective_date=timezone.localdate(),
        reason="Added to the register",
        recorded_by=actor,
    )
    return person


@transaction.atomic
def person_update(*, actor: User, person: Person, **fields) -> Person:
    """Edit identity fields. Status changes go through ``person_set_status``."""
    fields.pop("status", None)
    locked = Person.objects.select_for_update().get(pk=person.pk)
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.number = locked.number.strip().upper()
    _validate_person(locked)
    locked.save()
    return locked


@transaction.atomic
def person_set_status(
    *, actor: User, person: Person, status: str, effective_date: datetime.date, reason: str
) -> PersonStatusChange:
    if status not in PersonStatus.values:
        raise DomainError(f"Unknown status {status!r}.", field="status")
    if effective_date > timezone.localdate():
        raise DomainError("The effective date cannot be in the future.", field="effective_date")
    locked = Person.objects.select_for_update().get(pk=person.pk)
    if locked.status == status:
        raise DomainError(f"{locked.full_name} is already {locked.get_status_display().lower()}.")
    previous = locked.status
    locked.status = status
    locked.save(update_fields=["status"])
    change = PersonStatusChange.objects.create(
        person=locked,
        status=status,
        effective_date=effective_date,
        reason=reason,
        recorded_by=actor,
    )
    person_status_changed.send(
        sender=Person, person=locked, previous_status=previous, change=change, actor=actor
    )
    person.status = status
    return change
