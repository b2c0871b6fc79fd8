"""Issue 19, clocks 1-7: every statutory clock's period (bank holidays, "beginning with" against
"after"), when it opens, what closes it, extensions with reasons, suspension, the review window
and the review body."""

import datetime

import pytest
from django.conf import settings
from django.utils import timezone

from accounts.models import Rank
from cases import clocks, services
from cases.models import (
    Finding,
    Forum,
    InvestigationMode,
    ReviewBody,
    Severity,
    State,
    SuspensionReason,
)
from cases.services import OutcomeData
from cases.services.aftercare import review_body_reasons
from deadlines.calendar import WorkingCalendar
from deadlines.models import DeadlineExtension, DeadlineKind
from deadlines.services import due_date_for
from psd.domain import DomainError, PermissionDenied
from psd.rules import REGISTER
from tests.accounts.factories import PersonFactory
from tests.cases.factories import (
    allegation,
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
    report_submitted,
)

pytestmark = pytest.mark.django_db
D = datetime.date


def due(code: str, trigger: datetime.date) -> datetime.date:
    return due_date_for(DeadlineKind.objects.get(code=code), trigger, WorkingCalendar())


# --- The periods: bank holidays, "beginning with" against "after" ---------------------------
@pytest.mark.parametrize(
    ("code", "trigger", "expected"),
    [
        # PRA 2002 Sch 3; C&M Regs 2020 reg 4 (unverified period): the day after.
        ("iopc_referral", D(2024, 3, 28), D(2024, 3, 29)),
        # CR 2020 reg 31(1): 15 working days beginning with the first working day after the
        # documents: Good Friday 29 March and Easter Monday 1 April 2024 do not count.
        ("reg31_response", D(2024, 3, 28), D(2024, 4, 22)),
        # CR 2020 reg 33(1)(a): the same count from the documents reaching the chair.
        ("reg33_prehearing", D(2024, 12, 20), D(2025, 1, 15)),
        # CR 2020 reg 18: 10 working days over Christmas, Boxing Day and New Year's Day.
        ("reg17_representations", D(2025, 12, 19), D(2026, 1, 7)),
        # C&M Regs 2020 reg 13(3)(a): 12 months *starting with* the day the complaint was made.
        ("twelve_month_report", D(2024, 3, 10), D(2025, 3, 9)),
        ("twelve_month_report", D(2023, 3, 1), D(2024, 2, 29)),
        ("twelve_month_report", D(2024, 2, 29), D(2025, 2, 28)),
        # reg 13(3)(b): each 6 months starting with the day after the previous period.
        ("six_month_repeat", D(2025, 3, 10), D(2025, 9, 9)),
        ("six_month_repeat", D(2024, 8, 31), D(2025, 2, 28)),
        # C&M Regs 2020 reg 29(2): 28 days starting with the day after the information.
        ("review_window", D(2024, 3, 4), D(2024, 4, 1)),
        # C&M Regs 2020 reg 34(2)(a): within four weeks.
        ("complainant_update", D(2024, 12, 20), D(2025, 1, 17)),
        # Barred List Regs 2017 reg 3: 5 working days *beginning with* Monday 4 March 2024.
        ("barred_list_report", D(2024, 3, 4), D(2024, 3, 8)),
    ],
)
def test_each_clock_counts_as_its_regulation_says(code, trigger, expected):
    assert due(code, trigger) == expected


def test_beginning_with_counts_the_trigger_day_and_after_does_not():
    calendar = WorkingCalendar()
    monday = D(2024, 3, 4)
    assert calendar.add_working_days(monday, 5, beginning_with=True) == D(2024, 3, 8)
    assert calendar.add_working_days(monday, 5) == D(2024, 3, 11)
    # A trigger on a bank holiday: "beginning with" starts on the next working day.
    good_friday = D(2024, 3, 29)
    assert calendar.add_working_days(good_friday, 1, beginning_with=True) == D(2024, 4, 2)


