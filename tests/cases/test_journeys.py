"""A full journey through each route, as PSD staff would take it."""

import pytest
from django.contrib.contenttypes.models import ContentType

from accounts.models import PersonStatus
from accounts.services import person_set_status
from cases import services
from cases.models import (
    Action,
    AdvisoryListEntry,
    BarredListEntry,
    ComplaintResult,
    Finding,
    Forum,
    InvestigationMode,
    ListStatus,
    ReflectiveStage,
    Severity,
    State,
    TrackState,
)
from cases.services import OutcomeData
from deadlines.models import Deadline
from tests.accounts.factories import PersonFactory
from tests.cases.factories import (
    complaint,
    conduct_matter,
    criterion,
    days_ago,
    to_finalised_otbi,
    to_handling_decided,
)

pytestmark = pytest.mark.django_db


def open_deadlines(target):
    return set(
        Deadline.objects.filter(
            content_type=ContentType.objects.get_for_model(target),
            object_id=target.pk,
            status="open",
        ).values_list("kind__code", flat=True)
    )


def test_iopc_independent_investigation_to_dismissal_and_barred_list(alice, bob, carol):
    officer = PersonFactory(surname="Wright")
    case = complaint(alice, officer, supervisor=bob)
    services.case_record(actor=alice, case=case)
    assert "twelve_month_report" in open_deadlines(case)
    services.case_assess_referral(
        actor=alice,
        case=case,
        criteria=[criterion("serious_assault")],
        rationale="Alleged serious assault",
    )
    with pytest.raises(Exception, match="must be referred"):
        services.case_propose_no_referral(actor=alice, case=case, rationale="no")
    services.case_refer_to_iopc(actor=alice, case=case, iopc_reference="2026/000123")
    services.case_record_iopc_decision(actor=alice, case=case, mode=InvestigationMode.INDEPENDENT)
    case.refresh_from_db()
    assert case.state == State.INDEPENDENT_INVESTIGATION

    track = case.tracks.get()
    services.track_assess_severity(
        actor=alice,
        track=track,
        severity=Severity.GROSS_MISCONDUCT,
        rationale="Serious assault on a detained person",
    )
    services.track_serve_notice(actor=alice, track=track, served_on=days_ago(20))
    assert "reg17_representations" in open_deadlines(track)
    services.case_submit_report(actor=alice, case=case, summary="IOPC report received")
    decision = services.case_propose_case_to_answer(
        actor=alice, case=case, answers={track.pk: True}, rationale="Evidence supports it"
    )
    services.decision_approve(actor=bob, decision=decision)
    services.track_refer_to_proceedings(
        actor=alice, track=track, forum=Forum.HEARING, date=days_ago(2), notice_on=days_ago(19)
    )
    services.track_conclude_proceedings(actor=alice, track=track, held_on=days_ago(1))
    allegation = case.allegations.get()
    track.refresh_from_db()
    decision = services.outcome_propose(
        actor=alice,
        case=case,
        rationale="Hearing found GM",
        outcomes=[
            OutcomeData(
                allegation=allegation,
                track=track,
                finding=Finding.GROSS_MISCONDUCT_PROVEN,
                action=Action.DISMISSAL,
                rationale="Dismissed without notice",
            ),
        ],
    )
    services.decision_approve(actor=carol, decision=decision)

    entry = BarredListEntry.objects.get(person=officer)
    assert entry.surname == "Wright" and entry.status == ListStatus.TO_REPORT
    assert entry.standards_breached == "Use of force"
    assert entry.report_due > entry.event_date
    assert "barred_list_report" in open_deadlines(entry)
    services.list_entry_mark_reported(actor=carol, entry=entry)
    assert "barred_list_report" not in open_deadlines(entry)

    final = services.case_propose_finalisation(
        actor=alice,
        case=case,
        rationale="All done",
        result=ComplaintResult.SERVICE_NOT_ACCEPTABLE,
        outcome_sent_on=days_ago(0),
    )
    services.decision_approve(actor=bob, decision=final)
    case.refresh_from_db()
    assert case.state == State.FINALISED and case.finalised_at
    assert open_deadlines(case) == {"review_window"}


def test_complaint_handled_otherwise_than_by_investigation_to_no_action(alice, bob):
    case = complaint(alice, supervisor=bob)
    case = to_finalised_otbi(to_handling_decided(case, alice, bob), alice, bob)
    assert case.state == State.FINALISED
    assert case.complaint_result == ComplaintResult.SERVICE_ACCEPTABLE


def test_reflective_practice_route(alice, bob):
    officer = PersonFactory()
    case = conduct_matter(alice, officer, supervisor=bob)
    case = to_handling_decided(case, alice, bob)
    services.case_start_investigation(actor=alice, case=case)
    track = case.tracks.get()
    services.track_assess_severity(
        actor=alice, track=track, severity=Severity.PRI, rationale="Below standard, not misconduct"
    )
    rprp = services.track_refer_to_rprp(
        actor=alice, track=track, reason="PRI", notice_on=days_ago(10)
    )
    assert rprp.account_due > rprp.notice_on
    assert "rprp_account" in open_deadlines(rprp)
    for stage, ago in [
        (ReflectiveStage.ACCOUNT, 8),
        (ReflectiveStage.FACT_FINDING, 6),
        (ReflectiveStage.DISCUSSION, 4),
        (ReflectiveStage.REPORT, 2),
    ]:
        services.rprp_record_stage(actor=alice, rprp=rprp, stage=stage, on=days_ago(ago))
    rprp.refresh_from_db()
    assert open_deadlines(rprp) == {"rprp_report_review"}
    with pytest.raises(Exception, match="next stage"):
        services.rprp_record_stage(actor=alice, rprp=rprp, stage=ReflectiveStage.ACCOUNT)
    # The case does not wait 12 months for the development review: RPRP is concluded for it.
    services.case_submit_report(actor=alice, case=case, summary="Report")
    decision = services.case_propose_case_to_answer(
        actor=alice, case=case, answers={}, rationale="No subject awaits a decision"
    )
    services.decision_approve(actor=bob, decision=decision)
    decision = services.outcome_propose(
        actor=alice,
        case=case,
        rationale="RPRP",
        outcomes=[
            OutcomeData(
                allegation=case.allegations.get(),
                track=track,
                finding=Finding.PRI,
                action=Action.RPRP,
            )
        ],
    )
    services.decision_approve(actor=bob, decision=decision)
    services.rprp_record_stage(actor=alice, rprp=rprp, stage=ReflectiveStage.REVIEWED)
    track.refresh_from_db()
    assert track.state == TrackState.RPRP_COMPLETE


def test_resigning_under_investigation_creates_advisory_entry(alice, bob, ada):
    officer = PersonFactory()
    case = conduct_matter(alice, officer, supervisor=bob)
    to_handling_decided(case, alice, bob)
    person_set_status(
        actor=ada,
        person=officer,
        status=PersonStatus.RESIGNED,
        effective_date=days_ago(1),
        reason="Resigned",
    )
    entry = AdvisoryListEntry.objects.get(person=officer)
    assert entry.case == case and entry.reason == "resigned"
    assert case.tracks.get().left_service_while_open
    assert "advisory_list_report" in open_deadlines(entry)
