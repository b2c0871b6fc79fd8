"""The barred and advisory list duties as the law states them (Police Act 1996 Part 4A; Police
Barred List and Police Advisory List Regulations 2017): who is reported, from which date, the
further reports (s88F, s88L) and removal; refused steps change nothing."""

import datetime
from types import SimpleNamespace

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command

from accounts.models import PersonStatus, RoleType
from accounts.services import person_set_status
from audit.models import AuditEntry
from cases import clocks, services
from cases.models import (
    Action,
    AdvisoryListEntry,
    AdvisoryParagraph,
    AdvisoryRemoval,
    BarredListEntry,
    BarredParagraph,
    CaseTransition,
    Finding,
    Forum,
    ListStatus,
    Severity,
    TrackState,
)
from cases.services import lists
from deadlines.calendar import add_working_days
from deadlines.models import Deadline
from psd.domain import DomainError, PermissionDenied
from tests.accounts.factories import PersonFactory
from tests.cases import routes
from tests.cases.factories import allegation, complaint, conduct_matter, days_ago
from tests.cases.list_routes import approve_outcomes, dismissed

pytestmark = pytest.mark.django_db


def _leave(ada, person, status=PersonStatus.RESIGNED, on=None):
    person_set_status(
        actor=ada, person=person, status=status, effective_date=on or days_ago(2), reason="Left"
    )


def _counts():
    return (
        Deadline.objects.count(),
        CaseTransition.objects.count(),
        AuditEntry.objects.count(),
        list(BarredListEntry.objects.values_list("status", "further_event_on")),
        list(AdvisoryListEntry.objects.values_list("status", "further_event_on")),
    )


# --- Barred list: who, and from which date ----------------------------------------------------


def test_dismissal_clock_begins_with_the_day_of_the_hearing_not_the_proposal(alice, bob, carol):
    officer = PersonFactory()
    case = routes.concluded(
        complaint(alice, officer, supervisor=bob), alice, bob, forum=Forum.HEARING
    )
    held_on = case.tracks.get().concluded_on
    approve_outcomes(
        alice, carol, case, Action.DISMISSAL, on=days_ago(0)
    )  # proposed and approved today
    entry = BarredListEntry.objects.get()
    assert entry.paragraph == BarredParagraph.OFFICER_DISMISSED
    assert entry.capacity == "Police officer"
    assert entry.event_date == held_on == days_ago(1)
    assert entry.report_due == add_working_days(held_on, 5, beginning_with=True)
    assert routes.deadline(entry, "barred_list_report").due_date == entry.report_due


def test_one_entry_for_a_person_dismissed_on_several_allegations(alice, bob, carol):
    officer = PersonFactory()
    allegations = [allegation(officer), allegation(officer, summary="Lied in a statement")]
    case = complaint(alice, officer, allegations=allegations, supervisor=bob)
    case = routes.concluded(case, alice, bob, forum=Forum.HEARING)
    approve_outcomes(alice, carol, case, Action.DISMISSAL)
    entry = BarredListEntry.objects.get()
    assert "Allegation 1: Used excessive force" in entry.reasons
    assert "Allegation 2: Lied in a statement" in entry.reasons
    assert entry.standards_breached == "Use of force"


def test_paragraph_of_s88A_for_each_kind_of_person():
    officer = SimpleNamespace(role_type=RoleType.OFFICER, status=PersonStatus.SERVING)
    special = SimpleNamespace(role_type=RoleType.SPECIAL, status=PersonStatus.RESIGNED)
    staff = SimpleNamespace(role_type=RoleType.STAFF, status=PersonStatus.SERVING)
    pcso = SimpleNamespace(role_type=RoleType.PCSO, status=PersonStatus.RETIRED)
    assert lists.barred_paragraph(officer, finding=False) == BarredParagraph.OFFICER_DISMISSED
    assert lists.barred_paragraph(special, finding=True) == BarredParagraph.FORMER_OFFICER
    assert lists.barred_paragraph(staff, finding=False) == BarredParagraph.STAFF_DISMISSED
    assert lists.barred_paragraph(pcso, finding=True) == BarredParagraph.FORMER_STAFF
    assert BarredParagraph.FORMER_STAFF.capacity == "Former civilian police employee"


