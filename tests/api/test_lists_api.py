"""Barred and advisory list entries through the API: the lists page's actions, guards and
services; refusals are 400/403/404 JSON and change nothing."""

import pytest

from accounts.models import PersonStatus, RoleType, WithdrawalGround
from accounts.services import person_set_status
from cases.models import AdvisoryListEntry, BarredListEntry, CaseTransition, ListStatus
from tests.accounts.factories import PersonFactory
from tests.cases.factories import days_ago
from tests.cases.list_routes import dismissed

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(alice, bob, carol):
    return dismissed(alice, bob, carol)


def url(entry, name):
    return f"/api/list-entries/barred/{entry.pk}/actions/{name}/"


def test_entries_with_the_actions_you_may_take(api_as, carol, victor, entry):
    rows = api_as(carol).get("/api/list-entries/").json()
    row = next(r for r in rows if r["kind"] == "barred" and r["id"] == entry.pk)
    assert row["status"] == "to_report" and row["event_date"] == entry.event_date.isoformat()
    assert row["paragraph"].startswith("s88A(1)(a)")
    assert set(row["actions"]) == {"report", "overturned", "remove"}
    rows = api_as(victor).get("/api/list-entries/").json()
    assert next(r for r in rows if r["id"] == entry.pk)["actions"] == []


def test_report_then_overturn_then_further_report(api_as, carol, entry):
    client = api_as(carol)
    day = days_ago(0).isoformat()
    response = client.post(url(entry, "report"), {"reported_on": day}, format="json")
    assert response.status_code == 200 and response.json()["entry"]["status"] == "reported"
    response = client.post(
        url(entry, "overturned"), {"decided_on": day, "reason": "Appeal allowed"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["entry"]["actions"] == ["further_report", "remove"]
    response = client.post(url(entry, "further_report"), {"reported_on": day}, format="json")
    assert response.status_code == 200 and response.json()["entry"]["status"] == "removed"


def test_refusals_are_json_and_change_nothing(api_as, alice, carol, entry):
    transitions = CaseTransition.objects.count()
    client = api_as(carol)
    response = client.post(
        url(entry, "further_report"), {"reported_on": "2026-01-01"}, format="json"
    )
    assert response.status_code == 400 and "not possible" in str(response.json())
    response = client.post(
        url(entry, "overturned"),
        {"decided_on": days_ago(30).isoformat(), "reason": "x"},
        format="json",
    )
    assert response.status_code == 400 and "decided_on" in response.json()["errors"]
    response = client.post(url(entry, "report"), {"reported_on": "x", "other": 1}, format="json")
    assert response.status_code == 400
    assert api_as(alice).post(url(entry, "report"), {}, format="json").status_code == 403
    assert client.post(url(entry, "nothing"), {}, format="json").status_code == 404
    entry.refresh_from_db()
    assert entry.status == ListStatus.TO_REPORT and entry.further_event_on is None
    assert CaseTransition.objects.count() == transitions


def test_recording_a_dismissal_made_outside_a_case(api_as, alice, carol):
    officer = PersonFactory(number="PC7789")
    body = {
        "number": "PC7789",
        "ground": "performance",
        "dismissed_on": days_ago(2).isoformat(),
        "reasons": "Gross incompetence",
    }
    assert api_as(alice).post("/api/list-entries/", body, format="json").status_code == 403
    response = api_as(carol).post(
        "/api/list-entries/", body | {"dismissed_on": "2017-01-01"}, format="json"
    )
    assert response.status_code == 400 and "dismissed_on" in response.json()["errors"]
    assert not BarredListEntry.objects.filter(person=officer).exists()
    response = api_as(carol).post("/api/list-entries/", body, format="json")
    assert response.status_code == 201 and response.json()["paragraph"].startswith("s88A(1)(a)")
    assert BarredListEntry.objects.get(person=officer).ground == "performance"


# --- Designated volunteers (Police Act 1996 s88I(1)(c); not on the barred list) ---------


def test_api_lists_the_volunteer_entry_without_a_further_report(api_as, carol, ada):
    csv = PersonFactory(role_type=RoleType.COMMUNITY_VOLUNTEER, rank=None)
    person_set_status(
        actor=ada,
        person=csv,
        status=PersonStatus.WITHDRAWN,
        effective_date=days_ago(1),
        reason="Conduct",
        grounds=WithdrawalGround.CONDUCT,
    )
    entry = AdvisoryListEntry.objects.get()
    rows = api_as(carol).get("/api/list-entries/").json()
    row = next(r for r in rows if r["kind"] == "advisory" and r["id"] == entry.pk)
    assert row["paragraph"].startswith("s88I(1)(c)")
    assert "further_report" not in row["actions"] and "report" in row["actions"]


def test_api_refuses_a_barred_list_dismissal_for_a_volunteer(api_as, carol):
    PersonFactory(role_type=RoleType.COMMUNITY_VOLUNTEER, rank=None, number="CSV0777")
    body = {
        "number": "CSV0777",
        "ground": "conduct",
        "dismissed_on": days_ago(2).isoformat(),
        "reasons": "Misconduct",
    }
    response = api_as(carol).post("/api/list-entries/", body, format="json")
    assert response.status_code == 400 and "not on the barred list" in response.content.decode()
    assert not BarredListEntry.objects.exists()
