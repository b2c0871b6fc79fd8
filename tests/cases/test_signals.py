"""Every consequence of a cases event in another app is named in cases.signals.CONSEQUENCES,
beside the event: a receiver connected without being listed (or listed but gone) fails here."""

import pytest
from django.dispatch import Signal

from cases import signals
from cases.models import Case, Outcome, SubjectTrack
from cases.signals import CONSEQUENCES, case_closed_early, outcomes_approved, track_transitioned


def _connected(signal, sender) -> list[str]:
    sync, asynchronous = signal._live_receivers(sender)
    return sorted(f"{r.__module__}.{r.__qualname__}" for r in [*sync, *asynchronous])


@pytest.mark.parametrize(
    ("signal", "sender"),
    [
        (outcomes_approved, Outcome),
        (track_transitioned, SubjectTrack),
        (case_closed_early, Case),
    ],
)
def test_every_receiver_of_a_cases_event_is_listed_beside_it(signal, sender):
    assert _connected(signal, sender) == sorted(CONSEQUENCES[signal])


def test_every_cases_event_has_its_list():
    events = [value for value in vars(signals).values() if isinstance(value, Signal)]
    assert set(events) == set(CONSEQUENCES)
