"""Issue 18 item 5, the misconduct route (Police (Conduct) Regulations 2020 Part 4): a case to
answer without proceedings, severity revised after the notice, a gross-misconduct subject at a
meeting, findings no wider than the case to answer, and warnings checked against the subject's
history (a live final written warning, its extension). Service, page and API."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command

from accounts.models import Rank
from cases import services
from cases.models import Action, Finding, Forum, Outcome, Severity, State, TrackState
from deadlines.calendar import add_months
from psd.domain import DomainError
from psd.rules import REGISTER
from tests.accounts.factories import PersonFactory
from tests.cases.factories import complaint, days_ago
from tests.cases.helpers import api_action_url, post_action
from tests.cases.routes import (
    concluded,
    deadline,
    decided,
    fresh,
    investigating,
    open_deadlines,
    outcome_approved,
    outcomes_for,
    proceedings_dates,
    report_submitted,
    snapshot,
)

pytestmark = pytest.mark.django_db


def only_track(case):
    return fresh(case).tracks.get()


def refer(alice, track, forum):
    notice_on, date = proceedings_dates()
    return services.track_refer_to_proceedings(
        actor=alice, track=track, forum=forum, date=date, notice_on=notice_on
    )


def propose_and_approve(alice, bob, case, answer):
    track = only_track(case)
    decision = services.case_propose_case_to_answer(
        actor=alice, case=fresh(case), answers={track.pk: answer}, rationale="Evidence"
    )
    services.decision_approve(actor=bob, decision=decision)
    return only_track(case)


# --- Case to answer without proceedings (reg 23(1)(b)) --------------------------------------


@pytest.mark.parametrize("next_step", ["no_action", "rprp"])
def test_case_to_answer_without_proceedings_leads_to_rprp_or_nfa(alice, bob, next_step):
    case = report_submitted(complaint(alice, supervisor=bob), alice, bob)
    track = propose_and_approve(alice, bob, case, "misconduct_no_proceedings")
    assert track.state == TrackState.CASE_TO_ANSWER and track.proceedings_brought is False
    before = snapshot(case)
    with pytest.raises(DomainError, match="No misconduct proceedings are brought"):
        refer(alice, track, Forum.MEETING)
    assert snapshot(case) == before
    if next_step == "no_action":
        services.track_no_action(actor=alice, track=track, reason="Words of advice")
        assert only_track(case).state == TrackState.NO_ACTION
    else:
        services.track_refer_to_rprp(actor=alice, track=track, reason="Learning")
        assert only_track(case).state == TrackState.RPRP


def test_with_proceedings_there_is_no_shortcut_to_rprp(alice, bob):
    case = decided(complaint(alice, supervisor=bob), alice, bob)
    track = only_track(case)
    before = snapshot(case)
    for step in (
        lambda: services.track_refer_to_rprp(actor=alice, track=track, reason="x"),
        lambda: services.track_no_action(actor=alice, track=track, reason="x"),
    ):
        with pytest.raises(DomainError, match="meeting or hearing"):
            step()
    assert snapshot(case) == before


def test_page_and_api_decide_no_proceedings(client, api_as, alice, bob):
    case = report_submitted(complaint(alice, supervisor=bob), alice, bob)
    track = only_track(case)
    client.force_login(alice)
    response = post_action(
        client,
        case,
        "propose_case_to_answer",
        **{f"track_{track.pk}": "gross", "rationale": "R"},
    )
    assert response.status_code == 400  # notified of misconduct only: no gross choice
    response = post_action(
        client,
        case,
        "propose_case_to_answer",
        **{f"track_{track.pk}": "misconduct_no_proceedings", "rationale": "R"},
    )
    assert response.status_code == 302
    decision = fresh(case).decisions.get(status="pending")
    assert decision.payload["proceedings"] == {str(track.pk): False}
    services.decision_approve(actor=bob, decision=decision)
    client_api = api_as(alice)
    listed = client_api.get(f"/api/cases/{case.reference}/actions/").json()
    names = {(a["name"], a["target"]) for a in listed}
    assert ("refer_to_rprp", track.pk) in names and ("no_action", track.pk) in names
    assert ("refer_to_proceedings", track.pk) not in names
    response = client_api.post(
        api_action_url(case, "refer_to_proceedings"),
        {"target": track.pk, "forum": "meeting", "date": "2026-01-05"},
        format="json",
    )
    assert response.status_code == 400
    assert only_track(case).state == TrackState.CASE_TO_ANSWER


# --- Severity revised after the notice ------------------------------------------------------


def test_severity_revised_after_the_notice_needs_a_new_notice(alice, bob):
    case = investigating(complaint(alice, supervisor=bob), alice, bob)
    track = only_track(case)
    services.track_assess_severity(
        actor=alice, track=track, severity=Severity.MISCONDUCT, rationale="First view"
    )
    services.track_serve_notice(actor=alice, track=track, served_on=days_ago(3))
    track = only_track(case)
    assert "reg17_representations" in open_deadlines(track)
    services.track_assess_severity(
        actor=alice, track=track, severity=Severity.GROSS_MISCONDUCT, rationale="New evidence"
    )
    track = only_track(case)
    assert track.state == TrackState.SEVERITY_ASSESSED and track.notice_served_on is None
    assert track.severity == Severity.GROSS_MISCONDUCT
    assert deadline(track, "reg17_representations").status == "cancelled"
    services.track_serve_notice(actor=alice, track=track, served_on=days_ago(0))
    assert "reg17_representations" in open_deadlines(only_track(case))


# --- Gross misconduct assessed, misconduct case to answer: a meeting -------------------------


def test_gross_misconduct_subject_goes_to_a_meeting_on_a_misconduct_case(alice, bob):
    case = report_submitted(
        complaint(alice, supervisor=bob), alice, bob, severity=Severity.GROSS_MISCONDUCT
    )
    track = propose_and_approve(alice, bob, case, Severity.MISCONDUCT)
    assert track.case_to_answer_for == Severity.MISCONDUCT
    refer(alice, track, Forum.MEETING)
    assert only_track(case).state == TrackState.MEETING


def test_a_case_to_answer_cannot_exceed_the_notified_severity(alice, bob):
    case = report_submitted(complaint(alice, supervisor=bob), alice, bob)
    before = snapshot(case)
    track = only_track(case)
    with pytest.raises(DomainError, match="revise the severity"):
        services.case_propose_case_to_answer(
            actor=alice, case=case, answers={track.pk: Severity.GROSS_MISCONDUCT}, rationale="R"
        )
    assert snapshot(case) == before


def test_the_finding_cannot_exceed_the_case_to_answer(alice, bob):
    case = report_submitted(
        complaint(alice, supervisor=bob), alice, bob, severity=Severity.GROSS_MISCONDUCT
    )
    track = propose_and_approve(alice, bob, case, Severity.MISCONDUCT)
    refer(alice, track, Forum.HEARING)
    services.track_conclude_proceedings(actor=alice, track=only_track(case), held_on=days_ago(1))
    case = fresh(case)
    before = snapshot(case)
    gross = outcomes_for(case, Finding.GROSS_MISCONDUCT_PROVEN, Action.FINAL_WRITTEN_WARNING)
    with pytest.raises(DomainError, match="gross misconduct cannot be found"):
        services.outcome_propose(actor=alice, case=case, outcomes=gross, rationale="R")
    assert snapshot(case) == before
    misconduct = outcomes_for(case, Finding.MISCONDUCT_PROVEN, Action.WRITTEN_WARNING)
    services.outcome_propose(actor=alice, case=case, outcomes=misconduct, rationale="R")
    assert fresh(case).state == State.OUTCOME_PROPOSED


# --- Warnings against the subject's history -------------------------------------------------


@pytest.fixture
def with_live_fww(alice, bob):
    """A subject given a final written warning (approved) in an earlier case."""
    person = PersonFactory()
    outcome_approved(
        complaint(alice, person, supervisor=bob),
        alice,
        bob,
        forum=Forum.MEETING,
        action=Action.FINAL_WRITTEN_WARNING,
    )
    return person, Outcome.objects.get(track__person=person).live_until


def _at_hearing(alice, bob, person):
    case = decided(complaint(alice, person, supervisor=bob), alice, bob)
    track = only_track(case)
    with pytest.raises(DomainError, match="misconduct hearing"):
        refer(alice, track, Forum.MEETING)  # a live final written warning: a hearing
    refer(alice, track, Forum.HEARING)
    services.track_conclude_proceedings(actor=alice, track=only_track(case), held_on=days_ago(1))
    return fresh(case)


def test_no_warning_while_a_final_written_warning_is_live(alice, bob, with_live_fww):
    person, until = with_live_fww
    case = _at_hearing(alice, bob, person)
    before = snapshot(case)
    for action in (Action.WRITTEN_WARNING, Action.FINAL_WRITTEN_WARNING):
        with pytest.raises(DomainError, match="no further warning can be given"):
            services.outcome_propose(
                actor=alice,
                case=case,
                outcomes=outcomes_for(case, Finding.MISCONDUCT_PROVEN, action),
                rationale="R",
            )
    assert snapshot(case) == before
    decision = services.outcome_propose(
        actor=alice,
        case=case,
        outcomes=outcomes_for(
            case, Finding.MISCONDUCT_PROVEN, Action.FINAL_WRITTEN_WARNING_EXTENDED
        ),
        rationale="Extended",
    )
    services.decision_approve(actor=bob, decision=decision)
    extended = Outcome.objects.get(track__case=case)
    assert extended.live_until == add_months(until, 18)
    # Extended once only.
    again = _at_hearing(alice, bob, person)
    with pytest.raises(DomainError, match="already extended once"):
        services.outcome_propose(
            actor=alice,
            case=again,
            outcomes=outcomes_for(
                again, Finding.MISCONDUCT_PROVEN, Action.FINAL_WRITTEN_WARNING_EXTENDED
            ),
            rationale="R",
        )


def test_a_live_fww_in_the_history_allows_dismissal_for_misconduct(alice, bob, with_live_fww):
    person, _ = with_live_fww
    case = _at_hearing(alice, bob, person)
    outcomes = outcomes_for(case, Finding.MISCONDUCT_PROVEN, Action.DISMISSAL)
    assert not outcomes[0].prior_warning_or_several_matters  # CR 2020 reg 42(5) from history
    services.outcome_propose(actor=alice, case=case, outcomes=outcomes, rationale="R")
    assert fresh(case).state == State.OUTCOME_PROPOSED


def test_no_extension_without_a_live_final_written_warning(alice, bob):
    case = concluded(complaint(alice, supervisor=bob), alice, bob, forum=Forum.MEETING)
    with pytest.raises(DomainError, match="no final written warning in force"):
        services.outcome_propose(
            actor=alice,
            case=case,
            outcomes=outcomes_for(
                case, Finding.MISCONDUCT_PROVEN, Action.FINAL_WRITTEN_WARNING_EXTENDED
            ),
            rationale="R",
        )


def test_an_expired_final_written_warning_does_not_bar_a_warning(alice, bob, with_live_fww):
    person, until = with_live_fww
    Outcome.objects.filter(track__person=person).update(
        effective_on=until - datetime.timedelta(days=800), live_until=days_ago(1)
    )
    case = concluded(complaint(alice, person, supervisor=bob), alice, bob, forum=Forum.MEETING)
    services.outcome_propose(
        actor=alice,
        case=case,
        outcomes=outcomes_for(case, Finding.MISCONDUCT_PROVEN, Action.WRITTEN_WARNING),
        rationale="R",
    )
    assert fresh(case).state == State.OUTCOME_PROPOSED


def test_the_page_shows_the_live_warning_refusal(client, alice, bob, with_live_fww):
    person, _ = with_live_fww
    case = _at_hearing(alice, bob, person)
    track = only_track(case)
    allegation = case.allegations.get()
    key = f"{allegation.pk}_{track.pk}"
    client.force_login(alice)
    response = post_action(
        client,
        case,
        "propose_outcome",
        **{
            f"finding_{key}": Finding.MISCONDUCT_PROVEN,
            f"action_{key}": Action.WRITTEN_WARNING,
            "effective_on": days_ago(0).isoformat(),
            "rationale": "R",
        },
    )
    assert response.status_code == 400
    assert "no further warning can be given" in response.content.decode()
    assert fresh(case).state == State.PROCEEDINGS


def test_switched_off_the_bar_allows_a_warning_and_the_review_lists_it(
    alice, bob, with_live_fww, settings
):
    """The unverified rules are settings; warnings already given under a live final written
    warning are listed by ``manage.py handling_review`` for a person to check."""
    settings.PSD_NO_WARNING_WHILE_FWW_LIVE = False
    settings.PSD_LIVE_FWW_MEANS_HEARING = False
    person, _ = with_live_fww
    case = outcome_approved(
        complaint(alice, person, supervisor=bob), alice, bob, forum=Forum.MEETING
    )
    out = StringIO()
    call_command("handling_review", stdout=out)
    assert f"{case.reference}: allegation 1: “Written warning” was given while" in out.getvalue()


# --- Accelerated misconduct hearing: the subject's history (CR 2020 reg 62) ----------------


def _accelerated(alice, bob, person):
    return concluded(
        complaint(alice, person, supervisor=bob), alice, bob, forum=Forum.ACCELERATED_HEARING
    )


def _propose(alice, case, action):
    return services.outcome_propose(
        actor=alice,
        case=case,
        outcomes=outcomes_for(case, Finding.GROSS_MISCONDUCT_PROVEN, action),
        rationale="R",
    )


def test_an_accelerated_hearing_gives_no_final_written_warning_while_one_is_live(
    alice, bob, with_live_fww, settings
):
    """Reg 62(3): with a final written warning in force on the date of the severity
    assessment, "a final written warning must not be given" -- not a setting, and no
    extension either (reg 62(1) lists the outcomes the hearing can give)."""
    settings.PSD_NO_WARNING_WHILE_FWW_LIVE = False
    person, _ = with_live_fww
    case = _accelerated(alice, bob, person)
    before = snapshot(case)
    with pytest.raises(DomainError, match="must not be given at an accelerated"):
        _propose(alice, case, Action.FINAL_WRITTEN_WARNING)
    with pytest.raises(DomainError, match="does not extend a final written warning"):
        _propose(alice, case, Action.FINAL_WRITTEN_WARNING_EXTENDED)
    assert snapshot(case) == before
    _propose(alice, case, Action.DISMISSAL)
    assert fresh(case).state == State.OUTCOME_PROPOSED


def test_an_accelerated_hearing_gives_a_final_written_warning_without_a_live_one(alice, bob):
    case = _accelerated(alice, bob, PersonFactory())
    _propose(alice, case, Action.FINAL_WRITTEN_WARNING)
    assert fresh(case).state == State.OUTCOME_PROPOSED


def test_an_accelerated_hearing_does_not_reduce_in_rank_again(alice, bob):
    """Reg 62(7): an officer already reduced in rank by the date of the severity assessment
    may not be reduced in rank again; the refusal reads the approved outcomes."""
    person = PersonFactory(rank=Rank.objects.get(name="Inspector"))
    outcome_approved(
        complaint(alice, person, supervisor=bob),
        alice,
        bob,
        forum=Forum.HEARING,
        finding=Finding.GROSS_MISCONDUCT_PROVEN,
        action=Action.REDUCTION_IN_RANK,
    )
    case = _accelerated(alice, bob, person)
    before = snapshot(case)
    with pytest.raises(DomainError, match="already been reduced in rank"):
        _propose(alice, case, Action.REDUCTION_IN_RANK)
    assert snapshot(case) == before
    _propose(alice, case, Action.DISMISSAL)
    assert fresh(case).state == State.OUTCOME_PROPOSED


def test_the_register_lists_these_rules_with_their_citations():
    """Verified where the text was read; the others say "(unverified)" and are settings."""
    expected = {
        "track_refer_to_proceedings_refusal": "CR 2020 reg 23(1)(b)-(c); reg 30",
        "track_assess_severity_refusal": "CR 2020 reg 14; C&M Regs 2020 reg 19(3)-(5)",
        "track_no_action_refusal": "CR 2020 reg 23(1)(b), (5) (unverified)",
        "case_to_answer_refusal": "CR 2020 reg 23(1)(a)-(b); reg 17 (unverified)",
        "forum_refusal": "CR 2020 reg 23(1)(c), reg 42(5) (unverified)",
        "finding_beyond_case_refusal": "CR 2020 reg 41(15); reg 23(1)(a) (unverified)",
        "warning_history_refusal": "CR 2020 reg 42(7)-(10) (unverified)",
        "accelerated_history_refusal": "CR 2020 reg 62(1), (3), (7) (as in force 1 February "
        "2020; the amendments of SI 2025/558 reg 17 not read)",
        "validate_outcome": "CR 2020 reg 4(1)-(2); reg 42(1)-(3), (5), (6) (as made; the "
        "amendments of SI 2025/558 reg 15 not read); Sch 1 para 1",
        "case_propose_case_to_answer_refusal": "CR 2020 reg 23(1); reg 21(1)",
    }
    for name, citation in expected.items():
        assert REGISTER[name].rule.citation == citation
