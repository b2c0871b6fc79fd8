"""Service guards: bad input refused with a readable reason and nothing saved; stale edits;
the statutory clocks each service opens and closes."""

import datetime

import pytest
from django.utils import timezone

from cases import services
from cases.models import (
    Action,
    Case,
    CaseType,
    Forum,
    InvestigationMode,
    Outcome,
    OutcomeStatus,
    ReviewResult,
    Severity,
    State,
    TrackState,
)
from cases.services import AllegationData, ComplainantData
from deadlines.calendar import add_months, add_working_days
from psd.domain import DomainError, StaleObject
from tests.accounts.factories import PersonFactory
from tests.cases.factories import (
    OUTSIDE_NO,
    allegation,
    category,
    complaint,
    conduct_matter,
    criterion,
    days_ago,
    to_handling_decided,
)
from tests.cases.routes import (
    awaiting_iopc,
    deadline,
    decided,
    finalised,
    fresh,
    investigating,
    open_deadlines,
    outcomes_for,
    report_submitted,
    snapshot,
)

pytestmark = pytest.mark.django_db


def refused(case, words, call):
    """``call`` is refused with ``words`` in its message, and the case is untouched."""
    before = snapshot(case)
    with pytest.raises(DomainError, match=words) as error:
        call()
    assert snapshot(case) == before
    return error.value


# --- Intake ---------------------------------------------------------------------------------
def test_future_date_of_receipt_is_refused_and_no_case_is_made(alice):
    with pytest.raises(DomainError, match="date received cannot be in the future") as error:
        complaint(alice, received=-1)
    assert error.value.field == "received_on"
    assert not Case.objects.exists()


def test_allegation_with_no_subject_and_not_about_the_force_is_refused(alice):
    with pytest.raises(DomainError, match="at least one subject, or must be about the force"):
        complaint(alice, allegations=[allegation()])
    assert not Case.objects.exists()


def test_allegation_about_the_force_needs_no_subject(alice):
    case = complaint(alice, allegations=[allegation(about_force=True)])
    assert case.allegations.get().about_force and not case.tracks.exists()


def test_the_same_person_twice_in_one_allegation_is_refused(alice):
    officer = PersonFactory()
    with pytest.raises(DomainError, match="named twice"):
        complaint(alice, allegations=[allegation(officer, officer)])


def test_complaint_needs_a_complainant_with_a_name_unless_anonymous(alice):
    with pytest.raises(DomainError, match="needs a complainant"):
        services.case_create(
            actor=alice,
            case_type=CaseType.COMPLAINT,
            summary="x",
            received_on=days_ago(1),
            allegations=[allegation(PersonFactory())],
        )
    with pytest.raises(DomainError, match="complainant's name"):
        services.case_create(
            actor=alice,
            case_type=CaseType.COMPLAINT,
            summary="x",
            received_on=days_ago(1),
            complainants=[ComplainantData()],
        )
    case = services.case_create(
        actor=alice,
        case_type=CaseType.COMPLAINT,
        summary="x",
        received_on=days_ago(1),
        complainants=[ComplainantData(anonymous=True)],
        allegations=[allegation(PersonFactory())],
    )
    assert str(case.complainants.get()) == "Anonymous complainant"


def test_allegation_add_to_a_case_then_refused_once_past_investigation(alice, bob):
    officer = PersonFactory()
    case = complaint(alice, supervisor=bob)
    version = case.version
    services.allegation_add(
        actor=alice, case=case, data=allegation(officer), expected_version=version
    )
    case = fresh(case)
    assert case.version == version + 1 and case.allegations.count() == 2
    assert case.tracks.filter(person=officer).exists()
    with pytest.raises(DomainError, match="at least one subject"):
        services.allegation_add(actor=alice, case=case, data=allegation())
    case = report_submitted(case, alice, bob)
    refused(
        case,
        "can no longer be added",
        lambda: services.allegation_add(actor=alice, case=case, data=allegation(officer)),
    )


