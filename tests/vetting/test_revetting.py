"""Re-vetting: the due date from the level's interval and the triggers that bring it forward,
each a RevettingTrigger with reason and due date, kept in step with the revetting_due deadline.
"""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType

from accounts.models import Person, PersonStatus
from accounts.services import person_set_status
from cases import services as cases
from cases.models import Action, Finding, Forum, InvestigationMode, Severity
from cases.services import OutcomeData
from deadlines.models import Deadline
from psd.domain import DomainError
from tests.accounts.factories import PersonFactory
from tests.cases.factories import complaint, criterion
from tests.cases.factories import days_ago as case_days_ago
from vetting import revetting, services
from vetting.models import Clearance, ClearanceStatus, RevettingTrigger, TriggerKind

from .factories import days_ago, granted, post

pytestmark = pytest.mark.django_db


def revetting_deadline(person) -> Deadline | None:
    return Deadline.objects.filter(
        kind__code="revetting_due",
        content_type=ContentType.objects.get_for_model(Person),
        object_id=person.pk,
        status="open",
    ).first()


def test_the_deadline_follows_the_clearance_expiry(victor):
    officer = PersonFactory()
    granted(victor, officer, code="rv", granted_on=datetime.date(2026, 3, 1), received=400)
    deadline = revetting_deadline(officer)
    assert deadline.due_date == datetime.date(2036, 3, 1)  # RV: 10 years
    assert deadline.owner is None  # the vetting sweep tells the unit and the manager


def test_a_move_to_a_post_needing_a_higher_level_brings_re_vetting_forward(victor):
    officer = PersonFactory()
    granted(victor, officer, code="rv")
    trigger = services.clearance_post_change(
        actor=victor,
        person=officer,
        post=post("DS, Anti-Corruption Unit", "mv"),
        on=days_ago(0),
    )
    assert trigger.kind == TriggerKind.POST_CHANGE
    assert trigger.due_on == days_ago(-30)
    assert "needs MV; holds RV" in trigger.reason
    assert revetting_deadline(officer).due_date == days_ago(-30)


def test_a_post_the_clearance_covers_needs_no_re_vetting(victor):
    officer = PersonFactory()
    granted(victor, officer, code="mv")
    assert (
        services.clearance_post_change(
            actor=victor, person=officer, post=post("PC, Response", "rv")
        )
        is None
    )
    assert not RevettingTrigger.objects.exists()


def test_change_of_circumstances_needs_a_description(victor):
    officer = PersonFactory()
    granted(victor, officer)
    with pytest.raises(DomainError, match="Describe the change of circumstances"):
        services.circumstances_report(actor=victor, person=officer, reason="  ")
    trigger = services.circumstances_report(
        actor=victor, person=officer, reason="New partner with a criminal record"
    )
    assert trigger.due_on == days_ago(-60)
    assert revetting_deadline(officer).due_date == days_ago(-60)


def test_trigger_periods_are_configurable(victor, settings):
    settings.VETTING_TRIGGER_DAYS = {"circumstances": 14}
    officer = PersonFactory()
    trigger = services.circumstances_report(actor=victor, person=officer, reason="Bankruptcy")
    assert trigger.due_on == days_ago(-14)


def test_a_later_trigger_does_not_push_the_date_back(victor):
    officer = PersonFactory()
    granted(victor, officer)
    services.circumstances_report(actor=victor, person=officer, reason="Debt", due_on=days_ago(-10))
    services.circumstances_report(actor=victor, person=officer, reason="Partner")
    assert revetting_deadline(officer).due_date == days_ago(-10)


def test_re_vetting_granted_closes_triggers_and_replaces_the_old_clearance(victor):
    officer = PersonFactory()
    granted(victor, officer, code="rv", received=400, granted_on=days_ago(380))
    services.circumstances_report(actor=victor, person=officer, reason="Debt")
    old_deadline = revetting_deadline(officer)
    granted(victor, officer, code="mv", received=20, granted_on=days_ago(2))
    old, new = Clearance.objects.order_by("granted_on")
    assert old.status == ClearanceStatus.SUPERSEDED and new.status == ClearanceStatus.ACTIVE
    assert RevettingTrigger.objects.get().closed_on == days_ago(2)
    old_deadline.refresh_from_db()
    assert old_deadline.status == "met"
    assert revetting_deadline(officer).due_date == new.expires_on


