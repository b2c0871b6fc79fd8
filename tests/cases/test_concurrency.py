"""Races on PostgreSQL: two approvers at once, and case references allocated under load."""

import datetime
import threading

import pytest
from django.db import connection, connections

from cases import services
from cases.models import (
    AllegationCategory,
    Case,
    CaseTransition,
    CaseType,
    DecisionStatus,
    ReferenceCounter,
    State,
)
from cases.services import AllegationData
from psd.domain import DomainError, StaleObject
from tests.accounts.factories import PersonFactory
from tests.cases.factories import allegation, complaint
from tests.cases.routes import outcome_proposed

YEAR = 2025
RECEIVED = datetime.date(YEAR, 6, 2)


@pytest.fixture
def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has a single writer: row-lock races are a PostgreSQL property")


def race(*calls):
    """Run ``calls`` in threads released together; return (results, errors) by position."""
    start = threading.Barrier(len(calls))
    results, errors = [None] * len(calls), [None] * len(calls)

    def run(i, call):
        try:
            start.wait(timeout=20)
            results[i] = call()
        except Exception as exc:  # noqa: BLE001 - inspected by the test
            errors[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a thread is stuck"
    connections.close_all()
    return results, errors


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("second", ["approve", "refuse"])
def test_two_approvers_at_once_exactly_one_wins(postgresql_only, alice, bob, carol, second):
    case, decision = outcome_proposed(complaint(alice, supervisor=bob), alice, bob)

    def approve_by_bob():
        return services.decision_approve(actor=bob, decision=decision)

    def other_by_carol():
        if second == "approve":
            return services.decision_approve(actor=carol, decision=decision)
        return services.decision_refuse(actor=carol, decision=decision, reason="Too lenient")

    for attempt in range(2):  # a refusal that wins is followed by a race of two approvals
        results, errors = race(approve_by_bob, other_by_carol)
        winners = [r for r in results if r is not None]
        losers = [e for e in errors if e is not None]
        assert len(winners) == 1 and len(losers) == 1, (results, errors)
        assert isinstance(losers[0], DomainError | StaleObject), repr(losers[0])
        assert "already" in str(losers[0]) or isinstance(losers[0], StaleObject)
        decision.refresh_from_db()
        case.refresh_from_db()
        approvals = CaseTransition.objects.filter(case=case, name="approve_outcome").count()
        if decision.status == DecisionStatus.APPROVED:
            assert approvals == 1 and case.state == State.OUTCOME_APPROVED
            assert set(decision.outcomes.values_list("status", flat=True)) == {"approved"}
            return
        # Carol's refusal won: the case went back; propose again and race again.
        assert decision.status == DecisionStatus.REFUSED and attempt == 0
        assert case.state == State.PROCEEDINGS and approvals == 0
        assert CaseTransition.objects.filter(case=case, name="refuse_outcome").count() == 1
        decision = services.outcome_propose(
            actor=alice,
            case=case,
            outcomes=[
                services.OutcomeData(o.allegation, o.track, o.finding, o.action)
                for o in decision.outcomes.all()
            ],
            rationale="Again",
        )
        second = "approve"
    pytest.fail("the outcome was never approved")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_references_are_unique_and_gapless_under_concurrent_creation(postgresql_only, alice):
    subjects = [PersonFactory() for _ in range(8)]

    def create_ten(subject):
        def run():
            return [
                services.case_create(
                    actor=alice,
                    case_type=CaseType.CONDUCT_MATTER,
                    summary="Audit hit",
                    received_on=RECEIVED,
                    allegations=[allegation(subject)],
                ).reference
                for _ in range(10)
            ]

        return run

    results, errors = race(*(create_ten(s) for s in subjects))
    assert errors == [None] * 8
    references = [ref for batch in results for ref in batch]
    assert len(set(references)) == 80
    assert sorted(references) == [f"PSD-{YEAR}-{n:06d}" for n in range(1, 81)]
    assert ReferenceCounter.objects.get(year=YEAR).last == 80
    assert Case.objects.filter(received_on=RECEIVED).count() == 80


@pytest.mark.django_db
def test_a_failed_creation_gives_its_number_back(alice):
    first = complaint(alice)
    year = first.received_on.year
    number = int(first.reference.rsplit("-", 1)[1])
    broken = AllegationData(
        summary="Category not saved", category=AllegationCategory(name="Unsaved"), about_force=True
    )
    with pytest.raises(ValueError):
        complaint(alice, allegations=[broken])  # fails after the number was taken
    assert ReferenceCounter.objects.get(year=year).last == number
    assert Case.objects.count() == 1
    after = complaint(alice)
    assert after.reference == f"PSD-{year}-{number + 1:06d}"


@pytest.mark.django_db
def test_references_count_per_year_of_receipt(alice):
    older = services.case_create(
        actor=alice,
        case_type=CaseType.CONDUCT_MATTER,
        summary="Old matter",
        received_on=datetime.date(2024, 12, 31),
        allegations=[allegation(PersonFactory())],
    )
    newer = services.case_create(
        actor=alice,
        case_type=CaseType.CONDUCT_MATTER,
        summary="New matter",
        received_on=datetime.date(2025, 1, 1),
        allegations=[allegation(PersonFactory())],
    )
    assert (older.reference, newer.reference) == ("PSD-2024-000001", "PSD-2025-000001")