def test_recorded_date_must_fall_between_receipt_and_today(alice):
    case = complaint(alice, received=10)
    for bad in (days_ago(11), days_ago(-1)):
        refused(
            case,
            "between the date received and today",
            lambda bad=bad: services.case_record(actor=alice, case=case, recorded_on=bad),
        )


def test_a_complaint_or_conduct_matter_without_allegations_is_not_created(alice):
    for case_type in (
        CaseType.COMPLAINT,
        CaseType.CONDUCT_MATTER,
        CaseType.RECORDABLE_CONDUCT_MATTER,
    ):
        with pytest.raises(DomainError, match="Add at least one allegation") as error:
            services.case_create(
                actor=alice,
                case_type=case_type,
                summary="x",
                received_on=days_ago(1),
                complainants=[ComplainantData(name="Pat")],
            )
        assert error.value.field == "allegations"
    assert not Case.objects.exists()


def test_dates_outside_1990_to_2100_are_refused_by_the_service(alice):
    for day in (datetime.date(1989, 12, 31), datetime.date(202, 1, 1)):
        with pytest.raises(DomainError, match="Give a date from 01/01/1990") as error:
            complaint(alice, received=(timezone.localdate() - day).days)
        assert error.value.field == "received_on"
    assert not Case.objects.exists()


def test_a_dsi_matter_without_allegations_is_created_but_cannot_be_recorded(alice):
    case = services.case_create(
        actor=alice, case_type=CaseType.DSI, summary="x", received_on=days_ago(1)
    )
    refused(
        case, "Add at least one allegation", lambda: services.case_record(actor=alice, case=case)
    )


def test_outside_schedule_3_needs_a_reason_then_may_be_recorded_or_resolved(alice):
    case = complaint(alice)
    refused(
        case,
        "Say why",
        lambda: services.case_handle_outside_schedule_3(
            answers=OUTSIDE_NO, actor=alice, case=case, reason=" "
        ),
    )
    services.case_handle_outside_schedule_3(
        answers=OUTSIDE_NO, actor=alice, case=case, reason="Quick resolution"
    )
    case = fresh(case)
    assert case.state == State.OUTSIDE_SCH3 and case.handling == "outside"
    services.case_record(actor=alice, case=case, reason="Complainant asked")
    case = fresh(case)
    assert case.state == State.RECORDED and case.handling == "sch3"

    other = complaint(alice)
    services.case_handle_outside_schedule_3(
        answers=OUTSIDE_NO, actor=alice, case=other, reason="Quick"
    )
    services.case_resolve_outside(actor=alice, case=other, reason="Apology accepted")
    other = fresh(other)
    assert other.state == State.FINALISED and other.finalised_at


def test_conduct_matter_cannot_be_handled_outside_schedule_3_or_withdrawn(alice, bob):
    case = conduct_matter(alice)
    refused(
        case,
        "Only complaints",
        lambda: services.case_handle_outside_schedule_3(
            answers=OUTSIDE_NO, actor=alice, case=case, reason="x"
        ),
    )
    case = investigating(case, alice, bob)
    refused(
        case, "Only complaints", lambda: services.case_withdraw(actor=alice, case=case, reason="x")
    )


# --- Stale edits ----------------------------------------------------------------------------
def test_stale_edit_is_refused_with_a_message_to_reload_and_nothing_saved(alice, bob):
    case = complaint(alice, supervisor=bob)
    stale_version = case.version
    services.case_record(actor=alice, case=case)  # someone else moved it on
    case = fresh(case)
    before = snapshot(case)
    with pytest.raises(StaleObject, match="Reload the page"):
        services.case_assess_referral(
            actor=alice, case=case, criteria=[], rationale="x", expected_version=stale_version
        )
    with pytest.raises(StaleObject):
        services.allegation_add(
            actor=alice,
            case=case,
            data=allegation(PersonFactory()),
            expected_version=stale_version,
        )
    assert snapshot(case) == before
    services.case_assess_referral(
        actor=alice, case=case, criteria=[], rationale="x", expected_version=case.version
    )
    assert fresh(case).state == State.REFERRAL_ASSESSMENT


