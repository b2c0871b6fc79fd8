"""Vetting test data, built through the services as vetting officers would."""

import datetime

from django.utils import timezone

from accounts.models import Person
from cases.models import AdvisoryListEntry, BarredListEntry
from tests.accounts.factories import PersonFactory
from vetting import services
from vetting.models import CheckOutcome, Post, RefusalReason, VettingCheck, VettingLevel


def level(code: str) -> VettingLevel:
    return VettingLevel.objects.get(code=code)


def reason(code: str = "financial") -> RefusalReason:
    return RefusalReason.objects.get(code=code)


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def post(name: str = "Detective Sergeant, Professional Standards", code: str = "mv") -> Post:
    return Post.objects.create(name=name, required_level=level(code))


def applicant_application(
    officer,
    *,
    code="rv",
    forename="Jamie",
    surname="Fletcher",
    dob=datetime.date(1995, 4, 12),
    received=30,
):
    return services.application_receive(
        actor=officer,
        level=level(code),
        received_on=days_ago(received),
        applicant_details={"forename": forename, "surname": surname, "date_of_birth": dob},
    )


def person_application(officer, person: Person | None = None, *, code="rv", received=30):
    return services.application_create(
        actor=officer,
        level=level(code),
        received_on=days_ago(received),
        person=person or PersonFactory(),
    )


def record_checks(officer, application, *, mandatory_only=True, result=CheckOutcome.CLEAR):
    checks = VettingCheck.objects.filter(active=True)
    if mandatory_only:
        checks = checks.filter(mandatory=True)
    for check in checks:
        services.check_record(
            actor=officer,
            application=application,
            check=check,
            result=result,
            done_on=days_ago(1),
        )


def granted(officer, person=None, *, code="rv", received=30, granted_on=None, expires_on=None):
    application = person_application(officer, person, code=code, received=received)
    record_checks(officer, application)
    return services.application_grant(
        actor=officer,
        application=application,
        granted_on=granted_on or days_ago(1),
        expires_on=expires_on,
    )


def _entry_fields(person, **overrides):
    fields = {
        "person": person,
        "forename": person.forename,
        "surname": person.surname,
        "date_of_birth": person.date_of_birth,
        "number": person.number,
        "force": "Example Constabulary",
        "role_type": "Police officer",
        "event_date": days_ago(400),
        "report_due": days_ago(395),
    }
    fields.update(overrides)
    return fields


def barred_entry(**overrides) -> BarredListEntry:
    person = PersonFactory(
        forename="Jamie", surname="Fletcher", date_of_birth=datetime.date(1995, 4, 12)
    )
    return BarredListEntry.objects.create(
        **_entry_fields(person, **overrides), reasons="Dismissed for dishonesty"
    )


def advisory_entry(**overrides) -> AdvisoryListEntry:
    person = PersonFactory(
        forename="Jamie", surname="Fletcher", date_of_birth=datetime.date(1995, 4, 12)
    )
    return AdvisoryListEntry.objects.create(**_entry_fields(person, **overrides), reason="resigned")
