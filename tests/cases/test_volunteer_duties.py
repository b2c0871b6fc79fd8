"""The advisory-list duties for designated volunteers (Police Act 1996 s88I(1)(c)-(d); Police
Barred List and Police Advisory List Regulations 2017 reg 12): a designation withdrawn for
conduct, efficiency or effectiveness, and a volunteer who stops after an allegation, through
the personnel register's status change and its page (the lists API: tests/api/
test_lists_api.py); refused steps change nothing; volunteers are never on the barred list."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import PersonStatus, PersonStatusChange, RoleType, WithdrawalGround
from accounts.services import person_set_status, volunteer_status_check
from audit.models import AuditEntry
from cases import clocks, services
from cases.models import (
    AdvisoryListEntry,
    AdvisoryParagraph,
    AdvisoryReason,
    BarredListEntry,
    ListStatus,
    SubjectTrack,
)
from cases.services import lists
from deadlines.models import Deadline
from psd.domain import DomainError
from tests.accounts.factories import PersonFactory
from tests.cases import routes
from tests.cases.factories import conduct_matter, days_ago

pytestmark = pytest.mark.django_db
D = datetime.date


def volunteer(role=RoleType.COMMUNITY_VOLUNTEER, number="CSV0042"):
    return PersonFactory(role_type=role, rank=None, number=number)


def received_on(day: datetime.date) -> int:
    """``received`` (days ago) for a case factory, so that the case is received on ``day``."""
    return (timezone.localdate() - day).days


def _counts():
    return (
        PersonStatusChange.objects.count(),
        AuditEntry.objects.count(),
        AdvisoryListEntry.objects.count(),
        BarredListEntry.objects.count(),
        Deadline.objects.count(),
    )


# --- s88I(1)(c): designation withdrawn --------------------------------------------------------


@pytest.mark.parametrize("grounds", [WithdrawalGround.CONDUCT, WithdrawalGround.EFFICIENCY])
def test_designation_withdrawn_for_conduct_or_efficiency_is_reported(ada, grounds):
    """Reg 12(1)(a): 5 working days beginning with the withdrawal; Friday 28 August 2026 is
    followed by the summer bank holiday (31 August), so the report is due on 4 September."""
    csv = volunteer()
    person_set_status(
        actor=ada,
        person=csv,
        status=PersonStatus.WITHDRAWN,
        effective_date=D(2026, 8, 28),
        reason="Misused the force radio",
        grounds=grounds,
    )
    entry = AdvisoryListEntry.objects.get(person=csv)
    assert entry.paragraph == AdvisoryParagraph.VOLUNTEER_WITHDRAWN
    assert entry.reason == AdvisoryReason.VOLUNTEER and entry.case is None
    # Reg 12(2)(f)(i)-(iii): which kind of volunteer, their number, the date of the event.
    assert entry.role_type == "Community support volunteer" and entry.number == "CSV0042"
    assert entry.event_date == D(2026, 8, 28) and entry.report_due == D(2026, 9, 4)
    assert "Misused the force radio" in entry.details
    assert routes.deadline(entry, "advisory_list_report").due_date == D(2026, 9, 4)
    assert AuditEntry.objects.filter(action="lists.advisory_list_entry").exists()


def test_designation_withdrawn_for_another_reason_is_not_reported(ada):
    psv = volunteer(RoleType.POLICING_VOLUNTEER, "PSV0001")
    change = person_set_status(
        actor=ada,
        person=psv,
        status=PersonStatus.WITHDRAWN,
        effective_date=days_ago(1),
        reason="The scheme closed",
        grounds=WithdrawalGround.OTHER,
    )
    assert lists.advisory_entry_on_withdrawal(change=change, actor=ada) is None
    assert not AdvisoryListEntry.objects.exists()


# --- s88I(1)(d): stopped volunteering after an allegation -------------------------------------


def test_stopping_after_an_allegation_is_reported_from_when_the_decision_came_to_attention(
    alice, bob, ada
):
    """Reg 12(1)(b): the clock begins with the day the decision came to attention: Friday
    22 May 2026, before the spring bank holiday: due Friday 29 May. One entry per case."""
    psv = volunteer(RoleType.POLICING_VOLUNTEER, "PSV0002")
    first = conduct_matter(alice, psv, supervisor=bob, received=received_on(D(2026, 5, 1)))
    second = conduct_matter(alice, psv, supervisor=bob, received=received_on(D(2026, 5, 18)))
    change = person_set_status(
        actor=ada,
        person=psv,
        status=PersonStatus.STOPPED,
        effective_date=D(2026, 5, 18),
        noticed_on=D(2026, 5, 22),
        reason="Told their supervisor they would not return",
    )
    entries = AdvisoryListEntry.objects.filter(person=psv).order_by("pk")
    assert [e.case for e in entries] == [first, second]
    for entry in entries:
        assert entry.paragraph == AdvisoryParagraph.VOLUNTEER_STOPPED
        assert entry.reason == AdvisoryReason.STOPPED
        assert entry.role_type == "Policing support volunteer"
        assert entry.event_date == D(2026, 5, 18) and entry.report_due == D(2026, 5, 29)
        assert "Accessed records" in entry.allegation_summary
        assert routes.deadline(entry, "advisory_list_report").due_date == D(2026, 5, 29)
    # Once per case: considering the tracks again reports nothing more.
    tracks = SubjectTrack.objects.filter(person=psv)
    assert lists.advisory_entries_on_stopping(change=change, tracks=tracks, actor=ada) == []


def test_the_decision_came_to_attention_the_day_it_was_made_unless_said(alice, bob, ada):
    csv = volunteer()
    conduct_matter(alice, csv, supervisor=bob, received=10)
    change = person_set_status(
        actor=ada,
        person=csv,
        status=PersonStatus.STOPPED,
        effective_date=days_ago(3),
        reason="Stopped",
    )
    assert change.noticed_on == days_ago(3)
    entry = AdvisoryListEntry.objects.get()
    assert entry.report_due == clocks.list_report_due(days_ago(3))


def test_only_an_allegation_that_came_to_attention_before_the_decision_counts(alice, bob, ada):
    """A case logged after the volunteer stopped is reported when its allegation had come to
    attention before the decision; one that came to attention afterwards is not (s88I(1)(b)
    is about former officers and special constables)."""
    csv = volunteer()
    person_set_status(
        actor=ada,
        person=csv,
        status=PersonStatus.STOPPED,
        effective_date=days_ago(20),
        reason="Stopped",
    )
    assert not AdvisoryListEntry.objects.exists()
    later = conduct_matter(alice, csv, supervisor=bob, received=5)
    assert not AdvisoryListEntry.objects.filter(case=later).exists()
    earlier = conduct_matter(alice, csv, supervisor=bob, received=25)
    entry = AdvisoryListEntry.objects.get(case=earlier)
    assert entry.paragraph == AdvisoryParagraph.VOLUNTEER_STOPPED
    assert AdvisoryListEntry.objects.count() == 1


def test_no_s88L_further_report_for_a_volunteer_entry(alice, bob, carol, ada):
    csv = volunteer()
    case = routes.investigating(conduct_matter(alice, csv, supervisor=bob), alice, bob)
    person_set_status(
        actor=ada,
        person=csv,
        status=PersonStatus.STOPPED,
        effective_date=days_ago(1),
        reason="Stopped",
    )
    entry = AdvisoryListEntry.objects.get()
    services.case_discontinue(actor=carol, case=case, reason="No realistic prospect")
    entry.refresh_from_db()
    assert entry.status == ListStatus.TO_REPORT and entry.further_event_on is None
    assert "advisory_list_removal_report" not in routes.open_deadlines(entry)


# --- Refused: nothing changes -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status", "extra", "field"),
    [
        (RoleType.OFFICER, PersonStatus.WITHDRAWN, {"grounds": "conduct"}, "status"),
        (RoleType.STAFF, PersonStatus.STOPPED, {}, "status"),
        (RoleType.COMMUNITY_VOLUNTEER, PersonStatus.RESIGNED, {}, "status"),
        (RoleType.POLICING_VOLUNTEER, PersonStatus.DISMISSED, {}, "status"),
        (RoleType.COMMUNITY_VOLUNTEER, PersonStatus.WITHDRAWN, {}, "grounds"),
        (RoleType.COMMUNITY_VOLUNTEER, PersonStatus.STOPPED, {"grounds": "conduct"}, "grounds"),
        (
            RoleType.COMMUNITY_VOLUNTEER,
            PersonStatus.STOPPED,
            {"noticed_on": D(2026, 1, 1)},
            "noticed_on",
        ),
        (
            RoleType.COMMUNITY_VOLUNTEER,
            PersonStatus.WITHDRAWN,
            {"grounds": "conduct", "noticed_on": D(2026, 3, 1)},
            "noticed_on",
        ),
    ],
)
def test_refused_status_change_changes_nothing(alice, bob, ada, role, status, extra, field):
    person = PersonFactory(role_type=role, rank=None)
    conduct_matter(alice, person, supervisor=bob, received=received_on(D(2026, 1, 2)))
    before = _counts()
    with pytest.raises(DomainError) as error:
        person_set_status(
            actor=ada,
            person=person,
            status=status,
            effective_date=D(2026, 2, 2),
            reason="x",
            **extra,
        )
    assert error.value.field == field
    assert _counts() == before
    person.refresh_from_db()
    assert person.status == PersonStatus.SERVING


def test_the_date_of_attention_is_not_after_today():
    with pytest.raises(DomainError, match="between the day it was made and today"):
        volunteer_status_check(
            person=volunteer(),
            status=PersonStatus.STOPPED,
            effective_date=days_ago(1),
            grounds="",
            noticed_on=days_ago(-1),
        )


# --- Volunteers are not on the barred list -----------------------------------------------------


def test_a_volunteer_is_never_recorded_on_the_barred_list(carol):
    csv = volunteer()
    assert "not on the barred list" in lists.barred_list_excludes(csv)
    assert lists.barred_list_excludes(PersonFactory()) is None
    before = _counts()
    with pytest.raises(DomainError, match="not on the barred list") as error:
        services.barred_entry_record(
            actor=carol,
            person=csv,
            ground="conduct",
            dismissed_on=days_ago(1),
            reasons="Misconduct",
        )
    assert error.value.field == "person"
    assert _counts() == before


# --- The page ---------------------------------------------------------------------------


def test_status_page_records_a_withdrawal_and_its_grounds(client, ada):
    csv = volunteer()
    client.force_login(ada)
    url = reverse("accounts:person_status", args=[csv.pk])
    data = {
        "status": "withdrawn",
        "effective_date": days_ago(2).isoformat(),
        "reason": "Abusive to a member of the public",
    }
    response = client.post(url, data)
    assert "conduct, efficiency or effectiveness" in str(response.context["form"].errors)
    assert not PersonStatusChange.objects.filter(person=csv).exists()
    response = client.post(url, data | {"grounds": "conduct"})
    assert response.status_code == 302
    assert AdvisoryListEntry.objects.get(person=csv).event_date == days_ago(2)
    html = client.get(csv.get_absolute_url()).content.decode()
    assert "Designation withdrawn" in html and "a reason relates to conduct" in html


def test_status_page_refuses_a_withdrawal_for_an_officer(client, ada):
    officer = PersonFactory()
    client.force_login(ada)
    response = client.post(
        reverse("accounts:person_status", args=[officer.pk]),
        {
            "status": "withdrawn",
            "effective_date": days_ago(2).isoformat(),
            "reason": "x",
            "grounds": "conduct",
        },
    )
    assert "Only a designated volunteer" in str(response.context["form"].errors)
    officer.refresh_from_db()
    assert officer.status == PersonStatus.SERVING
    assert not AdvisoryListEntry.objects.exists()