# --- IOPC referral --------------------------------------------------------------------------
def test_mandatory_criterion_keeps_the_case_from_leaving_without_referral(alice, bob):
    case = complaint(alice, supervisor=bob)
    services.case_record(actor=alice, case=case)
    services.case_assess_referral(
        actor=alice, case=case, criteria=[criterion("serious_assault")], rationale="Assault"
    )
    case = fresh(case)
    refused(
        case,
        "must be referred to the IOPC",
        lambda: services.case_propose_no_referral(actor=alice, case=case, rationale="No"),
    )


def test_dsi_and_called_in_matters_must_be_referred(alice):
    dsi = services.case_create(
        actor=alice,
        case_type=CaseType.DSI,
        summary="Death after contact",
        received_on=days_ago(2),
        allegations=[allegation(about_force=True)],
    )
    services.case_record(actor=alice, case=dsi)
    services.case_assess_referral(actor=alice, case=dsi, criteria=[], rationale="DSI")
    assert services.referral_required(fresh(dsi))
    refused(
        dsi,
        "must be referred",
        lambda: services.case_propose_no_referral(actor=alice, case=dsi, rationale="x"),
    )
    called = conduct_matter(alice)
    services.case_record(actor=alice, case=called, recordable_grounds=["referral"])
    services.case_assess_referral(
        actor=alice, case=called, criteria=[], rationale="Called in", called_in=True
    )
    assert services.referral_required(fresh(called))


def test_referral_needs_an_assessment_and_a_past_date(alice):
    case = complaint(alice)
    services.case_record(actor=alice, case=case)
    case = fresh(case)
    refused(
        case,
        "Record the referral assessment",
        lambda: services.case_refer_to_iopc(actor=alice, case=case),
    )
    services.case_assess_referral(actor=alice, case=case, criteria=[], rationale="Voluntary")
    case = fresh(case)
    refused(
        case,
        "cannot be in the future",
        lambda: services.case_refer_to_iopc(actor=alice, case=case, referred_on=days_ago(-1)),
    )


def test_iopc_decision_mode_and_date_are_checked(alice):
    case = awaiting_iopc(complaint(alice), alice, criterion("serious_assault"))
    for kwargs, words in [
        ({"mode": "otbi"}, "Choose the IOPC's decision"),
        ({"mode": "local", "decided_on": days_ago(6)}, "between the referral and today"),
        ({"mode": "local", "decided_on": days_ago(-1)}, "between the referral and today"),
    ]:
        refused(
            case,
            words,
            lambda kwargs=kwargs: services.case_record_iopc_decision(
                actor=alice, case=case, **kwargs
            ),
        )
    services.case_record_iopc_decision(actor=alice, case=case, mode=InvestigationMode.DIRECTED)
    case = fresh(case)
    assert case.state == State.HANDLING_DECIDED
    assert case.investigation_mode == InvestigationMode.DIRECTED
    assert case.referrals.get().mode == InvestigationMode.DIRECTED
    refused(
        case,
        "Only complaints the IOPC has not directed",
        lambda: services.case_handle_otbi(actor=alice, case=case, reason="Apology"),
    )


# --- Tracks ---------------------------------------------------------------------------------
def test_severity_is_assessed_only_once_handling_is_decided(alice):
    case = complaint(alice)
    track = case.tracks.get()
    refused(
        case,
        "once the handling of the case is decided",
        lambda: services.track_assess_severity(
            actor=alice, track=track, severity=Severity.MISCONDUCT, rationale="x"
        ),
    )


def test_severity_needs_a_known_value_and_reasons(alice, bob):
    case = investigating(complaint(alice, supervisor=bob), alice, bob)
    track = case.tracks.get()
    for severity, rationale, words in [("bad", "x", "Choose a severity"), ("pri", " ", "reasons")]:
        refused(
            case,
            words,
            lambda s=severity, r=rationale: services.track_assess_severity(
                actor=alice, track=track, severity=s, rationale=r
            ),
        )


