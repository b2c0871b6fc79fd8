"""The REST API for cases: the same visibility, permissions, audit and services as the pages."""

import datetime

import pytest
from django.test import Client
from rest_framework.test import APIClient

from audit.models import AuditEntry, AuditKind
from cases.models import Case, CaseTransition, State
from tests.accounts.factories import PersonFactory
from tests.cases.factories import complaint

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(alice, bob):
    return complaint(alice, supervisor=bob)


def _payload(person, **overrides):
    from cases.models import AllegationCategory

    payload = {
        "case_type": "complaint",
        "source": "public",
        "received_on": (datetime.date.today() - datetime.timedelta(days=3)).isoformat(),
        "summary": "Rude at the front desk",
        "complainants": [{"name": "Sam Public", "email": "sam@example.org"}],
        "allegations": [
            {
                "summary": "Swore at the complainant",
                "category": AllegationCategory.objects.filter(active=True).first().pk,
                "subjects": [person.pk],
            }
        ],
    }
    payload.update(overrides)
    return payload


# --- authentication -----------------------------------------------------------------------


def test_anonymous_callers_get_401_json_not_the_sign_in_page(client):
    response = client.get("/api/cases/")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    assert response["WWW-Authenticate"] == "Token"
    assert response.json()["detail"]


def test_a_wrong_token_is_401(case):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-key")
    assert client.get("/api/cases/").status_code == 401


@pytest.mark.no_auto_otp
def test_a_session_without_two_factor_is_refused(alice, case):
    client = Client()
    client.force_login(alice)  # signed in, not verified
    response = client.get("/api/cases/", HTTP_ACCEPT="application/json")
    assert response.status_code == 401
    assert "Two-factor" in response.json()["detail"]


def test_a_verified_session_reads_and_must_send_the_csrf_token_to_write(alice, case):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    response = client.get("/api/cases/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert [c["reference"] for c in response.json()["results"]] == [case.reference]
    refused = client.post(
        f"/api/cases/{case.reference}/actions/record/", {}, content_type="application/json"
    )
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]
    assert Case.objects.get(pk=case.pk).state == State.RECEIVED


def test_a_role_without_case_access_gets_403(api_as, victor, case):
    assert api_as(victor).get("/api/cases/").status_code == 403
    assert api_as(victor).get(f"/api/cases/{case.reference}/").status_code == 403


# --- visibility and audit of reads --------------------------------------------------------


def test_list_shows_only_visible_cases(api_as, alice, dave, case):
    other = complaint(dave)
    references = [c["reference"] for c in api_as(alice).get("/api/cases/").json()["results"]]
    assert references == [case.reference]
    assert other.reference not in references


def test_another_teams_case_and_its_parts_answer_404_and_the_attempt_is_logged(api_as, dave, case):
    client = api_as(dave)
    for suffix in ("", "allegations/", "deadlines/", "actions/"):
        response = client.get(f"/api/cases/{case.reference}/{suffix}")
        assert response.status_code == 404, suffix
        assert response.json() == {"detail": "Not found."}
    assert AuditEntry.objects.filter(action="read.refused", actor=dave).count() == 4
    response = client.post(f"/api/cases/{case.reference}/actions/record/", {}, format="json")
    assert response.status_code == 404
    assert Case.objects.get(pk=case.pk).state == State.RECEIVED


def test_reading_a_case_is_logged_as_the_page_logs_it(api_as, alice, case):
    response = api_as(alice).get(f"/api/cases/{case.reference}/")
    assert response.status_code == 200
    body = response.json()
    assert body["reference"] == case.reference
    assert body["state"] == "received"
    assert [s["person"] for s in body["subjects"]] == [t.person_id for t in case.tracks.all()]
    assert "complainants" not in body and "notes" not in body
    assert AuditEntry.objects.filter(
        action="read.page", actor=alice, table_name="cases_case", object_pk=str(case.pk)
    ).exists()


def test_unknown_paths_under_the_api_answer_json_404(api_as, alice):
    for path in ("/api/nothing/", "/api/cases/PSD-2026-000001/x/y/", "/api/people/-1/"):
        response = api_as(alice).get(path)
        assert response.status_code == 404, path
        assert response.json()["detail"]


def test_allegations_of_a_case(api_as, alice, case):
    response = api_as(alice).get(f"/api/cases/{case.reference}/allegations/")
    assert response.status_code == 200
    [allegation] = response.json()
    assert allegation["number"] == 1
    assert allegation["subjects"] == [case.tracks.get().person_id]


# --- creating a case ------------------------------------------------------------------------


