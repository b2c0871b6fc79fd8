"""Barred and advisory lists (Police Barred List and Police Advisory List Regulations 2017):
entries, their 5-working-day report deadline, removal on appeal and the lookup."""

import datetime

import pytest
from django.utils import timezone

from accounts.models import PersonStatus, Rank
from accounts.services import person_set_status
from cases import clocks, selectors, services
from cases.models import (
    Action,
    AdvisoryListEntry,
    AdvisoryReason,
    BarredListEntry,
    CaseTransition,
    Finding,
    Forum,
    ListStatus,
    TrackState,
)
from deadlines.models import NonWorkingDay
from psd.domain import DomainError
from tests.accounts.factories import PersonFactory
from tests.cases import routes
from tests.cases.factories import complaint, conduct_matter, days_ago

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.mark.parametrize(
    ("event", "due"),
    [
        # Reg 3: "before the end of 5 working days beginning with" the date: the date is day 1.
        (D(2026, 3, 2), D(2026, 3, 6)),  # Monday: Mon-Fri
        (D(2026, 3, 5), D(2026, 3, 11)),  # Thursday: across the weekend
        (D(2026, 3, 7), D(2026, 3, 13)),  # Saturday: counting starts on Monday
        (D(2026, 4, 2), D(2026, 4, 10)),  # Thursday before Good Friday and Easter Monday
        (D(2026, 12, 23), D(2026, 12, 31)),  # Christmas Day and the substitute Boxing Day
        (D(2026, 5, 22), D(2026, 5, 29)),  # Friday before the spring bank holiday
    ],
)
def test_list_report_due_counts_the_event_day(event, due):
    assert clocks.list_report_due(event) == due


def test_list_report_due_skips_extra_non_working_days():
    NonWorkingDay.objects.create(date=D(2026, 3, 4), description="Force closure")
    assert clocks.list_report_due(D(2026, 3, 2)) == D(2026, 3, 9)


def _dismissal(alice, bob, officer, effective_on, action=Action.DISMISSAL):
    case = routes.concluded(
        complaint(alice, officer, supervisor=bob), alice, bob, forum=Forum.HEARING
    )
    decision = services.outcome_propose(
        actor=alice,
        case=case,
        outcomes=routes.outcomes_for(case, finding=Finding.GROSS_MISCONDUCT_PROVEN, action=action),
        rationale="Hearing found gross misconduct",
        effective_on=effective_on,
    )
    return case, decision


def test_dismissal_creates_a_barred_entry_with_what_the_college_needs(alice, bob, carol):
    officer = PersonFactory(
        forename="Gary",
        surname="Nolan",
        date_of_birth=D(1980, 5, 17),
        number="PC1234",
        rank=Rank.objects.get(name="Sergeant"),
    )
    case, decision = _dismissal(alice, bob, officer, effective_on=D(2026, 4, 2))
    assert not BarredListEntry.objects.exists()  # not before the outcome is approved
    services.decision_approve(actor=carol, decision=decision)
    entry = BarredListEntry.objects.get()
    outcome = decision.outcomes.get()
    assert (entry.person, entry.case, entry.outcome) == (officer, case, outcome)
    assert (entry.forename, entry.surname, entry.date_of_birth) == ("Gary", "Nolan", D(1980, 5, 17))
    assert (entry.rank, entry.number, entry.force) == ("Sergeant", "PC1234", officer.force.name)
    assert entry.role_type == "Police officer" and entry.capacity == "Police officer"
    # Reg 3(1): the date of the dismissal as it happened (the hearing), not the outcome's
    # proposal (effective 2 April 2026 here) or approval.
    held_on = case.tracks.get().concluded_on
    assert entry.event_date == held_on != D(2026, 4, 2)
    assert entry.report_due == clocks.list_report_due(held_on)
    assert "Used excessive force" in entry.reasons and "Gross misconduct proven" in entry.reasons
    assert entry.standards_breached == "Use of force"
    assert entry.status == ListStatus.TO_REPORT and entry.advisory_entry is None
    clock = routes.deadline(entry, "barred_list_report")
    assert clock.status == "open" and clock.due_date == entry.report_due
    assert clock.owner == carol and clock.escalate_to == bob


def test_no_barred_entry_for_a_final_written_warning(alice, bob, carol):
    case, decision = _dismissal(
        alice, bob, PersonFactory(), days_ago(1), action=Action.FINAL_WRITTEN_WARNING
    )
    services.decision_approve(actor=carol, decision=decision)
    assert not BarredListEntry.objects.exists()