def test_the_invented_notice_periods_are_gone():
    assert not DeadlineKind.objects.filter(code__in=["meeting_notice", "hearing_notice"]).exists()
    for name in ("PSD_MEETING_NOTICE_WORKING_DAYS", "PSD_HEARING_NOTICE_WORKING_DAYS"):
        assert not hasattr(settings, name)
    fixed = DeadlineKind.objects.get(code="proceedings_fixed")
    assert not fixed.has_rule  # due on the date fixed, no invented period


def test_every_clock_is_in_the_register_with_its_citation():
    for code in (
        "iopc_referral",
        "twelve_month_report",
        "six_month_repeat",
        "reg17_representations",
        "reg31_response",
        "reg33_prehearing",
        "proceedings_fixed",
        "review_window",
        "complainant_update",
    ):
        entry = REGISTER[code]
        assert entry.kind == "clock" and entry.rule.source
    assert REGISTER["reg31_response"].rule.verified
    assert REGISTER["complainant_update"].rule.citation == "C&M Regs 2020 reg 34(2)(a)"
    assert REGISTER["iopc_referral"].rule.citation.endswith("(unverified)")


# --- 1. Referral to the IOPC ------------------------------------------------------------------
def test_an_assessment_finding_a_criterion_starts_the_referral_clock_and_referral_meets_it(alice):
    case = complaint(alice)
    services.case_record(actor=alice, case=case)
    assert "iopc_referral" not in open_deadlines(case)
    services.case_assess_referral(
        actor=alice, case=case, criteria=[criterion("serious_assault")], rationale="Met"
    )
    clock = deadline(case, "iopc_referral")
    assert clock.due_date == timezone.localdate() + datetime.timedelta(days=1)
    services.case_refer_to_iopc(actor=alice, case=case)
    assert deadline(case, "iopc_referral").status == "met"
    assert "iopc_decision_followup" in open_deadlines(case)


def test_a_dsi_matter_starts_the_referral_clock_when_recorded(alice):
    case = services.case_create(
        actor=alice,
        case_type="dsi",
        summary="Death after contact",
        received_on=days_ago(2),
        allegations=[allegation(about_force=True)],
    )
    services.case_record(actor=alice, case=case)
    assert "iopc_referral" in open_deadlines(case)
    assert "iopc_decision_followup" not in open_deadlines(case)


def test_a_later_assessment_without_a_criterion_stops_the_referral_clock(alice):
    case = complaint(alice)
    services.case_record(actor=alice, case=case)
    services.case_assess_referral(
        actor=alice, case=case, criteria=[criterion("serious_assault")], rationale="Met"
    )
    services.case_assess_referral(actor=alice, case=case, criteria=[], rationale="On reflection")
    assert deadline(case, "iopc_referral").status == "cancelled"


# --- 4. The 12-month report and each further 6-month period ---------------------------------
def test_periods_follow_the_law_not_the_day_the_report_was_made(alice, bob):
    case = investigating(complaint(alice, supervisor=bob, received=400), alice, bob)
    first = deadline(case, "twelve_month_report")
    received = fresh(case).received_on
    assert first.trigger_date == received
    assert first.due_date == due("twelve_month_report", received)
    # Reported late, well after the period ended: the next period still starts the day after.
    reported_on = days_ago(3)
    services.case_record_twelve_month_report(actor=alice, case=case, reported_on=reported_on)
    assert deadline(case, "twelve_month_report").status == "met"
    second = deadline(case, "six_month_repeat")
    assert second.trigger_date == first.due_date + datetime.timedelta(days=1)
    assert second.due_date == due("six_month_repeat", second.trigger_date)


def test_the_report_is_made_after_the_period_ends(alice, bob):
    case = investigating(complaint(alice, supervisor=bob, received=30), alice, bob)
    period_end = deadline(case, "twelve_month_report").due_date
    with pytest.raises(DomainError, match=f"ends on {period_end:%d/%m/%Y}"):
        services.case_record_twelve_month_report(actor=alice, case=case)