def test_what_counts_as_a_dismissal_including_staff_outcomes_and_dismissal_with_notice():
    def outcome(action, staff=None):
        return SimpleNamespace(action=action, staff_outcome=staff)

    assert lists.counts_as_dismissal(outcome(Action.DISMISSAL))
    assert lists.counts_as_dismissal(outcome(Action.WOULD_HAVE_BEEN_DISMISSED))
    assert lists.counts_as_dismissal(outcome(Action.DISMISSAL_WITH_NOTICE))
    assert not lists.counts_as_dismissal(outcome(Action.FINAL_WRITTEN_WARNING))
    staff_dismissal = SimpleNamespace(barred_list_dismissal=True)
    assert lists.counts_as_dismissal(outcome(Action.NONE, staff_dismissal))
    assert not lists.counts_as_dismissal(
        outcome(Action.NONE, SimpleNamespace(barred_list_dismissal=False))
    )


def test_advisory_exemption_names_the_rule():
    def track(state, severity=""):
        return SimpleNamespace(state=state, severity=severity)

    assert lists.advisory_exemption(track(TrackState.NO_CASE_TO_ANSWER)).endswith("s88I(2).")
    assert lists.advisory_exemption(track(TrackState.SEVERITY_ASSESSED, Severity.PRI))
    assert (
        lists.advisory_exemption(track(TrackState.SEVERITY_ASSESSED, Severity.MISCONDUCT)) is None
    )
    assert lists.advisory_exemption(track(TrackState.HEARING)) is None
    assert "concluded" in lists.advisory_exemption(track(TrackState.OUTCOME))


def test_dismissal_with_notice_dates_from_when_it_takes_effect():
    track = SimpleNamespace(concluded_on=datetime.date(2026, 3, 2))
    with_notice = SimpleNamespace(
        action=Action.DISMISSAL_WITH_NOTICE, track=track, effective_on=datetime.date(2026, 4, 1)
    )
    without = SimpleNamespace(
        action=Action.DISMISSAL, track=track, effective_on=datetime.date(2026, 4, 1)
    )
    assert lists.dismissal_date(with_notice) == datetime.date(2026, 4, 1)
    assert lists.dismissal_date(without) == datetime.date(2026, 3, 2)


def _resigned_before_hearing(alice, bob, ada):
    officer = PersonFactory()
    case = routes.decided(complaint(alice, officer, supervisor=bob), alice, bob, severity="gross")
    _leave(ada, officer, on=days_ago(3))
    routes.proceedings_held(case.tracks.get(), alice)
    return officer, routes.fresh(case)


def test_would_have_been_dismissed_bars_and_ends_the_advisory_entry(alice, bob, carol, ada):
    officer, case = _resigned_before_hearing(alice, bob, ada)
    advisory = AdvisoryListEntry.objects.get(person=officer)
    assert advisory.paragraph == AdvisoryParagraph.LEFT_DURING
    approve_outcomes(alice, carol, case, Action.WOULD_HAVE_BEEN_DISMISSED)
    barred = BarredListEntry.objects.get(person=officer)
    assert barred.paragraph == BarredParagraph.FORMER_OFFICER
    assert barred.advisory_entry == advisory  # reg 3(2)(k)
    advisory.refresh_from_db()
    assert advisory.status == ListStatus.REMOVED and "s88L(5)" in advisory.removal_reason
    assert "advisory_list_report" not in routes.open_deadlines(advisory)


def test_proceedings_concluded_without_that_finding_call_for_the_s88L_report(
    alice, bob, carol, ada
):
    officer, case = _resigned_before_hearing(alice, bob, ada)
    approve_outcomes(alice, carol, case, Action.NONE, finding=Finding.NOT_PROVEN)
    entry = AdvisoryListEntry.objects.get(person=officer)
    assert entry.status == ListStatus.TO_REMOVE
    assert entry.removal == AdvisoryRemoval.CONCLUDED
    assert entry.further_event_on == days_ago(1)  # the day the hearing concluded
    clock = routes.deadline(entry, "advisory_list_removal_report")
    assert clock.status == "open" and clock.due_date == entry.further_report_due
    assert not BarredListEntry.objects.exists()