def test_report_waits_for_every_severity(alice, bob):
    first, second = PersonFactory(forename="Ann", surname="Lee"), PersonFactory()
    case = investigating(complaint(alice, first, second, supervisor=bob), alice, bob)
    services.track_assess_severity(
        actor=alice, track=case.tracks.get(person=second), severity="none", rationale="x"
    )
    refused(
        case,
        "Assess severity first for: Ann Lee",
        lambda: services.case_submit_report(actor=alice, case=case, summary="Report"),
    )


def test_notice_only_for_misconduct_and_not_in_the_future(alice, bob):
    case = investigating(complaint(alice, supervisor=bob), alice, bob)
    track = case.tracks.get()
    services.track_assess_severity(actor=alice, track=track, severity="pri", rationale="PRI")
    refused(
        case,
        "only for misconduct or gross misconduct",
        lambda: services.track_serve_notice(actor=alice, track=track),
    )
    services.track_assess_severity(actor=alice, track=track, severity="misconduct", rationale="M")
    refused(
        case,
        "cannot be in the future",
        lambda: services.track_serve_notice(actor=alice, track=track, served_on=days_ago(-1)),
    )


def test_rprp_only_from_pri_or_no_case_to_answer(alice, bob):
    case = investigating(complaint(alice, supervisor=bob), alice, bob)
    track = case.tracks.get()
    services.track_assess_severity(actor=alice, track=track, severity="misconduct", rationale="M")
    refused(
        case,
        "Reflective practice follows",
        lambda: services.track_refer_to_rprp(actor=alice, track=track, reason="x"),
    )
    refused(
        case,
        "No further action follows only from a severity of no misconduct",
        lambda: services.track_no_action(actor=alice, track=track, reason="x"),
    )

    other = decided(complaint(alice, supervisor=bob), alice, bob, answer=False)
    track = other.tracks.get()
    assert track.state == TrackState.NO_CASE_TO_ANSWER
    rprp = services.track_refer_to_rprp(actor=alice, track=track, reason="PRI after all")
    assert rprp.account_due == add_working_days(rprp.notice_on, 5)
    assert fresh(other).tracks.get().severity == Severity.MISCONDUCT


def test_case_to_answer_proposal_covers_every_waiting_subject(alice, bob):
    case = report_submitted(complaint(alice, PersonFactory(), PersonFactory()), alice, bob)
    first = case.tracks.first()
    refused(
        case,
        "for every subject awaiting one",
        lambda: services.case_propose_case_to_answer(
            actor=alice, case=case, answers={first.pk: True}, rationale="x"
        ),
    )


@pytest.mark.parametrize(
    ("forum", "severity", "special", "days", "words"),
    [
        # No invented notice period for meetings and hearings (CR 2020 regs 34-35 not read):
        # only a date after the notice. Accelerated hearings: CR 2020 reg 52(1).
        (Forum.MEETING, Severity.MISCONDUCT, False, 0, "after the notice"),
        (Forum.HEARING, Severity.GROSS_MISCONDUCT, False, 0, "after the notice"),
        (Forum.ACCELERATED_HEARING, Severity.GROSS_MISCONDUCT, True, 9, "not less than 10"),
        (Forum.ACCELERATED_HEARING, Severity.GROSS_MISCONDUCT, True, 16, "not more than 15"),
        (Forum.MEETING, Severity.GROSS_MISCONDUCT, False, 12, "only for a case to answer for misc"),
        (Forum.ACCELERATED_HEARING, Severity.GROSS_MISCONDUCT, False, 12, "special case"),
        ("panel", Severity.MISCONDUCT, False, 12, "Choose a meeting"),
    ],
)
def test_proceedings_forum_and_notice_are_checked(
    alice, bob, forum, severity, special, days, words
):
    case = decided(complaint(alice), alice, bob, severity=severity, special_case=special)
    track = case.tracks.get()
    notice_on = days_ago(60)
    refused(
        case,
        words,
        lambda: services.track_refer_to_proceedings(
            actor=alice,
            track=track,
            forum=forum,
            notice_on=notice_on,
            date=add_working_days(notice_on, days),
        ),
    )


