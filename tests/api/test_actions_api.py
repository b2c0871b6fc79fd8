"""Case and subject transitions through POST /api/cases/{reference}/actions/{name}/: the case
page's action table, forms and services; refusals are 400/403/404/409 JSON."""

import pytest

from cases import services as case_services
from cases.models import Case, Decision, State, SubjectTrack, TrackState
from tests.cases.factories import complaint

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(alice, bob):
    return complaint(alice, supervisor=bob)


def url(case, name):
    return f"/api/cases/{case.reference}/actions/{name}/"


def test_the_actions_available_now_with_their_fields(api_as, alice, case):
    response = api_as(alice).get(f"/api/cases/{case.reference}/actions/")
    assert response.status_code == 200
    actions = {a["name"]: a for a in response.json()}
    assert "record" in actions and "approve" not in actions
    assert "note" not in actions and "document" not in actions  # not through the API
    record = actions["record"]
    assert record["target"] == 0 and record["expected"] == str(case.version)
    assert {f["name"]: f["type"] for f in record["fields"]} == {
        "recorded_on": "date",
        "recordable_grounds": "multiple_choice",
        "reason": "string",
    }


def test_record_a_case(api_as, alice, case):
    response = api_as(alice).post(
        url(case, "record"),
        {"recorded_on": case.received_on.isoformat(), "expected": case.version},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["message"] == "Case recorded."
    assert response.json()["case"]["state"] == "recorded"
    assert Case.objects.get(pk=case.pk).state == State.RECORDED


def test_an_action_the_state_does_not_allow_is_400_and_changes_nothing(api_as, alice, case):
    response = api_as(alice).post(url(case, "start_investigation"), {}, format="json")
    assert response.status_code == 400
    assert "not possible at this stage" in response.json()["detail"]
    assert Case.objects.get(pk=case.pk).state == State.RECEIVED


def test_a_stale_expected_fingerprint_is_409(api_as, alice, case):
    response = api_as(alice).post(
        url(case, "record"), {"expected": str(case.version + 1)}, format="json"
    )
    assert response.status_code == 409
    assert Case.objects.get(pk=case.pk).state == State.RECEIVED


def test_form_errors_come_back_per_field(api_as, alice, case):
    client = api_as(alice)
    response = client.post(url(case, "handle_outside"), {}, format="json")
    assert response.status_code == 400
    assert "reason" in response.json()["errors"]
    response = client.post(url(case, "record"), {"recorded_on": "someday"}, format="json")
    assert response.status_code == 400
    assert "recorded_on" in response.json()["errors"]
    response = client.post(url(case, "record"), {"recorded_on": "1066-10-14"}, format="json")
    assert response.status_code == 400
    assert "recorded_on" in response.json()["errors"]
    assert Case.objects.get(pk=case.pk).state == State.RECEIVED


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"colour": "red"}, "colour"),
        ({"reason": ["a", "b"]}, "reason"),
        ({"reason": {"x": 1}}, "reason"),
        ({"target": "zero"}, "target"),
        ({"target": True}, "target"),
    ],
)
def test_unknown_fields_and_wrong_types_are_400(api_as, alice, case, body, field):
    response = api_as(alice).post(url(case, "record"), body, format="json")
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert Case.objects.get(pk=case.pk).state == State.RECEIVED


def test_a_body_that_is_not_an_object_is_400(api_as, alice, case):
    response = api_as(alice).post(url(case, "record"), [1, 2], format="json")
    assert response.status_code == 400


def test_unknown_action_and_unknown_target_are_404(api_as, alice, case):
    client = api_as(alice)
    assert client.post(url(case, "fly"), {}, format="json").status_code == 404
    assert client.post(url(case, "note"), {"text": "x"}, format="json").status_code == 404
    response = client.post(url(case, "assess_severity"), {"target": 999999}, format="json")
    assert response.status_code == 404


def test_a_role_without_the_permission_is_403(api_as, alice, eve, case):
    # Reassigning needs approve_decision (supervisors); the investigator may not.
    response = api_as(alice).post(url(case, "assign"), {"investigator": alice.pk}, format="json")
    assert response.status_code == 403
    # The auditor sees the case but changes nothing.
    assert api_as(eve).post(url(case, "record"), {}, format="json").status_code == 403
    assert Case.objects.get(pk=case.pk).state == State.RECEIVED


def test_a_subject_action_on_its_track(api_as, alice, bob, case):
    case_services.case_record(actor=alice, case=case)
    case_services.case_assess_referral(actor=alice, case=case, criteria=[], rationale="None")
    decision = case_services.case_propose_no_referral(actor=alice, case=case, rationale="None")
    case_services.decision_approve(actor=bob, decision=decision, reason="")
    assert Case.objects.get(pk=case.pk).state == State.HANDLING_DECIDED
    track = SubjectTrack.objects.get(case=case)
    response = api_as(alice).post(
        url(case, "assess_severity"),
        {"target": track.pk, "severity": "misconduct", "rationale": "Swearing at the public"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    track.refresh_from_db()
    assert track.state == TrackState.SEVERITY_ASSESSED and track.severity == "misconduct"


def test_four_eyes_approval_through_the_api(api_as, alice, bob, case):
    case_services.case_record(actor=alice, case=case)
    case_services.case_assess_referral(actor=alice, case=case, criteria=[], rationale="None")
    decision = case_services.case_propose_no_referral(actor=alice, case=case, rationale="None")
    # The proposer's own investigator cannot approve (no permission: 403) ...
    body = {"target": decision.pk, "reason": "Agreed"}
    assert api_as(alice).post(url(case, "approve"), body, format="json").status_code == 403
    # ... the supervisor can.
    response = api_as(bob).post(url(case, "approve"), body, format="json")
    assert response.status_code == 200, response.json()
    assert Decision.objects.get(pk=decision.pk).status == "approved"
    # Approving it again: no longer pending, so not possible now.
    again = api_as(bob).post(url(case, "approve"), body, format="json")
    assert again.status_code in (400, 409)


def test_an_action_that_takes_the_case_out_of_sight_still_answers_200(api_as, alice, bob, dave):
    case = complaint(alice)  # no supervisor: bob sees it through his team only
    response = api_as(bob).post(
        url(case, "assign"), {"investigator": dave.pk, "reason": "Team B"}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["case"] is None
    assert Case.objects.get(pk=case.pk).investigator == dave
