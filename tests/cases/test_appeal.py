"""An appeal to the Police Appeals Tribunal is recorded on the subject's track."""

import pytest

from cases import services
from cases.models import TrackState
from psd.domain import DomainError
from tests.cases.factories import complaint, days_ago
from tests.cases.routes import concluded

pytestmark = pytest.mark.django_db


def test_appeal_after_proceedings_is_recorded_with_its_grounds(alice, bob):
    case = concluded(complaint(alice, supervisor=bob), alice, bob)
    track = case.tracks.get()
    services.track_record_appeal(
        actor=alice, track=track, lodged_on=days_ago(0), reason="Sanction unreasonable"
    )
    track.refresh_from_db()
    assert track.state == TrackState.APPEAL
    assert case.transitions.filter(
        name="appeal", track=track, reason__contains="Sanction unreasonable"
    ).exists()


def test_appeal_needs_grounds_and_concluded_proceedings(alice, bob):
    case = complaint(alice, supervisor=bob)
    track = case.tracks.get()
    with pytest.raises(DomainError):
        services.track_record_appeal(
            actor=alice, track=track, lodged_on=days_ago(0), reason="Too early"
        )
    case = concluded(case, alice, bob)
    track = case.tracks.get()
    with pytest.raises(DomainError, match="grounds"):
        services.track_record_appeal(actor=alice, track=track, lodged_on=days_ago(0), reason="")
    track.refresh_from_db()
    assert track.state == TrackState.OUTCOME