def test_proceedings_cannot_conclude_in_the_future(alice, bob):
    case = decided(complaint(alice), alice, bob)
    track = case.tracks.get()
    notice_on = days_ago(60)
    services.track_refer_to_proceedings(
        actor=alice,
        track=track,
        forum=Forum.MEETING,
        notice_on=notice_on,
        date=add_working_days(notice_on, 10),
    )
    assert fresh(case).state == State.PROCEEDINGS
    refused(
        case,
        "cannot conclude in the future",
        lambda: services.track_conclude_proceedings(actor=alice, track=track, held_on=days_ago(-1)),
    )


def test_outcome_cannot_be_proposed_while_a_track_is_open(alice, bob):
    officer = PersonFactory(forename="Kim", surname="Hart")
    case = decided(complaint(alice, officer), alice, bob)
    refused(
        case,
        "tracks are still open: Kim Hart",
        lambda: services.outcome_propose(actor=alice, case=case, outcomes=[], rationale="x"),
    )


def test_one_pending_proposal_of_a_kind_and_reasons_required(alice):
    case = complaint(alice)
    services.case_record(actor=alice, case=case)
    services.case_assess_referral(actor=alice, case=case, criteria=[], rationale="x")
    case = fresh(case)
    refused(
        case,
        "Give the reasons for your proposal",
        lambda: services.case_propose_no_referral(actor=alice, case=case, rationale=" "),
    )
    services.case_propose_no_referral(actor=alice, case=case, rationale="None")
    case = fresh(case)
    refused(
        case,
        "already waiting for approval",
        lambda: services.case_propose_no_referral(actor=alice, case=case, rationale="Again"),
    )


# --- Closing --------------------------------------------------------------------------------
def test_withdrawal_needs_a_reason_closes_clocks_and_may_continue_as_conduct(alice, bob):
    officer = PersonFactory()
    case = complaint(
        alice,
        officer,
        supervisor=bob,
        allegations=[allegation(officer), allegation(about_force=True)],
    )
    services.case_record(actor=alice, case=case)
    case = fresh(case)
    refused(case, "Record how", lambda: services.case_withdraw(actor=alice, case=case, reason=""))
    services.case_withdraw(
        actor=alice, case=case, reason="Letter of 3 March", continue_as_conduct=True
    )
    case = fresh(case)
    assert case.state == State.WITHDRAWN and case.finalised_at
    assert set(case.allegations.values_list("withdrawn", flat=True)) == {True}
    assert open_deadlines(case) == set()
    conduct = Case.objects.get(linked_case=case)
    assert conduct.case_type == CaseType.CONDUCT_MATTER and conduct.state == State.RECEIVED
    assert list(conduct.allegations.values_list("about_force", flat=True)) == [False]
    assert conduct.tracks.get().person == officer


def test_referred_case_is_discontinued_only_with_iopc_agreement(alice, bob, carol):
    case = awaiting_iopc(complaint(alice), alice, criterion("serious_assault"))
    services.case_record_iopc_decision(actor=alice, case=case, mode=InvestigationMode.INDEPENDENT)
    case = fresh(case)
    refused(
        case,
        "only with the IOPC's agreement",
        lambda: services.case_discontinue(actor=carol, case=case, reason="No evidence"),
    )
    refused(
        case,
        "Give the reasons",
        lambda: services.case_discontinue(actor=carol, case=case, reason="", iopc_agreed=True),
    )
    services.case_discontinue(actor=carol, case=case, reason="No evidence", iopc_agreed=True)
    case = fresh(case)
    assert case.state == State.DISCONTINUED and open_deadlines(case) == set()