def test_the_periods_end_when_the_investigation_is_concluded_not_at_finalisation(alice, bob):
    case = report_submitted(complaint(alice, supervisor=bob), alice, bob)
    clock = deadline(case, "twelve_month_report")
    assert clock.status == "cancelled"
    assert clock.cancelled_reason == "Investigation concluded (report submitted)"


def test_no_force_clock_for_an_iopc_directed_investigation(alice, bob):
    case = awaiting_iopc(complaint(alice, supervisor=bob), alice, criterion("serious_assault"))
    services.case_record_iopc_decision(actor=alice, case=case, mode=InvestigationMode.DIRECTED)
    case = fresh(case)
    assert "twelve_month_report" not in open_deadlines(case)
    assert "reg 13(2)" in deadline(case, "twelve_month_report").cancelled_reason
    assert "Director General" in clocks.twelve_month_duty(case)
    with pytest.raises(DomainError, match="Director General"):
        services.case_record_twelve_month_report(actor=alice, case=case)


def test_who_reports_for_a_local_complaint_and_a_conduct_matter(alice):
    assert "Director General" not in clocks.twelve_month_duty(complaint(alice))
    assert "reg 13(1)" in clocks.twelve_month_duty(complaint(alice))
    assert "CR 2020 reg 19(1)" in clocks.twelve_month_duty(conduct_matter(alice))


# --- 2 and 3. The reg 18 window: extension, filing the report, overtaken --------------------
def _noticed(alice, bob, served=0):
    case = investigating(complaint(alice, supervisor=bob), alice, bob)
    track = case.tracks.get()
    services.track_assess_severity(
        actor=alice, track=track, severity=Severity.MISCONDUCT, rationale="Assessed"
    )
    services.track_serve_notice(actor=alice, track=track, served_on=days_ago(served))
    return case, track


def test_the_report_waits_for_an_open_reg18_window_unless_a_reason_is_recorded(alice, bob):
    """The input rule _check_reg18_windows of case_submit_report."""
    case, track = _noticed(alice, bob)
    with pytest.raises(DomainError, match="reg 18 window is still open") as error:
        services.case_submit_report(actor=alice, case=case, summary="Report")
    assert error.value.field == "reg18_override_reason"
    assert fresh(case).state == State.INVESTIGATION
    services.case_submit_report(
        actor=alice, case=case, summary="Report", reg18_override_reason="Officer declined"
    )
    clock = deadline(track, "reg17_representations")
    assert clock.status == "cancelled"
    assert "Officer declined" in clock.cancelled_reason
    assert "Officer declined" in fresh(case).transitions.get(name="submit_report").reason


def test_the_report_needs_no_reason_once_representations_are_in_or_the_window_closed(alice, bob):
    case, track = _noticed(alice, bob)
    services.track_representations_received(actor=alice, track=track)
    services.case_submit_report(actor=alice, case=case, summary="Report")
    assert fresh(case).state == State.REPORT_SUBMITTED
    other, _ = _noticed(alice, bob, served=30)  # 10 working days long past
    services.case_submit_report(actor=alice, case=other, summary="Report")
    assert fresh(other).state == State.REPORT_SUBMITTED


def test_the_investigator_extends_the_reg18_window_with_a_reason(alice, bob):
    case, track = _noticed(alice, bob, served=30)
    clock = deadline(track, "reg17_representations")
    later = timezone.localdate() + datetime.timedelta(days=7)
    with pytest.raises(PermissionDenied, match="Only the investigator"):
        services.track_extend_deadline(
            actor=bob, track=track, kind="reg17_representations", due_date=later, reason="Ill"
        )
    with pytest.raises(DomainError, match="reason"):
        services.track_extend_deadline(
            actor=alice, track=track, kind="reg17_representations", due_date=later, reason=" "
        )
    with pytest.raises(DomainError, match="later than"):
        services.track_extend_deadline(
            actor=alice,
            track=track,
            kind="reg17_representations",
            due_date=clock.due_date,
            reason="Ill",
        )
    services.track_extend_deadline(
        actor=alice, track=track, kind="reg17_representations", due_date=later, reason="Ill"
    )
    moved = deadline(track, "reg17_representations")
    assert moved.due_date == later and moved.overdue_since is None
    extension = DeadlineExtension.objects.get(deadline=moved)
    assert (extension.previous_due_date, extension.reason, extension.extended_by) == (
        clock.due_date,
        "Ill",
        alice,
    )
    # The extended window is open again: the report waits for it.
    with pytest.raises(DomainError, match="reg 18 window is still open"):
        services.case_submit_report(actor=alice, case=case, summary="Report")