def test_create_a_case_through_the_service(api_as, alice):
    person = PersonFactory()
    response = api_as(alice).post("/api/cases/", _payload(person), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    case = Case.objects.get(reference=body["reference"])
    assert response["Location"].endswith(f"/api/cases/{case.reference}/")
    assert case.investigator == alice and case.created_by == alice
    assert case.complainants.get().name == "Sam Public"
    assert [s["person"] for s in body["subjects"]] == [person.pk]
    assert CaseTransition.objects.filter(case=case, name="create", actor=alice).exists()
    # The database triggers attribute the new rows to the token's user.
    change = AuditEntry.objects.filter(
        kind=AuditKind.CHANGE, table_name="cases_case", object_pk=str(case.pk)
    ).first()
    assert change is not None and change.actor == alice


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"colour": "blue"}, "colour"),
        ({"case_type": "parking"}, "case_type"),
        ({"received_on": "yesterday"}, "received_on"),
        ({"received_on": "2999-01-01"}, "received_on"),
        ({"received_on": "1900-01-01"}, "received_on"),
        ({"summary": 42}, None),  # DRF accepts numbers as text: not an error
        ({"summary": ""}, "summary"),
        ({"allegations": "none"}, "allegations"),
        ({"allegations": []}, "allegations"),
        ({"supervisor": "nobody"}, "supervisor"),
        ({"complainants": [{"name": "X", "shoe_size": 9}]}, "complainants"),
        ({"complainants": [{"email": "not-an-email", "name": "X"}]}, "complainants"),
    ],
)
def test_bad_input_is_400_naming_the_field_and_saves_nothing(api_as, alice, overrides, field):
    payload = _payload(PersonFactory(), **overrides)
    response = api_as(alice).post("/api/cases/", payload, format="json")
    if field is None:
        assert response.status_code == 201
        return
    assert response.status_code == 400, response.json()
    body = response.json()
    assert field in body["errors"], body
    assert body["detail"]
    assert not Case.objects.exists()


def test_a_rule_of_the_service_is_a_400_with_its_reason(api_as, alice):
    response = api_as(alice).post(
        "/api/cases/", _payload(PersonFactory(), complainants=[]), format="json"
    )
    assert response.status_code == 400
    assert "complainant" in response.json()["detail"]
    assert not Case.objects.exists()


def test_nested_unknown_fields_are_named(api_as, alice):
    payload = _payload(PersonFactory())
    payload["allegations"][0]["severity"] = "gross"
    response = api_as(alice).post("/api/cases/", payload, format="json")
    assert response.status_code == 400
    errors = response.json()["errors"]["allegations"]
    assert errors == {"0": {"severity": ["Unknown field."]}}, errors


def test_malformed_json_and_other_media_types_are_refused(api_as, alice):
    client = api_as(alice)
    response = client.post("/api/cases/", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert "JSON" in response.json()["detail"]
    response = client.post("/api/cases/", "a=b", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 415
    response = client.post("/api/cases/", "[1, 2]", content_type="application/json")
    assert response.status_code == 400


def test_only_roles_that_log_cases_may_create(api_as, eve):
    response = api_as(eve).post("/api/cases/", _payload(PersonFactory()), format="json")
    assert response.status_code == 403
    assert not Case.objects.exists()


# --- allegations ------------------------------------------------------------------------------


def test_add_an_allegation(api_as, alice, case):
    from cases.models import AllegationCategory

    person = PersonFactory()
    response = api_as(alice).post(
        f"/api/cases/{case.reference}/allegations/",
        {
            "summary": "Failed to record the complaint",
            "category": AllegationCategory.objects.filter(active=True).first().pk,
            "subjects": [person.pk],
            "expected_version": case.version,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["number"] == 2
    assert case.tracks.filter(person=person).exists()


def test_adding_an_allegation_with_an_old_version_is_409(api_as, alice, case):
    from cases.models import AllegationCategory

    response = api_as(alice).post(
        f"/api/cases/{case.reference}/allegations/",
        {
            "summary": "Late",
            "category": AllegationCategory.objects.filter(active=True).first().pk,
            "about_force": True,
            "expected_version": case.version + 5,
        },
        format="json",
    )
    assert response.status_code == 409
    assert case.allegations.count() == 1


def test_an_allegation_needs_a_subject_or_the_force(api_as, alice, case):
    from cases.models import AllegationCategory

    response = api_as(alice).post(
        f"/api/cases/{case.reference}/allegations/",
        {"summary": "x", "category": AllegationCategory.objects.first().pk},
        format="json",
    )
    assert response.status_code == 400
    assert "subjects" in response.json()["errors"]
    assert case.allegations.count() == 1


def test_the_services_refusal_of_a_role_is_403(api_as, eve, case):
    from cases.models import AllegationCategory

    # The auditor may read the case; the service refuses the change (PermissionDenied).
    response = api_as(eve).post(
        f"/api/cases/{case.reference}/allegations/",
        {
            "summary": "x",
            "category": AllegationCategory.objects.first().pk,
            "about_force": True,
        },
        format="json",
    )
    assert response.status_code == 403
    assert response.json()["detail"] == "Your role does not allow this action."
    assert case.allegations.count() == 1


def test_create_a_case_into_the_team_queue(api_as, alice):
    response = api_as(alice).post(
        "/api/cases/", _payload(PersonFactory(), to_queue=True), format="json"
    )
    assert response.status_code == 201, response.json()
    case = Case.objects.get(reference=response.json()["reference"])
    assert case.investigator is None and case.team == alice.team
    assert response.json()["investigator"] is None


def test_create_keeps_the_complainants_wish_to_have_it_recorded(api_as, alice):
    payload = _payload(PersonFactory(), recording_wish="yes")
    response = api_as(alice).post("/api/cases/", payload, format="json")
    assert response.status_code == 201, response.json()
    case = Case.objects.get(reference=response.json()["reference"])
    kept = {"answer": "yes", "on": payload["received_on"], "channel": "intake"}
    assert case.handling_answers == {"recording_wish": kept}
    refused = api_as(alice).post(
        "/api/cases/", _payload(PersonFactory(), recording_wish="maybe"), format="json"
    )
    assert refused.status_code == 400 and "recording_wish" in refused.json()["errors"]
