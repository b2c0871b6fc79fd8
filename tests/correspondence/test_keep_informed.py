"""The keep-informed clock: one per complainant, 28 calendar days (bank holidays count: the
guidance says days, not working days), reset by every update, stopped when the case closes."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from cases import services as case_services
from cases.services import ComplainantData
from cases.services.intake import complainant_add
from correspondence import services
from correspondence.context import Inputs
from deadlines.models import Deadline, DeadlineKind
from deadlines.services import due_date_for
from psd.domain import DomainError
from tests.cases.factories import complaint, days_ago
from tests.cases.routes import fresh

pytestmark = pytest.mark.django_db
KIND = "complainant_update"


def clocks(complainant, status="open"):
    return list(
        Deadline.objects.filter(
            kind__code=KIND,
            object_id=complainant.pk,
            content_type__model="complainant",
            status=status,
        )
    )


def test_the_kind_is_28_calendar_days_with_reminders_and_escalation(db):
    kind = DeadlineKind.objects.get(code=KIND)
    assert (kind.unit, kind.amount, kind.thresholds) == ("calendar_days", 28, [7, 2])
    # C&M Regs 2020 reg 34(2)(a), read: within four weeks of the start, then of the last update.
    assert kind.escalate_when_overdue and "reg 34(2)(a)" in kind.citation


def test_bank_holidays_do_not_move_a_calendar_day_clock(db):
    kind = DeadlineKind.objects.get(code=KIND)
    # 1 Dec 2026 + 28 days runs over Christmas Day and Boxing Day (substitute 28 Dec).
    assert due_date_for(kind, datetime.date(2026, 12, 1)) == datetime.date(2026, 12, 29)
    assert due_date_for(kind, datetime.date(2027, 3, 1)) == datetime.date(2027, 3, 29)


def test_recording_opens_one_clock_per_complainant_from_the_recording_date(alice, bob):
    case = complaint(alice, supervisor=bob)
    pat = case.complainants.get()
    assert clocks(pat) == []
    case_services.case_record(actor=alice, case=case, recorded_on=days_ago(5))
    second = complainant_add(actor=alice, case=fresh(case), data=ComplainantData(name="Sam Second"))
    [first_clock] = clocks(pat)
    assert first_clock.trigger_date == days_ago(5)
    assert first_clock.due_date == days_ago(5) + datetime.timedelta(days=28)
    assert first_clock.owner == alice and first_clock.escalate_to == bob
    assert first_clock.url == f"/correspondence/cases/{case.reference}/"
    assert clocks(second)[0].trigger_date == timezone.localdate()


def test_an_update_letter_meets_the_clock_and_starts_the_next(alice, bob):
    case = complaint(alice, supervisor=bob)
    case_services.case_record(actor=alice, case=case, recorded_on=days_ago(20))
    pat = case.complainants.get()
    services.letter_generate(
        actor=alice,
        case=fresh(case),
        kind="update",
        inputs=Inputs(sent_on=days_ago(1), progress="Statements taken."),
        sent_how="post",
    )
    [met] = clocks(pat, "met")
    assert met.met_by == alice and not met.met_late
    [running] = clocks(pat)
    assert running.trigger_date == days_ago(1)
    assert running.due_date == days_ago(1) + datetime.timedelta(days=28)
    assert pat.updates.get().letter.template.kind == "update"


def test_a_recorded_note_resets_the_clock_and_needs_text(alice, bob):
    case = complaint(alice, supervisor=bob, received=60)
    pat = case.complainants.get()
    with pytest.raises(DomainError, match="not recorded or is closed"):
        services.complainant_update_record(
            actor=alice, case=case, complainant=pat, note="Phoned", sent_on=days_ago(0)
        )
    case_services.case_record(actor=alice, case=case, recorded_on=days_ago(40))
    assert clocks(pat)[0].due_date < timezone.localdate()  # overdue
    with pytest.raises(DomainError, match="what the complainant was told"):
        services.complainant_update_record(
            actor=alice, case=case, complainant=pat, note=" ", sent_on=days_ago(0)
        )
    services.complainant_update_record(
        actor=alice,
        case=case,
        complainant=pat,
        note="Phoned: interviews booked",
        sent_on=days_ago(0),
    )
    [late] = clocks(pat, "met")
    assert late.met_late
    assert clocks(pat)[0].trigger_date == timezone.localdate()


def test_closing_the_case_stops_the_clock(alice, bob):
    case = complaint(alice, supervisor=bob)
    case_services.case_record(actor=alice, case=case)
    pat = case.complainants.get()
    case_services.case_withdraw(actor=alice, case=fresh(case), reason="Letter of withdrawal")
    assert clocks(pat) == [] and len(clocks(pat, "cancelled")) == 1
    # A letter after closing records nothing new and opens no clock.
    services.letter_generate(
        actor=alice,
        case=fresh(case),
        kind="withdrawal",
        inputs=Inputs(sent_on=timezone.localdate()),
        sent_how="post",
    )
    assert clocks(pat) == []


def test_the_sweep_reminds_the_owner_before_the_due_date(alice, bob):
    from deadlines.sweep import run_sweep

    case = complaint(alice, supervisor=bob)
    case_services.case_record(actor=alice, case=case, recorded_on=days_ago(0))
    pat = case.complainants.get()
    due = clocks(pat)[0].due_date
    with time_machine.travel(due - datetime.timedelta(days=7), tick=False):
        run_sweep(today=due - datetime.timedelta(days=7))
    assert alice.notifications.filter(deadline__kind__code=KIND, threshold="7").exists()