def test_the_case_to_answer_decision_overtakes_the_reg18_clock(alice, bob):
    case, track = _noticed(alice, bob, served=30)
    services.case_submit_report(actor=alice, case=case, summary="Report")
    assert deadline(track, "reg17_representations").status == "open"  # overdue, not met
    decision = services.case_propose_case_to_answer(
        actor=alice, case=fresh(case), answers={track.pk: True}, rationale="Evidence"
    )
    services.decision_approve(actor=bob, decision=decision)
    clock = deadline(track, "reg17_representations")
    assert clock.status != "open"
    assert clock.cancelled_reason == "Overtaken by the case-to-answer decision"


# --- 2. Proceedings -------------------------------------------------------------------------
def test_referral_to_a_meeting_opens_the_reg31_response_and_the_date_fixed(alice, bob):
    case = decided(complaint(alice, supervisor=bob), alice, bob)
    track = case.tracks.get()
    notice_on = days_ago(10)
    date = timezone.localdate() + datetime.timedelta(days=20)
    services.track_refer_to_proceedings(
        actor=alice, track=track, forum=Forum.MEETING, date=date, notice_on=notice_on
    )
    assert deadline(track, "reg31_response").due_date == due("reg31_response", notice_on)
    assert deadline(track, "proceedings_fixed").due_date == date
    # The chair's extension is recorded by whoever keeps the case.
    services.track_extend_deadline(
        actor=bob,
        track=track,
        kind="reg31_response",
        due_date=date - datetime.timedelta(days=1),
        reason="Exceptional circumstances: the officer's representative is ill",
    )
    services.track_record_response(actor=alice, track=track)
    assert deadline(track, "reg31_response").status == "met"


def test_the_prehearing_clock_runs_from_the_documents_reaching_the_chair(alice, bob):
    case = decided(complaint(alice, supervisor=bob), alice, bob, severity=Severity.GROSS_MISCONDUCT)
    track = case.tracks.get()
    with pytest.raises(DomainError, match="only before a misconduct hearing"):
        services.track_documents_to_chair(actor=alice, track=track)
    services.track_refer_to_proceedings(
        actor=alice,
        track=track,
        forum=Forum.HEARING,
        date=timezone.localdate() + datetime.timedelta(days=40),
        notice_on=days_ago(20),
    )
    supplied_on = days_ago(2)
    services.track_documents_to_chair(actor=alice, track=track, supplied_on=supplied_on)
    assert deadline(track, "reg33_prehearing").due_date == due("reg33_prehearing", supplied_on)
    with pytest.raises(DomainError, match="already recorded"):
        services.track_documents_to_chair(actor=alice, track=track)
    services.track_prehearing_held(actor=alice, track=track)
    clock = deadline(track, "reg33_prehearing")
    assert clock.status == "met" and not clock.met_late


def test_proceedings_cannot_be_concluded_before_the_date_they_were_fixed_for(alice, bob):
    case = decided(complaint(alice, supervisor=bob), alice, bob)
    track = case.tracks.get()
    date = timezone.localdate() + datetime.timedelta(days=3)
    services.track_refer_to_proceedings(
        actor=alice, track=track, forum=Forum.MEETING, date=date, notice_on=days_ago(10)
    )
    with pytest.raises(DomainError, match="cannot be concluded before then"):
        services.track_conclude_proceedings(actor=alice, track=track, held_on=days_ago(0))


