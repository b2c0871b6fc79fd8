"""Statistics in milliseconds (issue 21 item 4): a stored snapshot holds exactly the tables
the live queries give, on random data; the page serves it and says how old it is."""

import datetime
import random

import pytest
from django.urls import reverse

from accounts.models import RoleType
from cases.models import (
    Action,
    AllegationCategory,
    CaseType,
    Finding,
    Forum,
    Handling,
    InvestigationMode,
    State,
)
from stats import snapshots
from stats.models import StatisticsSnapshot
from stats.periods import Scope, financial_year
from stats.selectors import statistics_tables
from tests.accounts.factories import PersonFactory
from tests.stats.factories import add_allegation, barred, make_case, refer

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = D(2026, 1, 15)  # in 2025/26: the snapshots are of 2025/26 and 2024/25


def random_dataset(seed: int, cases: int = 40) -> None:
    """Cases received over three years, some recorded, some finalised, with random
    categories, subjects (officers, specials, staff, PCSOs), outcomes and forums."""
    rng = random.Random(seed)
    leaves = list(AllegationCategory.objects.exclude(children__active=True))
    people = [
        PersonFactory(role_type=role, rank=None)
        if role in (RoleType.STAFF, RoleType.PCSO)
        else PersonFactory(role_type=role)
        for role in rng.choices(list(RoleType.values), k=8)
    ]
    for _ in range(cases):
        received = D(2024, 1, 1) + datetime.timedelta(days=rng.randrange(900))
        handling = rng.choice([Handling.SCHEDULE_3] * 4 + [Handling.OUTSIDE_SCHEDULE_3])
        finalised = rng.random() < 0.7
        case = make_case(
            received_on=received,
            recorded_on=received + datetime.timedelta(days=rng.randrange(20)),
            finalised_on=received + datetime.timedelta(days=rng.randrange(5, 400))
            if finalised
            else None,
            handling=handling,
            case_type=rng.choice(list(CaseType.values)),
            mode=rng.choice(["", *InvestigationMode.values]),
            state=State.WITHDRAWN if finalised and rng.random() < 0.1 else None,
        )
        if rng.random() < 0.3:
            refer(case, received + datetime.timedelta(days=3), rng.choice(["", "local"]))
        for _ in range(rng.randint(1, 3)):
            subjects = rng.sample(people, rng.randint(0, 2))
            outcomes = [
                (rng.choice(Finding.values), rng.choice(Action.values), rng.choice(Forum.values))
                for _ in (subjects or [None])
            ]
            allegation = add_allegation(
                case,
                rng.choice(leaves),
                *(outcomes if finalised else ()),
                subjects=subjects,
                withdrawn=rng.random() < 0.05,
            )
            dismissed = allegation.outcomes.filter(action=Action.DISMISSAL).first()
            if subjects and dismissed and finalised:
                barred(subjects[0], case, dismissed.effective_on, outcome=dismissed)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_snapshot_holds_exactly_the_live_tables(seed):
    random_dataset(seed)
    stored = snapshots.snapshot_refresh(today=TODAY)
    assert [s.period_start for s in stored] == [D(2025, 4, 1), D(2024, 4, 1)]
    for year in (2025, 2024):
        period = financial_year(year)
        tables, as_of = snapshots.snapshot_get(period=period, scope=Scope())
        assert as_of is not None
        live = statistics_tables(period=period, scope=Scope())
        assert {name: vars(t) for name, t in tables.items()} == {
            name: vars(t) for name, t in live.items()
        }


def test_a_refresh_replaces_the_snapshot_and_scopes_are_counted_live():
    random_dataset(4, cases=10)
    snapshots.snapshot_refresh(today=TODAY)
    snapshots.snapshot_refresh(today=TODAY)
    assert StatisticsSnapshot.objects.count() == 2
    period = financial_year(2025)
    assert snapshots.snapshot_get(period=period, scope=Scope(case_type="complaint")) == ({}, None)
    assert snapshots.snapshot_get(period=financial_year(2023), scope=Scope()) == ({}, None)


def test_the_page_serves_the_snapshot_and_says_how_old_it_is(client, eve):
    """A snapshot is taken, then a case is recorded: the page shows the snapshot's figures
    and their time; ?live=1 counts the new case at once."""
    random_dataset(5, cases=5)
    snapshots.snapshot_refresh(today=TODAY)
    before = statistics_tables(period=financial_year(2025), scope=Scope())["recorded"].total
    late = make_case(recorded_on=D(2025, 12, 1))
    add_allegation(late, AllegationCategory.objects.get(name="Decisions"))
    client.force_login(eve)
    url = reverse("stats:statistics")
    stored = client.get(url, {"year": "2025"})
    assert stored.context["tables"]["recorded"].total == before
    assert "Figures as of" in stored.content.decode()
    live = client.get(url, {"year": "2025", "live": "1"})
    assert live.context["tables"]["recorded"].total[2] == before[2] + 1
    assert live.context["as_of"] is None
    csv_live = client.get(url, {"year": "2025", "live": "1", "format": "csv", "table": "recorded"})
    assert csv_live.content.decode().splitlines()[-1] == f"Total,{before[1] + 1},{before[2] + 1}"