# --- Clocks ---------------------------------------------------------------------------------
def test_twelve_month_report_clock_opens_on_record_and_repeats_every_six_months(alice, bob):
    case = complaint(alice, supervisor=bob, received=380)
    assert open_deadlines(case) == set()
    services.case_record(actor=alice, case=case)
    twelve = deadline(case, "twelve_month_report")
    assert twelve.status == "open" and twelve.trigger_date == days_ago(380)
    # C&M Regs 2020 reg 13(3)(a): the 12 months starting with the day the complaint was made
    # end the day before the same date a year on.
    assert twelve.due_date == add_months(days_ago(380), 12) - datetime.timedelta(days=1)
    assert twelve.owner == alice and twelve.escalate_to == bob
    services.case_record_twelve_month_report(actor=alice, case=case, summary="Delayed by CPS")
    assert deadline(case, "twelve_month_report").status == "met"
    assert open_deadlines(case) == {"six_month_repeat"}
    # reg 13(3)(b): the next period starts the day after the first ended.
    assert deadline(case, "six_month_repeat").trigger_date == twelve.due_date + datetime.timedelta(
        days=1
    )


def test_reg18_clock_opens_on_notice_and_is_met_on_representations(alice, bob):
    case = investigating(complaint(alice, supervisor=bob), alice, bob)
    track = case.tracks.get()
    services.track_assess_severity(actor=alice, track=track, severity="misconduct", rationale="M")
    with pytest.raises(DomainError, match="follow a regulation 17 notice"):
        services.track_representations_received(actor=alice, track=track)
    services.track_serve_notice(actor=alice, track=track, served_on=days_ago(3))
    clock = deadline(track, "reg17_representations")
    # CR 2020 reg 18: 10 working days from the notice.
    assert clock.status == "open" and clock.due_date == add_working_days(days_ago(3), 10)
    services.track_representations_received(actor=alice, track=track)
    assert deadline(track, "reg17_representations").status == "met"


def test_iopc_follow_up_opens_on_referral_and_is_met_on_decision(alice):
    case = awaiting_iopc(complaint(alice), alice, criterion("serious_sexual_offence"))
    assert "iopc_decision_followup" in open_deadlines(case)
    services.case_record_iopc_decision(actor=alice, case=case, mode=InvestigationMode.LOCAL)
    assert "iopc_decision_followup" not in open_deadlines(case)
    assert deadline(case, "iopc_decision_followup").status == "met"


def test_finalisation_closes_the_twelve_month_clock_and_opens_the_review_window(alice, bob):
    case = finalised(complaint(alice, supervisor=bob), alice, bob, sent_on=days_ago(2))
    assert open_deadlines(case) == {"review_window"}
    window = deadline(case, "review_window")
    # C&M Regs 2020 reg 29(2): 28 days beginning with the day after the outcome was sent.
    assert window.due_date == days_ago(2) + datetime.timedelta(days=28)
    assert services.review_deadline(case) == window.due_date
    assert deadline(case, "twelve_month_report").status == "cancelled"


def test_review_in_window_meets_the_clock_and_upheld_reopens_investigation(alice, bob):
    case = finalised(complaint(alice, supervisor=bob), alice, bob, sent_on=days_ago(28))
    review = services.case_request_review(actor=alice, case=case, received_on=days_ago(0))
    assert not review.out_of_time_accepted
    assert deadline(case, "review_window").status == "met"
    assert fresh(case).state == State.REVIEW_REQUESTED
    services.case_record_review_result(actor=alice, case=case, result=ReviewResult.UPHELD)
    case = fresh(case)
    assert case.state == State.INVESTIGATION and case.finalised_at is None
    assert "twelve_month_report" in open_deadlines(case)


def test_review_not_upheld_returns_to_finalised(alice, bob):
    case = finalised(complaint(alice, supervisor=bob), alice, bob)
    services.case_request_review(actor=alice, case=case, received_on=timezone.localdate())
    services.case_record_review_result(actor=alice, case=case, result=ReviewResult.NOT_UPHELD)
    assert fresh(case).state == State.FINALISED
    assert case.reviews.get().result == ReviewResult.NOT_UPHELD


