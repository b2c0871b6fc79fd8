"""Demo vetting data, built through the services as the vetting unit would: posts, an open
applicant with checks under way, a refusal approved by a second officer, clearances (one
expiring soon) and a reported change of circumstances. Idempotent."""

import datetime

from django.utils import timezone

from accounts.models import Department, Person, User
from deadlines.calendar import add_months

from . import services
from .models import (
    Applicant,
    CheckOutcome,
    Clearance,
    Post,
    RefusalReason,
    VettingApplication,
    VettingCheck,
    VettingLevel,
)

POSTS = [
    ("Response Constable", "Response Policing", "rv"),
    ("Detective Sergeant", "CID", "mv"),
    ("Investigator", "Professional Standards", "mv"),
    ("Custody Detention Officer", "Custody", "nppv2"),
    ("Contact Centre Operator", "Contact Centre", "nppv2"),
]


def _check_all(officer, application, today, *, skip=()):
    for check in VettingCheck.objects.filter(active=True, mandatory=True).exclude(code__in=skip):
        services.check_record(
            actor=officer,
            application=application,
            check=check,
            result=CheckOutcome.CLEAR,
            done_on=today - datetime.timedelta(days=2),
        )


def _grant(officer, person, code, granted_on, today):
    application = services.application_create(
        actor=officer,
        level=VettingLevel.objects.get(code=code),
        person=person,
        received_on=granted_on - datetime.timedelta(days=40),
    )
    _check_all(officer, application, granted_on + datetime.timedelta(days=2))
    services.application_grant(actor=officer, application=application, granted_on=granted_on)


def load(out) -> None:
    if Clearance.objects.exists() or VettingApplication.objects.exists():
        out.write("  demo vetting: already there")
        return
    vera = User.objects.filter(username="vera.vetting").first()
    victor = User.objects.filter(username="victor.vetting").first()
    if not (vera and victor):
        out.write("  demo vetting: skipped (no demo vetting officers)")
        return
    today = timezone.localdate()
    for name, department, code in POSTS:
        Post.objects.get_or_create(
            name=name,
            department=Department.objects.filter(name=department).first(),
            defaults={"required_level": VettingLevel.objects.get(code=code)},
        )
    people = {p.number: p for p in Person.objects.filter(force__code="EX")}

    # Clearances: one RV expiring in about 60 days (reminders due), the others later.
    soon = add_months(today, -120) + datetime.timedelta(days=60)
    if "PC1024" in people:
        _grant(vera, people["PC1024"], "rv", soon, today)
    for number, code, years_ago in (
        ("DS1190", "mv", 3),
        ("PC2210", "rv", 2),
        ("S40112", "nppv2", 1),
    ):
        if number in people:
            _grant(vera, people[number], code, add_months(today, -12 * years_ago), today)
    if "PC2210" in people:
        services.circumstances_report(
            actor=victor,
            person=people["PC2210"],
            reason="Reported a new partner with a conviction for fraud.",
        )

    # An applicant part-way through the checks.
    applicant = services.application_receive(
        actor=vera,
        level=VettingLevel.objects.get(code="rv"),
        post=Post.objects.filter(name="Response Constable").first(),
        received_on=today - datetime.timedelta(days=12),
        applicant_details={
            "forename": "Robin",
            "surname": "Ellis",
            "date_of_birth": datetime.date(2001, 7, 19),
            "email": "robin.ellis@example.org",
        },
    )
    _check_all(
        vera, applicant, today, skip=("financial", "family_associates", "counter_corruption")
    )

    # A refusal: proposed by Vera, approved by Victor (four-eyes).
    refused = services.application_receive(
        actor=vera,
        level=VettingLevel.objects.get(code="nppv2"),
        received_on=today - datetime.timedelta(days=30),
        applicant_details={
            "forename": "Casey",
            "surname": "Doyle",
            "date_of_birth": datetime.date(1989, 11, 2),
        },
    )
    services.application_propose_refusal(
        actor=vera,
        application=refused,
        reason=RefusalReason.objects.get(code="financial"),
        details="Undisclosed county court judgments.",
    )
    services.application_approve_refusal(actor=victor, application=refused)
    out.write(
        f"  demo vetting: {Clearance.objects.count()} clearances, "
        f"{Applicant.objects.count()} applicants"
    )
