"""Appeals are their own records: after a misconduct meeting to the appropriate authority (CR
2020 reg 45, 7 working days), after a hearing to the Police Appeals Tribunal; offered only
once an outcome they lie against is approved; the result flows to the outcome, the live-warning
history, the barred list and vetting."""

import datetime
import importlib
import io

import pytest
from django.apps import apps as django_apps
from django.core.management import call_command

from audit.models import AuditEntry
from cases import services
from cases.models import (
    Action,
    Appeal,
    AppealKind,
    AppealResult,
    BarredListEntry,
    CaseTransition,
    Finding,
    Forum,
    Outcome,
    OutcomeStatus,
    TrackState,
)
from cases.selectors.people import person_history_get
from cases.services.appeals import (
    appeal_kind_for,
    appeal_window_ends,
    appealable_outcomes,
    substitute_on_appeal,
    track_lodge_appeal_refusal,
)
from deadlines.calendar import add_working_days
from deadlines.models import DeadlineKind
from psd.domain import DomainError
from tests.cases.factories import complaint, days_ago
from tests.cases.helpers import post_action
from tests.cases.routes import concluded, fresh, outcome_approved, snapshot
from vetting.models import RevettingTrigger

pytestmark = pytest.mark.django_db


def _approved(alice, bob, **kw):
    case = outcome_approved(complaint(alice, supervisor=bob), alice, bob, **kw)
    track = case.tracks.get()
    return case, track, track.outcomes.get(status=OutcomeStatus.APPROVED)


def _after_hearing(alice, bob, action=Action.FINAL_WRITTEN_WARNING):
    """An outcome approved after a gross-misconduct hearing: an appeal goes to the tribunal."""
    return _approved(
        alice, bob, forum=Forum.HEARING, finding=Finding.GROSS_MISCONDUCT_PROVEN, action=action
    )


def _lodge(actor, track, outcome, lodged_on=None, **kw):
    return services.track_lodge_appeal(
        actor=actor,
        track=track,
        outcome=outcome,
        lodged_on=lodged_on or outcome.effective_on,
        grounds=kw.pop("grounds", "The warning was unreasonable"),
        **kw,
    )


def _result(actor, track, result, reasons, **kw):
    """The appeal's result, decided today."""
    return services.track_record_appeal_result(
        actor=actor, track=track, result=result, decided_on=days_ago(0), reasons=reasons, **kw
    )


def _post_lodge(client, case, track, outcome, grounds):
    """The page's lodge-appeal form, lodged on the day the outcome took effect."""
    return post_action(
        client,
        case,
        "lodge_appeal",
        track,
        outcome=outcome.pk,
        lodged_on=outcome.effective_on.isoformat(),
        grounds=grounds,
        extension_reason="",
    )


def _unchanged(case, action):
    before = (snapshot(case), Appeal.objects.count(), AuditEntry.objects.count())
    with pytest.raises(DomainError) as refused:
        action()
    after = (snapshot(case), Appeal.objects.count(), AuditEntry.objects.count())
    assert after == before
    return str(refused.value)


def test_no_appeal_before_an_outcome_is_approved(alice, bob):
    case = concluded(complaint(alice, supervisor=bob), alice, bob)
    track = case.tracks.get()
    assert track.state == TrackState.OUTCOME
    assert "no approved outcome" in track_lodge_appeal_refusal(actor=alice, track=track)


def test_no_appeal_against_a_finding_not_proven(alice, bob):
    case, track, outcome = _approved(alice, bob, finding=Finding.NOT_PROVEN, action=Action.NONE)
    assert appealable_outcomes(track) == []
    message = _unchanged(case, lambda: _lodge(alice, track, outcome))
    assert "no approved outcome" in message


def test_after_a_meeting_the_appeal_goes_to_the_appropriate_authority_in_7_working_days(alice, bob):
    case, track, outcome = _approved(alice, bob)
    appeal = _lodge(alice, track, outcome)
    assert appeal.kind == AppealKind.APPROPRIATE_AUTHORITY
    assert appeal.window_ends_on == add_working_days(outcome.effective_on, 7)
    assert appeal.in_time is True and appeal.result == AppealResult.PENDING
    assert fresh(case).tracks.get().state == TrackState.APPEAL
    assert case.transitions.filter(name="appeal", track=track).exists()


