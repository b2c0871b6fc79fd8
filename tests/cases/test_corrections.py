"""Correcting the date that started a clock recomputes the deadline; a met one never moves."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType

from cases import services
from cases.models import Severity
from deadlines.calendar import add_months, add_working_days
from deadlines.models import Deadline
from psd.domain import DomainError
from tests.cases.factories import complaint, days_ago, to_handling_decided

pytestmark = pytest.mark.django_db


def deadline(target, kind):
    return Deadline.objects.get(
        content_type=ContentType.objects.get_for_model(target),
        object_id=target.pk,
        kind__code=kind,
    )


def test_correcting_the_date_received_moves_the_twelve_month_report(alice):
    case = complaint(alice, received=10)
    services.case_record(actor=alice, case=case)
    services.case_correct_received_on(
        actor=alice, case=case, received_on=days_ago(20), reason="Letter was date-stamped late"
    )
    case.refresh_from_db()
    assert case.received_on == days_ago(20)
    # C&M Regs 2020 reg 13(3)(a): 12 months starting with the corrected day.
    assert deadline(case, "twelve_month_report").due_date == add_months(
        days_ago(20), 12
    ) - datetime.timedelta(days=1)
    assert case.transitions.filter(name="correct_received_on").exists()


def test_received_date_cannot_follow_recording_or_lack_a_reason(alice):
    case = complaint(alice, received=10)
    services.case_record(actor=alice, case=case, recorded_on=days_ago(5))
    with pytest.raises(DomainError, match="after the date recorded"):
        services.case_correct_received_on(
            actor=alice, case=case, received_on=days_ago(2), reason="typo"
        )
    with pytest.raises(DomainError, match="Say why"):
        services.case_correct_received_on(
            actor=alice, case=case, received_on=days_ago(12), reason=" "
        )
    case.refresh_from_db()
    assert case.received_on == days_ago(10)


def _notice_served(alice, bob, served_ago=5):
    case = to_handling_decided(complaint(alice, supervisor=bob), alice, bob)
    services.case_start_investigation(actor=alice, case=case)
    track = case.tracks.get()
    services.track_assess_severity(
        actor=alice, track=track, severity=Severity.MISCONDUCT, rationale="Rude"
    )
    services.track_serve_notice(actor=alice, track=track, served_on=days_ago(served_ago))
    track.refresh_from_db()
    return track


def test_correcting_the_notice_date_moves_the_reg18_window(alice, bob):
    track = _notice_served(alice, bob)
    services.track_correct_notice_date(
        actor=alice, track=track, served_on=days_ago(7), reason="Served by hand two days earlier"
    )
    assert deadline(track, "reg17_representations").due_date == add_working_days(days_ago(7), 10)


def test_a_met_deadline_is_not_moved_and_nothing_is_saved(alice, bob):
    track = _notice_served(alice, bob)
    services.track_representations_received(actor=alice, track=track)
    with pytest.raises(DomainError, match="met deadline cannot be moved"):
        services.track_correct_notice_date(
            actor=alice, track=track, served_on=days_ago(7), reason="Wrong date"
        )
    track.refresh_from_db()
    assert track.notice_served_on == days_ago(5)
