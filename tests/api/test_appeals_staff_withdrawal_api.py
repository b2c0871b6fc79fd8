"""Issue 18 items 6-8 through the API: the same actions, forms and guards as the case page."""

import pytest

from cases import services
from cases.models import (
    Action,
    Appeal,
    AppealResult,
    Finding,
    Forum,
    Outcome,
    OutcomeStatus,
    StaffOutcomeKind,
)
from cases.services.withdrawal import NOTIFY_IOPC
from tests.accounts.factories import StaffPersonFactory
from tests.cases.factories import complaint, criterion, days_ago
from tests.cases.routes import awaiting_iopc, concluded, deadline, fresh, outcomes_for

pytestmark = pytest.mark.django_db


def url(case, name):
    return f"/api/cases/{case.reference}/actions/{name}/"


def listed(client, case) -> dict:
    response = client.get(f"/api/cases/{case.reference}/actions/")
    assert response.status_code == 200
    return {(a["name"], a["target"]): a for a in response.json()}


def test_appeal_lodged_and_decided_through_the_api(api_as, alice, bob):
    case = concluded(complaint(alice, supervisor=bob), alice, bob)
    track = case.tracks.get()
    client = api_as(alice)
    assert ("lodge_appeal", track.pk) not in listed(client, case)  # no outcome yet
    refused = client.post(url(case, "lodge_appeal"), {"target": track.pk}, format="json")
    assert refused.status_code == 400 and not Appeal.objects.exists()
    case = _approve(case, alice, bob)
    outcome = Outcome.objects.get(track=track, status=OutcomeStatus.APPROVED)
    action = listed(client, case)[("lodge_appeal", track.pk)]
    fields = {f["name"]: f for f in action["fields"]}
    assert fields["outcome"]["choices"] == [outcome.pk]
    body = {
        "target": track.pk,
        "outcome": outcome.pk,
        "lodged_on": outcome.effective_on.isoformat(),
        "grounds": "Unreasonable",
    }
    response = client.post(url(case, "lodge_appeal"), body, format="json")
    assert response.status_code == 200, response.json()
    body = {
        "target": track.pk,
        "result": "overturned",
        "decided_on": days_ago(0).isoformat(),
        "reasons": "New evidence",
    }
    response = client.post(url(case, "record_appeal_result"), body, format="json")
    assert response.status_code == 200, response.json()
    appeal = Appeal.objects.get()
    assert appeal.result == AppealResult.OVERTURNED
    assert appeal.varied_outcome.finding == Finding.NOT_PROVEN


def _approve(case, alice, bob):
    decision = services.outcome_propose(
        actor=alice, case=case, outcomes=outcomes_for(case), rationale="Warning"
    )
    services.decision_approve(actor=bob, decision=decision)
    return fresh(case)


def test_a_staff_outcome_through_the_api(api_as, alice, bob):
    case = concluded(
        complaint(alice, StaffPersonFactory(), supervisor=bob), alice, bob, forum=Forum.HEARING
    )
    track, allegation = case.tracks.get(), case.allegations.get()
    key = f"{allegation.pk}_{track.pk}"
    client = api_as(alice)
    fields = {f["name"]: f for f in listed(client, case)[("propose_outcome", 0)]["fields"]}
    kind = StaffOutcomeKind.objects.get(code="dismissal_without_notice")
    assert kind.pk in fields[f"staff_outcome_{key}"]["choices"]
    body = {
        f"finding_{key}": Finding.GROSS_MISCONDUCT_PROVEN,
        f"action_{key}": Action.WRITTEN_WARNING,
        "effective_on": days_ago(0).isoformat(),
        "rationale": "Staff policy",
    }
    refused = client.post(url(case, "propose_outcome"), body, format="json")
    assert refused.status_code == 400 and not Outcome.objects.exists()
    body[f"action_{key}"], body[f"staff_outcome_{key}"] = Action.NONE, kind.pk
    response = client.post(url(case, "propose_outcome"), body, format="json")
    assert response.status_code == 200, response.json()
    assert Outcome.objects.get().staff_outcome == kind


def test_withdrawal_notification_through_the_api(api_as, alice, bob):
    case = awaiting_iopc(complaint(alice, supervisor=bob), alice, criterion("serious_assault"))
    services.case_withdraw(actor=alice, case=case, reason="Signed letter")
    case = fresh(case)
    client = api_as(alice)
    assert ("withdrawal_notified", 0) in listed(client, case)
    body = {"recipient": NOTIFY_IOPC, "notified_on": days_ago(0).isoformat()}
    response = client.post(url(case, "withdrawal_notified"), body, format="json")
    assert response.status_code == 200, response.json()
    assert deadline(case, NOTIFY_IOPC).status == "met"
    again = client.post(url(case, "withdrawal_notified"), body, format="json")
    assert again.status_code == 400
