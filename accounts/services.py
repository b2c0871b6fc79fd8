"""The only way personnel records change. Each function is one user action, one transaction."""

import datetime

from django.db import transaction
from django.utils import timezone

from psd.domain import DomainError
from psd.rules import rule

from .models import Person, PersonStatus, PersonStatusChange, RoleType, User, WithdrawalGround
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


@rule(
    "A designated volunteer (community support or policing support volunteer) leaves by having "
    "the designation withdrawn, recorded with whether the reason, or one of the reasons, "
    "relates to conduct, efficiency or effectiveness, or by deciding to stop volunteering, "
    "recorded with the date the decision came to the force's attention (not before the "
    "decision, not after today); volunteers are not employed, so they do not resign, retire or "
    "get dismissed, and only volunteers have a designation to withdraw.",
    "Police Reform Act 2002 s38(1A); Police Act 1996 s88I(1)(c)-(d); Police Barred List and "
    "Police Advisory List Regulations 2017 reg 12(1)(b)",
    verified=True,
)
def volunteer_status_check(
    *,
    person: Person,
    status: str,
    effective_date: datetime.date,
    grounds: str,
    noticed_on: datetime.date | None,
) -> None:
    volunteer = person.role_type in RoleType.volunteers()
    role = person.get_role_type_display().lower()
    employed_leaving = {PersonStatus.RESIGNED, PersonStatus.RETIRED, PersonStatus.DISMISSED}
    if volunteer and status in employed_leaving:
        raise DomainError(
            f"A {role} is not employed: record that they stopped volunteering or that their "
            "designation was withdrawn.",
            field="status",
        )
    if not volunteer and status in PersonStatus.volunteer_left():
        raise DomainError(
            f"Only a designated volunteer has this status; a {role} does not.", field="status"
        )
    if status == PersonStatus.WITHDRAWN and grounds not in WithdrawalGround.values:
        raise DomainError(
            "Say whether a reason for the withdrawal relates to conduct, efficiency or "
            "effectiveness.",
            field="grounds",
        )
    if status != PersonStatus.WITHDRAWN and grounds:
        raise DomainError(
            "Grounds are recorded only when a designation is withdrawn.", field="grounds"
        )
    if noticed_on is not None and status != PersonStatus.STOPPED:
        raise DomainError(
            "The date a decision came to attention is recorded only when a volunteer stops "
            "volunteering.",
            field="noticed_on",
        )
    if noticed_on is not None and not effective_date <= noticed_on <= timezone.localdate():
        raise DomainError(
            "The decision came to attention between the day it was made and today.",
            field="noticed_on",
        )


@transaction.atomic
def person_set_status(
    *,
    actor: User,
    person: Person,
    status: str,
    effective_date: datetime.date,
    reason: str,
    grounds: str = "",
    noticed_on: datetime.date | None = None,
) -> PersonStatusChange:
    """A dated status change. For a volunteer who stops volunteering, ``effective_date`` is the
    date of the decision and ``noticed_on`` when it came to attention (that day if not given)."""
    if status not in PersonStatus.values:
        raise DomainError(f"Unknown status {status!r}.", field="status")
    if effective_date > timezone.localdate():
        raise DomainError("The effective date cannot be in the future.", field="effective_date")
    locked = Person.objects.select_for_update().get(pk=person.pk)
    if locked.status == status:
        raise DomainError(f"{locked.full_name} is already {locked.get_status_display().lower()}.")
    volunteer_status_check(
        person=locked,
        status=status,
        effective_date=effective_date,
        grounds=grounds,
        noticed_on=noticed_on,
    )
    if status == PersonStatus.STOPPED and noticed_on is None:
        noticed_on = effective_date
    previous = locked.status
    locked.status = status
    locked.save(update_fields=["status"])
    change = PersonStatusChange.objects.create(
        person=locked,
        status=status,
        effective_date=effective_date,
        reason=reason,
        grounds=grounds,
        noticed_on=noticed_on,
        recorded_by=actor,
    )
    person_status_changed.send(
        sender=Person, person=locked, previous_status=previous, change=change, actor=actor
    )
    person.status = status
    return change