def test_held_on_cannot_be_before_the_date_fixed(alice, bob):
    case = decided(complaint(alice, supervisor=bob), alice, bob)
    track = case.tracks.get()
    services.track_refer_to_proceedings(
        actor=alice, track=track, forum=Forum.MEETING, date=days_ago(5), notice_on=days_ago(40)
    )
    with pytest.raises(DomainError, match="cannot have concluded before") as error:
        services.track_conclude_proceedings(actor=alice, track=track, held_on=days_ago(6))
    assert error.value.field == "held_on"
    services.track_conclude_proceedings(actor=alice, track=track, held_on=days_ago(5))
    assert deadline(track, "proceedings_fixed").status == "met"


def _special_case_track(alice, bob):
    """The subject of a case decided as a gross-misconduct special case (accelerated hearing)."""
    case = decided(
        complaint(alice, supervisor=bob),
        alice,
        bob,
        severity=Severity.GROSS_MISCONDUCT,
        special_case=True,
    )
    return case.tracks.get()


@pytest.mark.parametrize(
    ("working_days", "accepted"), [(9, False), (10, True), (15, True), (16, False)]
)
def test_an_accelerated_hearing_is_10_to_15_working_days_after_the_notice(
    alice, bob, working_days, accepted
):
    """The input rule _check_proceedings_date (CR 2020 reg 52(1))."""
    track = _special_case_track(alice, bob)
    notice_on = days_ago(60)
    date = WorkingCalendar().add_working_days(notice_on, working_days)
    call = lambda: services.track_refer_to_proceedings(  # noqa: E731
        actor=alice, track=track, forum=Forum.ACCELERATED_HEARING, date=date, notice_on=notice_on
    )
    if accepted:
        call()
        assert "reg31_response" not in open_deadlines(track)
    else:
        with pytest.raises(DomainError, match="reg 52"):
            call()


def test_an_accelerated_hearing_may_be_sooner_by_agreement_never_later(alice, bob):
    track = _special_case_track(alice, bob)
    notice_on = days_ago(60)
    calendar = WorkingCalendar()
    with pytest.raises(DomainError, match="reg 48"):
        services.track_refer_to_proceedings(
            actor=alice,
            track=track,
            forum=Forum.ACCELERATED_HEARING,
            date=calendar.add_working_days(notice_on, 16),
            notice_on=notice_on,
            agreed_shorter=True,
        )
    services.track_refer_to_proceedings(
        actor=alice,
        track=track,
        forum=Forum.ACCELERATED_HEARING,
        date=calendar.add_working_days(notice_on, 5),
        notice_on=notice_on,
        agreed_shorter=True,
    )
    track.refresh_from_db()
    assert track.forum == Forum.ACCELERATED_HEARING


def test_a_meeting_is_fixed_after_the_notice(alice, bob):
    case = decided(complaint(alice, supervisor=bob), alice, bob)
    with pytest.raises(DomainError, match="after the notice"):
        services.track_refer_to_proceedings(
            actor=alice,
            track=case.tracks.get(),
            forum=Forum.MEETING,
            date=days_ago(10),
            notice_on=days_ago(10),
        )


# --- 6. Suspension --------------------------------------------------------------------------
def test_suspension_is_recorded_and_moves_only_the_clocks_the_law_stops(alice, bob):
    case, track = _noticed(alice, bob)
    DeadlineKind.objects.filter(code="reg17_representations").update(pauses_during_suspension=True)
    twelve = deadline(case, "twelve_month_report").due_date
    reg18 = deadline(track, "reg17_representations").due_date
    suspension = services.case_suspend(
        actor=alice,
        case=case,
        reason=SuspensionReason.CRIMINAL_PROCEEDINGS,
        started_on=days_ago(4),
    )
    with pytest.raises(DomainError, match="already suspended"):
        services.case_suspend(actor=alice, case=case, reason=SuspensionReason.OTHER)
    services.case_resume(actor=alice, case=case, ended_on=days_ago(0))
    suspension.refresh_from_db()
    assert (suspension.started_on, suspension.ended_on) == (days_ago(4), days_ago(0))
    assert deadline(track, "reg17_representations").due_date == reg18 + datetime.timedelta(days=5)
    assert deadline(case, "twelve_month_report").due_date == twelve  # reg 13 does not stop
    with pytest.raises(DomainError, match="not suspended"):
        services.case_resume(actor=alice, case=case)