# --- Barred list: the further report on appeal (s88F) ----------------------------------------


@pytest.fixture
def barred(alice, bob, carol):
    return dismissed(alice, bob, carol)


def test_overturned_dismissal_refusals_change_nothing(barred, alice, carol):
    before = _counts()
    with pytest.raises(PermissionDenied):
        services.barred_entry_overturned(
            actor=alice, entry=barred, decided_on=days_ago(0), reason="Appeal allowed"
        )
    with pytest.raises(DomainError) as error:
        services.barred_entry_overturned(
            actor=carol, entry=barred, decided_on=days_ago(30), reason="Appeal allowed"
        )
    assert error.value.field == "decided_on"
    with pytest.raises(DomainError) as error:
        services.barred_entry_overturned(
            actor=carol, entry=barred, decided_on=days_ago(0), reason=" "
        )
    assert error.value.field == "reason"
    with pytest.raises(DomainError, match="further report"):
        services.list_entry_further_report(actor=carol, entry=barred)
    assert _counts() == before


def test_overturned_dismissal_further_report_then_removal(barred, carol):
    services.barred_entry_overturned(
        actor=carol, entry=barred, decided_on=days_ago(0), reason="PAT allowed the appeal"
    )
    barred.refresh_from_db()
    assert barred.status == ListStatus.TO_REMOVE and barred.further_event_on == days_ago(0)
    clock = routes.deadline(barred, "barred_list_further_report")
    assert clock.due_date == add_working_days(days_ago(0), 5, beginning_with=True)
    assert barred.further_report_due == clock.due_date
    with pytest.raises(DomainError, match="another|already"):
        services.barred_entry_overturned(
            actor=carol, entry=barred, decided_on=days_ago(0), reason="Again"
        )
    with pytest.raises(DomainError, match="first"):
        services.list_entry_further_report(actor=carol, entry=barred)
    services.list_entry_mark_reported(actor=carol, entry=barred, reported_on=days_ago(0))
    services.list_entry_further_report(actor=carol, entry=barred, reported_on=days_ago(0))
    barred.refresh_from_db()
    assert barred.status == ListStatus.REMOVED and barred.further_reported_on == days_ago(0)
    assert "PAT allowed the appeal" in barred.removal_reason
    assert routes.deadline(barred, "barred_list_further_report").status == "met"
    assert CaseTransition.objects.filter(name="barred_dismissal_overturned").exists()


def test_appeals_call_dismissal_overturned_with_the_outcome(barred, carol):
    entry = lists.dismissal_overturned(
        actor=carol, outcome=barred.outcome, decided_on=days_ago(0), reason="Finding overturned"
    )
    assert entry.pk == barred.pk and entry.status == ListStatus.TO_REMOVE
    assert (
        lists.dismissal_overturned(
            actor=carol, outcome=barred.outcome, decided_on=days_ago(0), reason="again"
        )
        is None
    )


# --- Advisory list: who is reported (s88I) ---------------------------------------------------


def test_leaving_under_investigation_reports_the_allegation(alice, bob, ada):
    officer = PersonFactory()
    case = routes.investigating(conduct_matter(alice, officer, supervisor=bob), alice, bob)
    _leave(ada, officer, status=PersonStatus.RETIRED, on=days_ago(1))
    entry = AdvisoryListEntry.objects.get(person=officer)
    assert entry.paragraph == AdvisoryParagraph.LEFT_DURING
    assert entry.track == case.tracks.get() and entry.left_on == days_ago(1)
    assert "Accessed records" in entry.allegation_summary
    assert entry.report_due == clocks.list_report_due(days_ago(1))