def test_leaver_who_would_have_been_dismissed_is_barred_with_the_earlier_advisory_entry(
    alice, bob, carol, ada
):
    officer = PersonFactory()
    case = routes.decided(complaint(alice, officer, supervisor=bob), alice, bob, severity="gross")
    person_set_status(
        actor=ada,
        person=officer,
        status=PersonStatus.RESIGNED,
        effective_date=days_ago(3),
        reason="Resigned before the hearing",
    )
    advisory = AdvisoryListEntry.objects.get(person=officer)
    assert advisory.reason == AdvisoryReason.RESIGNED and advisory.case == case
    assert case.reference in advisory.details
    routes.proceedings_held(case.tracks.get(), alice)
    case = routes.fresh(case)
    outcomes = routes.outcomes_for(
        case, finding=Finding.GROSS_MISCONDUCT_PROVEN, action=Action.DISMISSAL
    )
    with pytest.raises(DomainError, match="would have been dismissed"):
        services.outcome_propose(actor=alice, case=case, outcomes=outcomes, rationale="x")
    for data in outcomes:
        data.action = Action.WOULD_HAVE_BEEN_DISMISSED
    decision = services.outcome_propose(
        actor=alice,
        case=routes.fresh(case),
        outcomes=outcomes,
        rationale="Would have been dismissed",
    )
    services.decision_approve(actor=carol, decision=decision)
    entry = BarredListEntry.objects.get(person=officer)
    assert entry.advisory_entry == advisory


# --- Advisory entries on leaving ----------------------------------------------------------------
@pytest.mark.parametrize("status", [PersonStatus.RESIGNED, PersonStatus.RETIRED])
def test_leaving_while_a_track_is_open_creates_an_advisory_entry(alice, bob, ada, status):
    officer = PersonFactory()
    case = routes.investigating(conduct_matter(alice, officer, supervisor=bob), alice, bob)
    person_set_status(
        actor=ada, person=officer, status=status, effective_date=D(2026, 3, 5), reason="Left"
    )
    entry = AdvisoryListEntry.objects.get(person=officer)
    assert entry.reason == status and entry.case == case
    assert entry.event_date == D(2026, 3, 5) and entry.report_due == D(2026, 3, 11)
    assert entry.surname == officer.surname and entry.number == officer.number
    assert "advisory_list_report" in routes.open_deadlines(entry)
    assert case.tracks.get().left_service_while_open
    assert CaseTransition.objects.filter(case=case, name="advisory_list_entry").exists()


def test_no_advisory_entry_once_the_track_has_concluded(alice, bob, ada):
    officer = PersonFactory()
    case = routes.investigating(conduct_matter(alice, officer, supervisor=bob), alice, bob)
    track = case.tracks.get()
    services.track_assess_severity(actor=alice, track=track, severity="none", rationale="None")
    services.track_no_action(actor=alice, track=track, reason="No misconduct")
    assert routes.fresh(case).tracks.get().state == TrackState.NO_ACTION
    person_set_status(
        actor=ada,
        person=officer,
        status=PersonStatus.RETIRED,
        effective_date=days_ago(0),
        reason="x",
    )
    assert not AdvisoryListEntry.objects.exists()


def test_no_advisory_entry_for_a_closed_case_or_other_status_changes(alice, bob, ada):
    officer = PersonFactory()
    case = conduct_matter(alice, officer, supervisor=bob)
    services.case_record(actor=alice, case=case, recordable_grounds=["gravity"])
    person_set_status(
        actor=ada,
        person=officer,
        status=PersonStatus.SUSPENDED,
        effective_date=days_ago(0),
        reason="x",
    )
    assert not AdvisoryListEntry.objects.exists()
    other = PersonFactory()
    closed = complaint(alice, other, supervisor=bob)
    services.case_record(actor=alice, case=closed)
    services.case_withdraw(actor=alice, case=closed, reason="Withdrawn by letter")
    person_set_status(
        actor=ada,
        person=other,
        status=PersonStatus.RESIGNED,
        effective_date=days_ago(0),
        reason="x",
    )
    assert not AdvisoryListEntry.objects.filter(person=other).exists()


# --- Reporting and removal ---------------------------------------------------------------------
@pytest.fixture
def advisory(alice, bob, ada):
    officer = PersonFactory()
    routes.investigating(conduct_matter(alice, officer, supervisor=bob), alice, bob)
    person_set_status(
        actor=ada,
        person=officer,
        status=PersonStatus.RESIGNED,
        effective_date=days_ago(2),
        reason="x",
    )
    return AdvisoryListEntry.objects.get(person=officer)