def test_after_a_hearing_the_appeal_goes_to_the_tribunal(alice, bob):
    case, track, outcome = _after_hearing(alice, bob)
    appeal = _lodge(alice, track, outcome)
    assert appeal.kind == AppealKind.TRIBUNAL


def test_an_appeal_out_of_time_needs_the_reason_it_was_accepted(alice, bob):
    case, track, outcome = _approved(alice, bob)
    Outcome.objects.filter(pk=outcome.pk).update(effective_on=days_ago(30))  # notified then
    outcome.refresh_from_db()
    late = add_working_days(outcome.effective_on, 8)
    message = _unchanged(case, lambda: _lodge(alice, track, outcome, lodged_on=late))
    assert "time to appeal ended" in message
    appeal = _lodge(alice, track, outcome, lodged_on=late, extension_reason="Officer in hospital")
    assert appeal.in_time is False and appeal.extension_reason == "Officer in hospital"


def test_one_appeal_per_outcome(alice, bob):
    case, track, outcome = _approved(alice, bob)
    _lodge(alice, track, outcome)
    _result(alice, track, AppealResult.DISMISSED, "Warning reasonable")
    assert fresh(case).tracks.get().state == TrackState.OUTCOME
    assert _unchanged(case, lambda: _lodge(alice, fresh(case).tracks.get(), outcome))


def test_appeal_dismissed_leaves_the_outcome_standing(alice, bob):
    case, track, outcome = _approved(alice, bob)
    _lodge(alice, track, outcome)
    appeal = _result(alice, track, AppealResult.DISMISSED, "Warning reasonable")
    outcome.refresh_from_db()
    assert outcome.status == OutcomeStatus.APPROVED and appeal.varied_outcome is None


def test_outcome_varied_replaces_it_in_the_live_warning_history(alice, bob):
    case, track, outcome = _approved(alice, bob, action=Action.FINAL_WRITTEN_WARNING)
    _lodge(alice, track, outcome)
    appeal = _result(
        alice,
        track,
        AppealResult.VARIED,
        "A written warning suffices",
        new_action=Action.WRITTEN_WARNING,
    )
    outcome.refresh_from_db()
    new = appeal.varied_outcome
    assert outcome.status == OutcomeStatus.SUPERSEDED
    assert (new.action, new.status) == (Action.WRITTEN_WARNING, OutcomeStatus.APPROVED)
    # CR 2020 reg 47(3): substituted as from the date of the meeting's outcome notice.
    assert new.effective_on == outcome.effective_on
    assert new.live_until == services.live_until(Action.WRITTEN_WARNING, outcome.effective_on)
    live = person_history_get(user=alice, person=track.person, show_lists=False).live_outcomes
    assert [o.pk for o in live] == [new.pk]


def test_a_meeting_appeal_cannot_substitute_what_a_meeting_could_not_give(alice, bob):
    case, track, outcome = _approved(alice, bob)
    _lodge(alice, track, outcome)
    message = _unchanged(
        case,
        lambda: _result(
            alice,
            fresh(case).tracks.get(),
            AppealResult.VARIED,
            "Harsher",
            new_action=Action.DISMISSAL,
        ),
    )
    assert "at most a final written warning" in message


def test_finding_overturned_leaves_the_allegation_not_proven(alice, bob):
    case, track, outcome = _approved(alice, bob)
    _lodge(alice, track, outcome)
    appeal = _result(alice, track, AppealResult.OVERTURNED, "Fresh evidence")
    assert appeal.varied_outcome.finding == Finding.NOT_PROVEN
    assert appeal.varied_outcome.live_until is None
    assert not Outcome.objects.filter(pk=outcome.pk, status=OutcomeStatus.APPROVED).exists()


def test_a_dismissal_overturned_starts_the_barred_list_further_report(alice, bob):
    case, track, outcome = _after_hearing(alice, bob, action=Action.DISMISSAL)
    entry = BarredListEntry.objects.get(outcome=outcome)
    _lodge(alice, track, outcome)
    _result(alice, track, AppealResult.OVERTURNED, "Tribunal allowed the appeal")
    entry.refresh_from_db()
    assert entry.status == "to_remove" and entry.further_report_due is not None


def test_a_final_written_warning_varied_on_appeal_closes_its_revetting_trigger(alice, bob):
    case, track, outcome = _approved(alice, bob, action=Action.FINAL_WRITTEN_WARNING)
    trigger = RevettingTrigger.objects.get(outcome=outcome)
    assert trigger.closed_on is None
    _lodge(alice, track, outcome)
    _result(alice, track, AppealResult.VARIED, "Reduced", new_action=Action.WRITTEN_WARNING)
    trigger.refresh_from_db()
    assert trigger.closed_on == days_ago(0)