@pytest.mark.parametrize("severity", [Severity.NO_MISCONDUCT, Severity.PRI])
def test_no_advisory_entry_once_severity_says_no_proceedings(alice, bob, ada, severity):
    officer = PersonFactory()
    case = routes.investigating(conduct_matter(alice, officer, supervisor=bob), alice, bob)
    services.track_assess_severity(
        actor=alice, track=case.tracks.get(), severity=severity, rationale="Assessed"
    )
    _leave(ada, officer)
    assert not AdvisoryListEntry.objects.exists()


def test_no_advisory_entry_after_no_case_to_answer(alice, bob, ada):
    officer = PersonFactory()
    case = routes.decided(complaint(alice, officer, supervisor=bob), alice, bob, answer=False)
    assert case.tracks.get().state == TrackState.NO_CASE_TO_ANSWER
    _leave(ada, officer)
    assert not AdvisoryListEntry.objects.exists()


def test_allegation_after_leaving_is_reported_for_former_officers_only(alice, bob, ada):
    officer = PersonFactory(role_type=RoleType.OFFICER)
    staff = PersonFactory(role_type=RoleType.STAFF, rank=None)
    _leave(ada, officer, on=days_ago(40))
    _leave(ada, staff, on=days_ago(40))
    case = conduct_matter(alice, officer, staff, supervisor=bob, received=10)
    entry = AdvisoryListEntry.objects.get()
    assert entry.person == officer and entry.paragraph == AdvisoryParagraph.AROSE_AFTER
    assert entry.event_date == case.received_on and entry.left_on == days_ago(40)


def test_s88L_report_once_no_proceedings_are_determined(alice, bob, carol, ada):
    officer = PersonFactory()
    case = routes.report_submitted(complaint(alice, officer, supervisor=bob), alice, bob)
    _leave(ada, officer)
    entry = AdvisoryListEntry.objects.get()
    decision = services.case_propose_case_to_answer(
        actor=alice, case=case, answers={case.tracks.get().pk: False}, rationale="No evidence"
    )
    services.decision_approve(actor=carol, decision=decision)
    entry.refresh_from_db()
    assert entry.status == ListStatus.TO_REMOVE
    assert entry.removal == AdvisoryRemoval.NO_PROCEEDINGS
    assert "advisory_list_removal_report" in routes.open_deadlines(entry)
    services.list_entry_mark_reported(actor=carol, entry=entry)
    services.list_entry_further_report(actor=carol, entry=entry)
    entry.refresh_from_db()
    assert entry.status == ListStatus.REMOVED


def test_discontinued_case_calls_for_the_s88L_report(alice, bob, carol, ada):
    officer = PersonFactory()
    case = routes.investigating(conduct_matter(alice, officer, supervisor=bob), alice, bob)
    _leave(ada, officer)
    services.case_discontinue(actor=carol, case=case, reason="No realistic prospect")
    entry = AdvisoryListEntry.objects.get()
    assert (entry.status, entry.removal) == (ListStatus.TO_REMOVE, AdvisoryRemoval.NO_PROCEEDINGS)


def test_withdrawn_complaint_continued_as_conduct_keeps_its_entry(alice, bob, carol, ada):
    officer = PersonFactory()
    case = complaint(alice, officer, supervisor=bob)
    services.case_record(actor=alice, case=case)
    _leave(ada, officer)
    entry = AdvisoryListEntry.objects.get()
    services.case_withdraw(actor=alice, case=case, reason="Letter", continue_as_conduct=True)
    entry.refresh_from_db()
    assert AdvisoryListEntry.objects.count() == 1
    assert entry.status == ListStatus.TO_REPORT and entry.case != case
    assert entry.track.case.linked_case == case


# --- Existing data: reported for review, never changed ---------------------------------------