def test_suspend_reinstate_and_withdraw_keep_history(victor):
    officer = PersonFactory()
    granted(victor, officer)
    clearance = Clearance.objects.get()
    with pytest.raises(DomainError, match="Give a reason to suspend"):
        services.clearance_change_status(
            actor=victor, clearance=clearance, action="suspend", reason=""
        )
    services.clearance_change_status(
        actor=victor, clearance=clearance, action="suspend", reason="Under investigation"
    )
    with pytest.raises(DomainError, match="is suspended: it cannot be suspended"):
        services.clearance_change_status(
            actor=victor, clearance=clearance, action="suspend", reason="Again"
        )
    services.clearance_change_status(
        actor=victor, clearance=clearance, action="reinstate", reason="No case to answer"
    )
    services.clearance_change_status(
        actor=victor, clearance=clearance, action="withdraw", reason="Withdrawal assessment"
    )
    clearance.refresh_from_db()
    assert clearance.status == ClearanceStatus.WITHDRAWN
    assert [e.kind for e in clearance.events.order_by("id")] == [
        "granted",
        "suspended",
        "reinstated",
        "withdrawn",
    ]
    assert revetting_deadline(officer) is None  # nothing left to re-vet


def test_clearance_ends_when_service_ends(victor, ada):
    officer = PersonFactory()
    granted(victor, officer)
    person_set_status(
        actor=ada,
        person=officer,
        status=PersonStatus.RETIRED,
        effective_date=days_ago(0),
        reason="Retired",
    )
    assert Clearance.objects.get().status == ClearanceStatus.WITHDRAWN
    assert revetting_deadline(officer) is None


def _approve_outcome(alice, bob, carol, officer, action, finding=Finding.GROSS_MISCONDUCT_PROVEN):
    """A complaint through to an approved hearing outcome, as the cases journeys do."""
    case = complaint(alice, officer, supervisor=bob)
    cases.case_record(actor=alice, case=case)
    cases.case_assess_referral(
        actor=alice,
        case=case,
        criteria=[criterion("serious_assault")],
        rationale="Alleged serious assault",
    )
    cases.case_refer_to_iopc(actor=alice, case=case, iopc_reference="2026/000777")
    cases.case_record_iopc_decision(actor=alice, case=case, mode=InvestigationMode.INDEPENDENT)
    track = case.tracks.get()
    cases.track_assess_severity(
        actor=alice, track=track, severity=Severity.GROSS_MISCONDUCT, rationale="Assault"
    )
    cases.track_serve_notice(actor=alice, track=track, served_on=case_days_ago(20))
    cases.case_submit_report(actor=alice, case=case, summary="IOPC report")
    decision = cases.case_propose_case_to_answer(
        actor=alice, case=case, answers={track.pk: True}, rationale="Yes"
    )
    cases.decision_approve(actor=bob, decision=decision)
    cases.track_refer_to_proceedings(
        actor=alice,
        track=track,
        forum=Forum.HEARING,
        date=case_days_ago(2),
        notice_on=case_days_ago(19),
    )
    cases.track_conclude_proceedings(actor=alice, track=track, held_on=case_days_ago(1))
    track.refresh_from_db()
    decision = cases.outcome_propose(
        actor=alice,
        case=case,
        rationale="Hearing",
        outcomes=[
            OutcomeData(
                allegation=case.allegations.get(),
                track=track,
                finding=finding,
                action=action,
                rationale="Found proven",
            )
        ],
    )
    cases.decision_approve(actor=carol, decision=decision)


def test_a_final_written_warning_triggers_re_vetting(alice, bob, carol, victor):
    officer = PersonFactory()
    granted(victor, officer)
    _approve_outcome(alice, bob, carol, officer, Action.FINAL_WRITTEN_WARNING)
    trigger = RevettingTrigger.objects.get(person=officer)
    assert trigger.kind == TriggerKind.CONDUCT and trigger.outcome is not None
    assert "final written warning" in trigger.reason
    assert trigger.due_on == days_ago(-30)
    assert revetting_deadline(officer).due_date == days_ago(-30)
    # The same outcome never triggers twice.
    assert (
        revetting.conduct_outcome_trigger(outcome=trigger.outcome, person=officer, actor=carol)
        is None
    )


def test_a_written_warning_does_not_trigger_re_vetting(alice, bob, carol):
    officer = PersonFactory()
    _approve_outcome(alice, bob, carol, officer, Action.WRITTEN_WARNING, Finding.MISCONDUCT_PROVEN)
    assert not RevettingTrigger.objects.exists()
