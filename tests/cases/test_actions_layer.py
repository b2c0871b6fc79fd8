"""The actions layer both front ends use (cases.actions.page): one attempt looks the action up,
checks the role, the guard and the form, then runs the action's one service."""

import pytest

from accounts.models import User
from cases import services
from cases.actions import page as actions
from cases.models import Case, Decision, State
from psd.domain import DomainError
from tests.cases.factories import complaint

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposal(alice, bob):
    case = complaint(alice, supervisor=bob)
    services.case_record(actor=alice, case=case)
    services.case_assess_referral(actor=alice, case=case, criteria=[], rationale="None met")
    return case, services.case_propose_no_referral(actor=alice, case=case, rationale="None")


def test_an_unknown_action_or_target_and_a_role_without_the_permission(alice, eve, bob):
    case = complaint(alice, supervisor=bob)
    with pytest.raises(actions.UnknownAction):
        actions.attempt(user=alice, case=case, name="fly", target=0)
    with pytest.raises(actions.UnknownAction):
        actions.attempt(user=alice, case=case, name="record", target=case.pk)  # 0 is the case
    with pytest.raises(actions.RoleRefused):
        actions.attempt(user=eve, case=case, name="record", target=0)  # the auditor


def test_the_guards_sentence_refuses_the_attempt_as_the_service_would(proposal, alice, bob):
    case, decision = proposal
    alice.groups.add(*bob.groups.all())  # a supervisor's role: approving is now hers to offer
    alice = User.objects.get(pk=alice.pk)  # without the permissions cached before
    attempt = actions.attempt(user=alice, case=case, name="approve", target=decision.pk, data={})
    with pytest.raises(actions.NotPossibleNow) as refused:
        attempt.run()
    with pytest.raises(DomainError) as by_the_service:
        services.decision_approve(actor=alice, decision=decision)
    assert str(refused.value) == by_the_service.value.message  # four-eyes: she proposed it
    assert Decision.objects.get(pk=decision.pk).status == "pending"


def test_invalid_input_is_refused_with_the_forms_errors(alice, bob):
    case = complaint(alice, supervisor=bob)
    attempt = actions.attempt(
        user=alice,
        case=case,
        name="record",
        target=0,
        data={"recorded_on": "someday"},
        prefixed=False,
    )
    with pytest.raises(actions.InvalidInput):
        attempt.run()
    assert "recorded_on" in attempt.form.errors
    assert Case.objects.get(pk=case.pk).state == State.RECEIVED


def test_a_valid_attempt_runs_the_one_service(alice, bob):
    case = complaint(alice, supervisor=bob)
    attempt = actions.attempt(user=alice, case=case, name="record", target=0, prefixed=False)
    attempt = attempt.bound({"recorded_on": case.received_on.isoformat()})
    assert attempt.run() == "Case recorded."
    assert Case.objects.get(pk=case.pk).state == State.RECORDED