def test_review_command_reports_entries_the_rules_would_not_make(alice, bob, carol, capsys):
    officer = PersonFactory()
    case = routes.decided(complaint(alice, officer, supervisor=bob), alice, bob, answer=False)
    track = case.tracks.get()
    CaseTransition.objects.create(
        case=case,
        track=track,
        name="advisory_list_entry",
        from_state=track.state,
        to_state=track.state,
    )
    old = AdvisoryListEntry.objects.create(
        person=officer,
        case=case,
        forename=officer.forename,
        surname=officer.surname,
        number=officer.number,
        force=officer.force.name,
        role_type="Police officer",
        event_date=days_ago(1),
        report_due=days_ago(-5),
        reason="resigned",
    )
    before = _counts()
    call_command("lists_review")
    out = capsys.readouterr().out
    assert f"advisory entry {old.pk}" in out and "s88I(1)(a), (2)" in out
    assert "nothing has been changed or deleted" in out
    assert _counts() == before and AdvisoryListEntry.objects.filter(pk=old.pk).exists()


def test_review_command_reports_a_barred_clock_from_the_wrong_date(barred, capsys):
    BarredListEntry.objects.filter(pk=barred.pk).update(event_date=days_ago(0))
    call_command("lists_review", "--csv")
    out = capsys.readouterr().out
    assert f"barred,{barred.pk}," in out and "reg 3(1)" in out
    assert BarredListEntry.objects.get(pk=barred.pk).event_date == days_ago(0)


def test_review_is_quiet_when_all_is_well(capsys):
    call_command("lists_review")
    assert "No list entry to review" in capsys.readouterr().out


def test_list_deadlines_target_the_entry(barred):
    kinds = set(
        Deadline.objects.filter(
            content_type=ContentType.objects.get_for_model(barred), object_id=barred.pk
        ).values_list("kind__code", flat=True)
    )
    assert kinds == {"barred_list_report"}


# --- Dismissals decided outside a case: performance, police staff ---------------------------


def test_performance_dismissal_is_reported_from_its_date(carol):
    officer = PersonFactory()
    entry = services.barred_entry_record(
        actor=carol,
        person=officer,
        ground="performance",
        dismissed_on=days_ago(3),
        reasons="Gross incompetence at a third stage meeting",
    )
    assert entry.paragraph == BarredParagraph.OFFICER_DISMISSED and entry.ground == "performance"
    assert entry.case is None and entry.report_due == clocks.list_report_due(days_ago(3))
    assert "barred_list_report" in routes.open_deadlines(entry)
    assert AuditEntry.objects.filter(action="lists.barred_list_entry").exists()


def test_staff_finding_after_leaving_bars_and_ends_the_advisory_entry(alice, bob, carol, ada):
    staff = PersonFactory(role_type=RoleType.STAFF, rank=None)
    routes.investigating(conduct_matter(alice, staff, supervisor=bob), alice, bob)
    _leave(ada, staff)
    entry = services.barred_entry_record(
        actor=carol,
        person=staff,
        ground="conduct",
        dismissed_on=days_ago(0),
        reasons="Would have been dismissed: theft",
        finding=True,
    )
    assert entry.paragraph == BarredParagraph.FORMER_STAFF
    assert entry.capacity == "Former civilian police employee"
    assert AdvisoryListEntry.objects.get(person=staff).status == ListStatus.REMOVED


def test_recording_a_dismissal_refuses_and_changes_nothing(alice, carol):
    officer = PersonFactory()
    good = {
        "person": officer,
        "ground": "conduct",
        "dismissed_on": days_ago(1),
        "reasons": "Dismissed",
    }
    before = _counts()
    with pytest.raises(PermissionDenied):
        services.barred_entry_record(actor=alice, **good)
    for field, value in [
        ("ground", "other"),
        ("reasons", " "),
        ("dismissed_on", datetime.date(2017, 12, 14)),  # before Part 4A came into force
        ("dismissed_on", days_ago(-1)),
        ("finding", True),  # still serving: a finding is about someone who has left
    ]:
        with pytest.raises(DomainError) as error:
            services.barred_entry_record(actor=carol, **(good | {field: value}))
        assert error.value.field == field
    assert _counts() == before
    services.barred_entry_record(actor=carol, **good)
    with pytest.raises(DomainError, match="already on the barred list"):
        services.barred_entry_record(actor=carol, **good)