def test_no_result_without_an_appeal_pending(alice, bob):
    case, track, outcome = _approved(alice, bob)
    message = _unchanged(
        case,
        lambda: _result(alice, track, AppealResult.DISMISSED, "x"),
    )
    assert "no appeal pending" in message


def test_the_page_offers_the_appeal_only_after_the_outcome_and_records_it(client, alice, bob):
    case = concluded(complaint(alice, supervisor=bob), alice, bob)
    track = case.tracks.get()
    client.force_login(alice)
    page = client.get(case.get_absolute_url()).content.decode()
    assert "lodge_appeal" not in page
    case, track, outcome = _approved(alice, bob)
    client.force_login(alice)
    assert f"/lodge_appeal/{track.pk}/" in client.get(case.get_absolute_url()).content.decode()
    response = _post_lodge(client, case, track, outcome, grounds="Unreasonable")
    assert response.status_code == 302
    appeal = Appeal.objects.get(track=track)
    response = post_action(
        client,
        case,
        "record_appeal_result",
        track,
        result="varied",
        decided_on=days_ago(0).isoformat(),
        reasons="Lesser",
        new_action="none",
    )
    assert response.status_code == 302
    appeal.refresh_from_db()
    assert appeal.result == AppealResult.VARIED and appeal.varied_outcome.action == Action.NONE


def test_the_page_refusal_changes_nothing(client, alice, bob):
    case, track, outcome = _approved(alice, bob)
    client.force_login(alice)
    before = (snapshot(case), Appeal.objects.count())
    response = _post_lodge(client, case, track, outcome, grounds="")
    assert response.status_code == 400  # the form again, with the refusal
    assert "grounds" in response.content.decode().lower()
    assert (snapshot(case), Appeal.objects.count()) == before


def test_the_windows_are_data_an_administrator_can_correct(alice, bob):
    """The PAT window is not verified against the Rules' text: the period is configurable."""
    case, track, outcome = _after_hearing(alice, bob)
    assert appeal_kind_for(outcome) == AppealKind.TRIBUNAL
    DeadlineKind.objects.filter(code="pat_appeal_window").update(amount=15)
    assert appeal_window_ends(AppealKind.TRIBUNAL, outcome.effective_on) == add_working_days(
        outcome.effective_on, 15
    )
    meeting = DeadlineKind.objects.get(code="appeal_meeting_window")
    assert (meeting.unit, meeting.amount, meeting.counting) == ("working_days", 7, "after")


def test_a_substitute_must_be_one_the_forum_could_give(alice, bob):
    case, track, outcome = _approved(alice, bob)
    _lodge(alice, track, outcome)
    with pytest.raises(DomainError, match="Give the outcome substituted"):
        substitute_on_appeal(
            case, fresh(case).tracks.get(), outcome, AppealResult.VARIED, outcome.action, "R"
        )


def test_appeals_recorded_as_a_state_before_become_records_for_review(alice, bob):
    """Migration 0007: a subject left in the old "appeal" state gets an Appeal record with no
    outcome and its time unknown, which ``manage.py appeals_review`` lists."""
    case = concluded(complaint(alice, supervisor=bob), alice, bob)
    track = case.tracks.get()
    case.tracks.filter(pk=track.pk).update(state=TrackState.APPEAL)
    CaseTransition.objects.create(
        case=case,
        track=track,
        name="appeal",
        from_state="outcome",
        to_state="appeal",
        actor=alice,
        reason="Appeal lodged 02/03/2026: Sanction unreasonable",
    )
    migration = importlib.import_module("cases.migrations.0009_staff_outcomes_appeals")
    migration.appeals_from_tracks(django_apps, None)
    appeal = Appeal.objects.get(track=track)
    assert (appeal.outcome, appeal.in_time, appeal.kind) == (
        None,
        None,
        AppealKind.APPROPRIATE_AUTHORITY,
    )
    assert appeal.lodged_on == datetime.date(2026, 3, 2)
    out = io.StringIO()
    call_command("appeals_review", stdout=out)
    assert f"appeal {appeal.pk}" in out.getvalue() and "no outcome recorded" in out.getvalue()