def test_review_out_of_window_refused_unless_accepted_with_a_reason(alice, bob):
    case = finalised(
        complaint(alice, supervisor=bob, received=60), alice, bob, sent_on=days_ago(29)
    )
    for accepted, reason in [(False, ""), (True, " "), (False, "Illness")]:
        refused(
            case,
            "review window closed",
            lambda a=accepted, r=reason: services.case_request_review(
                actor=alice,
                case=case,
                received_on=days_ago(0),
                out_of_time_accepted=a,
                extension_reason=r,
            ),
        )
    review = services.case_request_review(
        actor=alice,
        case=case,
        received_on=days_ago(0),
        out_of_time_accepted=True,
        extension_reason="Complainant was in hospital",
    )
    assert review.out_of_time_accepted and review.extension_reason


def test_conduct_matter_has_no_complainant_review(alice, bob):
    case = finalised(conduct_matter(alice, supervisor=bob), alice, bob, sent_on=days_ago(1))
    refused(
        case,
        "Only a complaint",
        lambda: services.case_request_review(actor=alice, case=case, received_on=days_ago(0)),
    )


def test_twelve_month_report_refused_on_a_closed_case(alice, bob):
    case = finalised(complaint(alice, supervisor=bob), alice, bob)
    # A finalised case is not "closed" for a review, but the report is about open cases.
    assert case.is_closed
    refused(
        case,
        "The case is closed",
        lambda: services.case_record_twelve_month_report(actor=alice, case=case),
    )


def test_handling_otbi_needs_a_reason(alice, bob):
    case = to_handling_decided(complaint(alice, supervisor=bob), alice, bob)
    refused(case, "Say how", lambda: services.case_handle_otbi(actor=alice, case=case, reason=""))
    services.case_handle_otbi(actor=alice, case=case, reason="Apology")
    assert fresh(case).investigation_mode == InvestigationMode.OTBI


def test_allegation_data_category_is_kept(alice):
    data = AllegationData(
        summary="Rude", category=category("Individual behaviours"), about_force=True
    )
    case = complaint(alice, allegations=[data])
    assert case.allegations.get().category.name == "Individual behaviours"


def test_review_upheld_reinvestigation_ends_in_a_new_outcome(alice, bob):
    """C&M Regs 2020 reg 30: the upheld review's reinvestigation replaces the old outcome."""
    case = finalised(complaint(alice, supervisor=bob), alice, bob)
    old = Outcome.objects.get(allegation__case=case)
    services.case_request_review(actor=alice, case=case, received_on=timezone.localdate())
    services.case_record_review_result(actor=alice, case=case, result=ReviewResult.UPHELD)
    old.refresh_from_db()
    assert old.status == OutcomeStatus.SUPERSEDED
    case = fresh(case)
    services.case_submit_report(actor=alice, case=case, summary="Reinvestigated")
    decision = services.case_propose_case_to_answer(
        actor=alice, case=case, answers={}, rationale="As before"
    )
    services.decision_approve(actor=bob, decision=decision)
    case = fresh(case)
    decision = services.outcome_propose(
        actor=alice,
        case=case,
        outcomes=outcomes_for(case, action=Action.FINAL_WRITTEN_WARNING),
        rationale="Reinvestigation found it more serious",
    )
    services.decision_approve(actor=bob, decision=decision)
    new = Outcome.objects.get(allegation__case=case, status=OutcomeStatus.APPROVED)
    assert new != old and new.action == Action.FINAL_WRITTEN_WARNING
    assert fresh(case).state == State.OUTCOME_APPROVED


def test_withdrawing_refuses_pending_proposals(alice, bob):
    from cases.models import Decision
    from tests.cases.factories import complaint as make_complaint

    case = make_complaint(alice, supervisor=bob)
    services.case_record(actor=alice, case=case)
    services.case_assess_referral(actor=alice, case=case, criteria=[], rationale="None met")
    decision = services.case_propose_no_referral(actor=alice, case=case, rationale="None met")
    services.case_withdraw(actor=alice, case=case, reason="Complainant withdrew by letter")
    decision.refresh_from_db()
    assert decision.status == "refused"
    assert decision.decision_reason == "Complaint withdrawn"
    assert not Decision.objects.filter(case=case, status="pending").exists()
