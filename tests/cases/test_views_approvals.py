"""The approval queue: proposals by others, approve / refuse with a reason, four-eyes."""

import pytest
from django.urls import reverse

from cases import services
from cases.models import Decision, State
from tests.cases.factories import complaint

pytestmark = pytest.mark.django_db
QUEUE = reverse("cases:approvals")


def proposal(alice, bob):
    case = complaint(alice, supervisor=bob)
    services.case_record(actor=alice, case=case)
    services.case_assess_referral(actor=alice, case=case, criteria=[], rationale="None met")
    return case, services.case_propose_no_referral(actor=alice, case=case, rationale="None met")


def decide(client, decision, verdict, reason=""):
    return client.post(
        reverse("cases:approval_decide", args=[decision.pk, verdict]),
        {f"{verdict}-{decision.pk}-reason": reason},
    )


def test_supervisor_sees_and_approves_a_proposal(client, alice, bob):
    case, decision = proposal(alice, bob)
    client.force_login(bob)
    page = client.get(QUEUE)
    assert page.status_code == 200 and case.reference in page.content.decode()
    response = decide(client, decision, "approve")
    assert response.url == QUEUE
    case.refresh_from_db()
    assert case.state == State.HANDLING_DECIDED
    assert "Nothing is waiting for you." in client.get(QUEUE).content.decode()


def test_refusal_needs_a_reason(client, alice, bob):
    _, decision = proposal(alice, bob)
    client.force_login(bob)
    response = decide(client, decision, "refuse", "")
    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()
    assert decide(client, decision, "refuse", "Criterion 3 applies").status_code == 302
    decision.refresh_from_db()
    assert decision.status == "refused" and decision.decision_reason == "Criterion 3 applies"


def test_four_eyes_refusal_is_shown_as_a_message(client, alice, bob, carol):
    # bob proposes on a case he investigates; as its investigator he may not approve it,
    # and as the proposer it is not in his queue. carol (AA) may.
    case = complaint(bob)
    services.case_record(actor=bob, case=case)
    services.case_assess_referral(actor=bob, case=case, criteria=[], rationale="None")
    decision = services.case_propose_no_referral(actor=bob, case=case, rationale="None")
    services.case_assign(actor=carol, case=case, investigator=alice)
    # now alice investigates; bob is the proposer: still not his to approve
    client.force_login(bob)
    assert case.reference not in client.get(QUEUE).content.decode()
    response = decide(client, decision, "approve")
    assert response.status_code == 302
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("cannot approve or refuse a decision you proposed" in m for m in messages)
    decision.refresh_from_db()
    assert decision.status == "pending"
    client.force_login(carol)
    assert decide(client, decision, "approve").status_code == 302


def test_already_decided_proposal_says_so(client, alice, bob, carol):
    _, decision = proposal(alice, bob)
    services.decision_approve(actor=carol, decision=decision)
    client.force_login(bob)
    response = decide(client, decision, "approve")
    assert response.status_code == 302
    assert Decision.objects.get(pk=decision.pk).decided_by == carol


def test_queue_needs_the_approve_permission_and_visibility(client, alice, dave, bob):
    _, decision = proposal(alice, bob)
    client.force_login(alice)
    assert client.get(QUEUE).status_code == 403
    assert decide(client, decision, "approve").status_code == 403
    from psd.roles import Role
    from tests.accounts.factories import user_with_role

    other_supervisor = user_with_role(Role.SUPERVISOR, "sam", team=dave.team)
    client.force_login(other_supervisor)
    assert decide(client, decision, "approve").status_code == 404
    assert decide(client, decision, "bogus").status_code == 404
