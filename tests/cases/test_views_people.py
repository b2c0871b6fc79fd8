"""The person page's cases section: history the viewer may see, live warnings, RPRP,
list entries and the early-intervention flag."""

import datetime

import pytest
from django.utils import timezone

from cases import services
from cases.models import Action, BarredListEntry, Finding, Forum, Severity
from cases.services import OutcomeData
from tests.accounts.factories import PersonFactory
from tests.cases.factories import complaint, days_ago, to_handling_decided

pytestmark = pytest.mark.django_db


def warned(alice, bob, officer):
    case = to_handling_decided(complaint(alice, officer, supervisor=bob), alice, bob)
    services.case_start_investigation(actor=alice, case=case)
    track = case.tracks.get()
    services.track_assess_severity(
        actor=alice, track=track, severity=Severity.MISCONDUCT, rationale="R"
    )
    services.track_serve_notice(actor=alice, track=track, served_on=days_ago(20))
    services.case_submit_report(actor=alice, case=case, summary="Report")
    decision = services.case_propose_case_to_answer(
        actor=alice, case=case, answers={track.pk: True}, rationale="R"
    )
    services.decision_approve(actor=bob, decision=decision)
    services.track_refer_to_proceedings(
        actor=alice, track=track, forum=Forum.MEETING, date=days_ago(2), notice_on=days_ago(19)
    )
    services.track_conclude_proceedings(actor=alice, track=track, held_on=days_ago(1))
    track.refresh_from_db()
    decision = services.outcome_propose(
        actor=alice,
        case=case,
        rationale="Meeting",
        outcomes=[
            OutcomeData(
                allegation=case.allegations.get(),
                track=track,
                finding=Finding.MISCONDUCT_PROVEN,
                action=Action.WRITTEN_WARNING,
            )
        ],
    )
    services.decision_approve(actor=bob, decision=decision)
    return case


def test_officer_page_shows_cases_outcomes_and_live_warning(client, alice, bob):
    officer = PersonFactory()
    case = warned(alice, bob, officer)
    client.force_login(alice)
    html = client.get(officer.get_absolute_url()).content.decode()
    assert "Professional standards history" in html
    assert case.reference in html
    assert "Written warning" in html and "live until" in html


def test_cases_the_viewer_cannot_see_are_left_out(client, alice, dave):
    officer = PersonFactory()
    case = complaint(alice, officer)
    client.force_login(dave)
    html = client.get(officer.get_absolute_url()).content.decode()
    assert case.reference not in html
    assert "No cases you can see." in html


def test_early_intervention_flag_counts_recent_allegations(client, alice, settings):
    settings.PSD_EARLY_INTERVENTION_ALLEGATIONS = 3
    settings.PSD_EARLY_INTERVENTION_MONTHS = 12
    officer = PersonFactory()
    complaint(alice, officer, received=500)  # too old to count
    complaint(alice, officer)
    complaint(alice, officer)
    client.force_login(alice)
    assert "Early intervention" not in client.get(officer.get_absolute_url()).content.decode()
    complaint(alice, officer)
    html = client.get(officer.get_absolute_url()).content.decode()
    assert "Early intervention" in html and "3 allegations in the last 12 months" in html


def test_list_entries_are_shown_to_those_allowed(client, alice, carol, victor):
    officer = PersonFactory()
    BarredListEntry.objects.create(
        person=officer,
        forename=officer.forename,
        surname=officer.surname,
        number=officer.number,
        force="Example Constabulary",
        role_type="Police officer",
        event_date=timezone.localdate() - datetime.timedelta(days=3),
        report_due=timezone.localdate(),
        reasons="Dismissed",
    )
    client.force_login(carol)
    assert "Barred list:" in client.get(officer.get_absolute_url()).content.decode()
    client.force_login(alice)  # investigators do not hold the list permission
    assert "Barred list:" not in client.get(officer.get_absolute_url()).content.decode()
