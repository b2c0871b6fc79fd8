"""Every action form on the case page: the happy path through a whole case, refusals shown on
the form, stale forms that keep the user's text, and permission denials."""

import pytest
from django.urls import reverse

from cases.models import Case, Decision, State, TrackState
from tests.accounts.factories import PersonFactory
from tests.cases.factories import (
    OUTSIDE_NO,
    complaint,
    conduct_matter,
    days_ago,
    to_handling_decided,
)
from tests.cases.helpers import action_url, post_action

pytestmark = pytest.mark.django_db


def approve_in_queue(client, approver, case):
    decision = Decision.objects.get(case=case, status="pending")
    client.force_login(approver)
    response = client.post(
        reverse("cases:approval_decide", args=[decision.pk, "approve"]),
        {f"approve-{decision.pk}-reason": "Agreed"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    decision.refresh_from_db()
    assert decision.status == "approved"


def problems(response) -> list[str]:
    import re

    html = response.content.decode()
    return re.findall(r'class="govuk-error-message"[^>]*>(.*?)</p>', html, re.S) + re.findall(
        r'class="govuk-list govuk-error-summary__list">(.*?)</ul>', html, re.S
    )


def ok(response):
    assert response.status_code == 302, problems(response)
    return response


def test_a_complaint_travels_to_finalisation_through_the_forms(client, alice, bob):
    officer = PersonFactory()
    case = complaint(alice, officer, supervisor=bob)
    client.force_login(alice)
    ok(post_action(client, case, "record", recorded_on=days_ago(0).isoformat()))
    ok(post_action(client, case, "assess_referral", rationale="No criterion met"))
    ok(post_action(client, case, "propose_no_referral", rationale="No criterion met"))
    approve_in_queue(client, bob, case)
    client.force_login(alice)
    ok(post_action(client, case, "start_investigation", reason=""))
    track = case.tracks.get()
    ok(post_action(client, case, "assess_severity", track, severity="misconduct", rationale="R"))
    ok(post_action(client, case, "serve_notice", track, served_on=days_ago(15).isoformat()))
    ok(post_action(client, case, "representations", track))
    ok(post_action(client, case, "submit_report", summary="Report in"))
    ok(
        post_action(
            client,
            case,
            "propose_case_to_answer",
            **{f"track_{track.pk}": "misconduct", "rationale": "R"},
        )
    )
    approve_in_queue(client, bob, case)
    client.force_login(alice)
    ok(
        post_action(
            client,
            case,
            "refer_to_proceedings",
            track,
            forum="meeting",
            date=days_ago(1).isoformat(),
            notice_on=days_ago(20).isoformat(),
        )
    )
    ok(post_action(client, case, "conclude_proceedings", track, held_on=days_ago(1).isoformat()))
    allegation = case.allegations.get()
    key = f"{allegation.pk}_{track.pk}"
    ok(
        post_action(
            client,
            case,
            "propose_outcome",
            **{
                f"finding_{key}": "misconduct",
                f"action_{key}": "ww",
                "effective_on": days_ago(0).isoformat(),
                "rationale": "Meeting found misconduct",
            },
        )
    )
    approve_in_queue(client, bob, case)
    client.force_login(alice)
    ok(
        post_action(
            client,
            case,
            "propose_finalisation",
            result="not_acceptable",
            outcome_sent_on=days_ago(0).isoformat(),
            rationale="Letter sent",
        )
    )
    approve_in_queue(client, bob, case)
    case.refresh_from_db()
    assert case.state == State.FINALISED
    client.force_login(alice)
    page = client.get(case.get_absolute_url()).content.decode()
    assert "Approved: Outcome" in page and "Proposed for approval: Finalisation" in page
    assert ">Outcomes</h2>" in page and "Written warning" in page
    ok(post_action(client, case, "request_review", received_on=days_ago(0).isoformat()))
    ok(post_action(client, case, "review_result", result="not_upheld", decided_on=days_ago(0)))
    case.refresh_from_db()
    assert case.state == State.FINALISED


def test_track_routes_rprp_and_no_action(client, alice, bob):
    pri, clean = PersonFactory(), PersonFactory()
    case = to_handling_decided(conduct_matter(alice, pri, clean, supervisor=bob), alice, bob)
    client.force_login(alice)
    ok(post_action(client, case, "start_investigation"))
    t_pri, t_clean = case.tracks.get(person=pri), case.tracks.get(person=clean)
    ok(post_action(client, case, "assess_severity", t_pri, severity="pri", rationale="PRI"))
    ok(post_action(client, case, "assess_severity", t_clean, severity="none", rationale="None"))
    ok(post_action(client, case, "refer_to_rprp", t_pri, reason="PRI", notice_on=days_ago(3)))
    ok(post_action(client, case, "no_action", t_clean, reason="No misconduct"))
    rprp = t_pri.rprp
    ok(post_action(client, case, "rprp_stage", rprp, stage="account", on=days_ago(1).isoformat()))
    rprp.refresh_from_db()
    assert rprp.stage == "account"
    t_clean.refresh_from_db()
    assert t_clean.state == TrackState.NO_ACTION


def test_missing_reason_is_shown_beside_the_field_and_in_the_summary(client, alice):
    case = complaint(alice)
    client.force_login(alice)
    response = post_action(client, case, "handle_outside", reason="")
    html = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in html
    assert 'class="govuk-error-message"' in html
    assert 'id="action-handle_outside-' in html and "open" in html


def test_service_refusal_is_shown_on_the_form(client, alice):
    case = complaint(alice)
    client.force_login(alice)
    response = post_action(
        client, case, "record", recorded_on=days_ago(-3).isoformat(), reason="Too early"
    )
    assert response.status_code == 400
    assert "between the date received and today" in response.content.decode()
    assert Case.objects.get(pk=case.pk).state == State.RECEIVED


def test_stale_form_says_the_case_changed_and_keeps_the_text(client, alice):
    case = complaint(alice)
    client.force_login(alice)
    old_version = case.version
    ok(post_action(client, case, "note", text="first"))
    # Someone else records the case: the version moves on.
    ok(post_action(client, case, "add_allegation", summary="More", category=1, about_force="on"))
    response = post_action(
        client,
        case,
        "handle_outside",
        expected=str(old_version),
        reason="My carefully typed reasons",
        **dict.fromkeys(OUTSIDE_NO, "no"),
    )
    html = response.content.decode()
    assert response.status_code == 409
    assert "This case changed" in html
    assert "My carefully typed reasons" in html
    assert Case.objects.get(pk=case.pk).state == State.RECEIVED


def test_stale_form_for_a_step_no_longer_possible_shows_the_text_to_copy(client, alice):
    case = complaint(alice)
    client.force_login(alice)
    stale = str(case.version)
    ok(post_action(client, case, "record", recorded_on=days_ago(0).isoformat()))
    response = post_action(
        client, case, "handle_outside", expected=stale, reason="Text I must not lose"
    )
    html = response.content.decode()
    assert response.status_code == 409
    assert "This case changed" in html and "Your text was not saved" in html
    assert "Text I must not lose" in html


def test_stale_track_form_is_refused(client, alice, bob):
    case = to_handling_decided(complaint(alice, supervisor=bob), alice, bob)
    client.force_login(alice)
    track = case.tracks.get()
    ok(post_action(client, case, "assess_severity", track, severity="misconduct", rationale="R"))
    response = post_action(
        client, case, "assess_severity", track, expected="pending", severity="none", rationale="X"
    )
    assert response.status_code == 409
    track.refresh_from_db()
    assert track.severity == "misconduct"


def test_wrong_role_gets_403_and_invisible_case_404(client, alice, dave, eve):
    case = complaint(alice)
    client.force_login(alice)
    assert post_action(client, case, "assign", investigator=alice.pk).status_code == 403
    client.force_login(eve)
    assert post_action(client, case, "note", text="auditor").status_code == 403
    client.force_login(dave)
    assert post_action(client, case, "note", text="other team").status_code == 404
    client.force_login(alice)
    assert client.post(action_url(case, "no_such_action")).status_code == 404
    assert client.get(action_url(case, "note")).status_code == 405


def test_action_on_a_track_of_another_case_is_404(client, alice):
    case, other = complaint(alice), complaint(alice)
    client.force_login(alice)
    response = post_action(client, case, "assess_severity", other.tracks.get(), severity="none")
    assert response.status_code == 404


def test_allegation_added_by_personnel_number(client, alice):
    case = complaint(alice)
    officer = PersonFactory(number="PC99881")
    client.force_login(alice)
    response = post_action(
        client, case, "add_allegation", summary="Rude", category=1, subject_numbers="pc99881, X1"
    )
    assert response.status_code == 400
    assert "No one in the register has the number X1." in problems(response)[0], problems(response)
    ok(
        post_action(
            client, case, "add_allegation", summary="Rude", category=1, subject_numbers="PC99881"
        )
    )
    assert case.allegations.get(number=2).subjects.get() == officer


def test_supervisor_reassigns_and_discontinues(client, alice, bob, dave):
    case = to_handling_decided(complaint(alice, supervisor=bob), alice, bob)
    client.force_login(bob)
    ok(post_action(client, case, "assign", investigator=dave.pk, reason="Workload"))
    case.refresh_from_db()
    assert case.investigator == dave
    client.force_login(dave)
    ok(post_action(client, case, "start_investigation"))
    client.force_login(bob)
    ok(post_action(client, case, "discontinue", reason="No realistic prospect"))
    case.refresh_from_db()
    assert case.state == State.DISCONTINUED


def test_complainant_withdraws(client, alice):
    case = complaint(alice)
    client.force_login(alice)
    ok(post_action(client, case, "record", recorded_on=days_ago(0).isoformat()))
    ok(
        post_action(
            client, case, "withdraw", signed_by="complainant", wish="withdraw", reason="Letter"
        )
    )
    case.refresh_from_db()
    assert case.state == State.WITHDRAWN


def test_referral_route_and_twelve_month_report(client, alice, bob):
    from tests.cases.factories import criterion

    case = complaint(alice, supervisor=bob)
    client.force_login(alice)
    ok(post_action(client, case, "record", recorded_on=days_ago(0).isoformat()))
    ok(
        post_action(
            client,
            case,
            "assess_referral",
            criteria=[criterion("serious_assault").pk],
            rationale="Serious assault alleged",
        )
    )
    page = client.get(case.get_absolute_url())
    names = {a.spec.name for a in page.context["case_actions"]}
    assert "refer_to_iopc" in names and "propose_no_referral" not in names
    ok(post_action(client, case, "refer_to_iopc", referred_on=days_ago(0).isoformat()))
    ok(post_action(client, case, "iopc_decision", mode="local", decided_on=days_ago(0)))
    case.refresh_from_db()
    assert case.state == State.HANDLING_DECIDED
    # The first relevant period has not ended: no 12-month report is offered yet (reg 13(3)).
    page = client.get(case.get_absolute_url())
    assert "twelve_month_report" not in {a.spec.name for a in page.context["case_actions"]}
    assert "reports to the local policing body and the IOPC" in page.content.decode()


def test_correcting_the_date_received_from_the_case_page(client, alice):
    case = complaint(alice, received=10)
    client.force_login(alice)
    ok(post_action(client, case, "record", recorded_on=days_ago(1).isoformat(), reason="Sch 3"))
    ok(
        post_action(
            client,
            case,
            "correct_received_on",
            received_on=days_ago(12).isoformat(),
            reason="Date stamp was wrong",
        )
    )
    assert Case.objects.get(pk=case.pk).received_on == days_ago(12)
    response = post_action(
        client, case, "correct_received_on", received_on=days_ago(0).isoformat(), reason="Typo"
    )
    assert response.status_code == 400
    assert "after the date recorded" in response.content.decode()