def test_days_suspended_in_a_window_calendar_and_working_days():
    periods = [(D(2024, 3, 25), D(2024, 4, 5)), (D(2024, 12, 20), None)]
    assert clocks.days_suspended(periods, D(2024, 1, 1), D(2024, 12, 31)) == 12 + 12
    # Working days: Good Friday and Easter Monday; Christmas, Boxing Day out.
    assert clocks.days_suspended(periods, D(2024, 1, 1), D(2024, 12, 31), WorkingCalendar()) == (
        8 + 6
    )
    assert clocks.days_suspended(periods, D(2024, 4, 1), D(2024, 4, 3)) == 3


# --- 7. The review window and the review body -----------------------------------------------
def _finalised_without_subjects(alice, bob):
    case = to_handling_decided(
        complaint(alice, supervisor=bob, allegations=[allegation(about_force=True)]), alice, bob
    )
    services.case_handle_otbi(actor=alice, case=case, reason="Explanation given")
    decision = services.outcome_propose(
        actor=alice,
        case=fresh(case),
        rationale="Looked into",
        outcomes=[OutcomeData(case.allegations.get(), None, Finding.SERVICE_ACCEPTABLE)],
    )
    services.decision_approve(actor=bob, decision=decision)
    decision = services.case_propose_finalisation(
        actor=alice,
        case=fresh(case),
        rationale="Sent",
        result="acceptable",
        outcome_sent_on=days_ago(1),
    )
    services.decision_approve(actor=bob, decision=decision)
    return fresh(case)


def test_the_review_body_is_derived_from_reg32_not_chosen(alice, bob):
    plain = _finalised_without_subjects(alice, bob)
    assert review_body_reasons(plain) == []
    assert (
        services.case_request_review(actor=alice, case=plain, received_on=days_ago(0)).body
        == ReviewBody.LPB
    )
    serious = finalised(complaint(alice, supervisor=bob), alice, bob)  # misconduct assessed
    assert any("reg 32(b)(i)" in reason for reason in review_body_reasons(serious))
    assert (
        services.case_request_review(actor=alice, case=serious, received_on=days_ago(0)).body
        == ReviewBody.IOPC
    )


def test_a_complaint_about_a_senior_officer_or_referred_goes_to_the_iopc(alice):
    chief = PersonFactory(rank=Rank.objects.get(name="Chief Constable"))
    assert "about a senior officer (reg 32(a))" in review_body_reasons(complaint(alice, chief))
    referred = awaiting_iopc(complaint(alice), alice, criterion("serious_assault"))
    assert any("reg 32(c)" in reason for reason in review_body_reasons(referred))


def test_an_application_out_of_time_needs_the_review_bodys_extension(alice, bob):
    """The input rule _check_in_time (C&M Regs 2020 reg 29(4))."""
    case = _finalised_without_subjects(alice, bob)
    case.outcome_sent_on = days_ago(40)
    case.save(update_fields=["outcome_sent_on"])
    with pytest.raises(DomainError, match=r"reg 29\(4\)"):
        services.case_request_review(actor=alice, case=case, received_on=days_ago(0))
    review = services.case_request_review(
        actor=alice,
        case=case,
        received_on=days_ago(0),
        out_of_time_accepted=True,
        extension_reason="Special circumstances: in hospital",
    )
    assert review.out_of_time_accepted