def test_report_date_between_the_event_and_today(advisory, carol):
    for bad in (days_ago(3), days_ago(-1)):
        with pytest.raises(DomainError, match="between the event and today"):
            services.list_entry_mark_reported(actor=carol, entry=advisory, reported_on=bad)
    services.list_entry_mark_reported(actor=carol, entry=advisory, reported_on=days_ago(1))
    advisory.refresh_from_db()
    assert advisory.status == ListStatus.REPORTED and advisory.reported_on == days_ago(1)
    assert routes.deadline(advisory, "advisory_list_report").status == "met"
    with pytest.raises(DomainError, match="already been reported"):
        services.list_entry_mark_reported(actor=carol, entry=advisory)


def test_removal_on_appeal_needs_a_reason_and_is_logged(advisory, carol):
    with pytest.raises(DomainError, match="reason for removal") as error:
        services.list_entry_remove(actor=carol, entry=advisory, reason=" ")
    assert error.value.field == "reason"
    advisory.refresh_from_db()
    assert advisory.status == ListStatus.TO_REPORT
    services.list_entry_remove(actor=carol, entry=advisory, reason="Appeal allowed on 1 March")
    advisory.refresh_from_db()
    assert advisory.status == ListStatus.REMOVED and not advisory.is_active
    assert advisory.removed_on == timezone.localdate()
    assert advisory.removal_reason == "Appeal allowed on 1 March"
    assert routes.deadline(advisory, "advisory_list_report").status == "cancelled"
    row = CaseTransition.objects.get(case=advisory.case, name="list_entry_removed")
    assert "Appeal allowed" in row.reason and row.actor == carol
    with pytest.raises(DomainError, match="already removed"):
        services.list_entry_remove(actor=carol, entry=advisory, reason="Again")
    with pytest.raises(DomainError, match="already been reported or removed"):
        services.list_entry_mark_reported(actor=carol, entry=advisory)


# --- Lookup ------------------------------------------------------------------------------------
def _entry(model, forename, surname, dob, **extra):
    person = PersonFactory(forename=forename, surname=surname, date_of_birth=dob)
    fields = {"reason": AdvisoryReason.RESIGNED} if model is AdvisoryListEntry else {"reasons": "x"}
    return model.objects.create(
        person=person,
        forename=forename,
        surname=surname,
        date_of_birth=dob,
        number=person.number,
        force=person.force.name,
        role_type="Police officer",
        event_date=D(2025, 1, 6),
        report_due=D(2025, 1, 10),
        **fields,
        **extra,
    )


def test_lookup_matches_a_close_name_with_the_same_date_of_birth():
    dob = D(1985, 2, 14)
    barred = _entry(BarredListEntry, "John", "Smith", dob)
    advisory = _entry(AdvisoryListEntry, "Jonathan", "Smyth", dob)
    assert selectors.list_lookup(forename="Jon", surname="Smith", date_of_birth=dob) == [barred]
    assert selectors.list_lookup(forename="john", surname="SMITH", date_of_birth=dob)[0] == barred
    assert selectors.list_lookup(forename="Smith", surname="John", date_of_birth=dob) == [barred]
    assert advisory in selectors.list_lookup(
        forename="Jonathan", surname="Smith", date_of_birth=dob
    )


def test_lookup_ignores_a_different_date_of_birth_and_removed_entries():
    dob = D(1985, 2, 14)
    _entry(BarredListEntry, "John", "Smith", dob)
    _entry(AdvisoryListEntry, "Jon", "Smith", D(1990, 7, 1), status=ListStatus.REMOVED)
    assert (
        selectors.list_lookup(forename="Jon", surname="Smith", date_of_birth=D(1985, 2, 15)) == []
    )
    assert selectors.list_lookup(forename="Jon", surname="Smith", date_of_birth=D(1990, 7, 1)) == []
    assert selectors.list_lookup(forename="Mary", surname="Jones", date_of_birth=dob) == []


def test_lookup_without_a_date_of_birth_matches_on_the_name():
    entry = _entry(BarredListEntry, "Priya", "Sharma", D(1979, 3, 3))
    assert selectors.list_lookup(forename="Priya", surname="Sharma", date_of_birth=None) == [entry]
    assert selectors.list_lookup(forename="Priya", surname="Patel", date_of_birth=None) == []
    legacy = _entry(AdvisoryListEntry, "Priya", "Sharma", None, legacy=True)
    assert legacy in selectors.list_lookup(
        forename="Priya", surname="Sharma", date_of_birth=D(1979, 3, 3)
    )
