"""People, deadlines, statistics; cursor pagination, filters and pinned query counts; the
token page; the schema and the self-hosted docs under the strict CSP."""

import datetime

import pytest
from django.db import connection
from django.test import Client

from accounts.models import ApiToken
from audit.models import AuditEntry
from deadlines.models import DeadlineKind
from tests.accounts.factories import PersonFactory
from tests.cases.factories import complaint
from tests.deadlines.factories import DeadlineFactory

pytestmark = pytest.mark.django_db


# --- people -------------------------------------------------------------------------------


def test_people_list_search_and_detail_read_logged(api_as, alice):
    smith = PersonFactory(surname="Smithson")
    PersonFactory(surname="Jones")
    client = api_as(alice)
    body = client.get("/api/people/", {"q": "smith"}).json()
    assert [p["id"] for p in body["results"]] == [smith.pk]
    assert "date_of_birth" not in body["results"][0]
    response = client.get(f"/api/people/{smith.pk}/")
    assert response.status_code == 200 and response.json()["surname"] == "Smithson"
    assert AuditEntry.objects.filter(
        action="read.page", actor=alice, table_name="accounts_person", object_pk=str(smith.pk)
    ).exists()
    assert client.get("/api/people/99999999/").status_code == 404
    assert client.get("/api/people/abc/").status_code == 404
    assert client.get("/api/people/", {"status": "flying"}).status_code == 400


# --- deadlines ----------------------------------------------------------------------------


def test_deadlines_mine_and_restricted_kinds(api_as, alice, victor):
    mine = DeadlineFactory(owner=alice, due_date=datetime.date.today())
    revetting = DeadlineFactory(
        owner=alice, kind=DeadlineKind.objects.get(code="revetting_due"), due_date=mine.due_date
    )
    DeadlineFactory(owner=victor)
    ids = [d["id"] for d in api_as(alice).get("/api/deadlines/").json()["results"]]
    assert ids == [mine.pk]  # not victor's, and not the re-vetting clock (issue 7)
    assert revetting.pk not in ids
    assert api_as(alice).get("/api/deadlines/", {"scope": "all"}).status_code == 403
    assert api_as(alice).get("/api/deadlines/", {"status": "late"}).status_code == 400


def test_a_cases_deadlines(api_as, alice, bob):
    case = complaint(alice, supervisor=bob)
    from cases import services as case_services

    case_services.case_record(actor=alice, case=case)
    body = api_as(alice).get(f"/api/cases/{case.reference}/deadlines/").json()
    assert "twelve_month_report" in {d["kind"] for d in body}


# --- statistics -----------------------------------------------------------------------------


def test_statistics_tables_as_json(api_as, bob, alice):
    response = api_as(bob).get("/api/statistics/", {"year": 2025})
    assert response.status_code == 200
    body = response.json()
    assert body["period"] == {"start": "2025-04-01", "end": "2026-03-31", "label": "2025/26"}
    names = [t["name"] for t in body["tables"]]
    assert names[0] == "recorded" and "timeliness" in names
    one = api_as(bob).get("/api/statistics/", {"table": "recorded"}).json()["tables"]
    assert [t["name"] for t in one] == ["recorded"]
    assert api_as(alice).get("/api/statistics/").status_code == 403


@pytest.mark.parametrize(
    "query",
    [
        {"year": "next"},
        {"year": 1900},
        {"start": "2025-01-01"},  # without an end
        {"start": "2025-02-01", "end": "2025-01-01"},
        {"table": "nope"},
        {"case_type": "parking"},
        {"year": ""},
    ],
)
def test_statistics_bad_parameters_are_400(api_as, bob, query):
    response = api_as(bob).get("/api/statistics/", query)
    assert response.status_code == 400
    assert response.json()["errors"]


# --- pagination, filters, query counts ------------------------------------------------------


def _cases(alice, bob, n):
    return [complaint(alice, supervisor=bob, received=10 + i) for i in range(n)]


def test_cursor_pages_walk_every_case_once_newest_first(api_as, alice, bob):
    cases = _cases(alice, bob, 5)
    client = api_as(alice)
    seen, url = [], "/api/cases/?page_size=2"
    while url:
        body = client.get(url).json()
        seen += [c["reference"] for c in body["results"]]
        url = body["next"]
    assert seen == [c.reference for c in sorted(cases, key=lambda c: c.received_on, reverse=True)]
    assert client.get("/api/cases/", {"cursor": "bogus"}).status_code == 404
    assert client.get("/api/cases/", {"page_size": 0}).status_code == 400
    assert client.get("/api/cases/", {"page_size": 500}).status_code == 400


def test_case_filters(api_as, alice, bob):
    old, new = complaint(alice, supervisor=bob, received=200), complaint(alice, supervisor=bob)
    from cases import services as case_services

    case_services.case_record(actor=alice, case=new)
    client = api_as(alice)

    def refs(**query):
        response = client.get("/api/cases/", query)
        assert response.status_code == 200, response.json()
        return [c["reference"] for c in response.json()["results"]]

    assert refs(state="recorded") == [new.reference]
    assert refs(state=["recorded", "received"]) == [new.reference, old.reference]
    since = (datetime.date.today() - datetime.timedelta(days=100)).isoformat()
    assert refs(received_after=since) == [new.reference]
    assert refs(received_before=since) == [old.reference]
    assert refs(team=alice.team_id) == [new.reference, old.reference]
    assert refs(team=999999) == []
    assert refs(case_type="conduct") == []
    assert refs(investigator="alice") == [new.reference, old.reference]
    for bad in ({"state": "lost"}, {"received_after": "25/11/2026"}, {"team": "x"}):
        assert client.get("/api/cases/", bad).status_code == 400, bad


@pytest.mark.parametrize("count", [2, 8])
def test_list_pages_take_a_fixed_number_of_queries(
    api_as, alice, bob, count, django_assert_num_queries
):
    _cases(alice, bob, count)
    for i in range(count):
        DeadlineFactory(owner=alice, due_date=datetime.date.today() + datetime.timedelta(days=i))
    client = api_as(alice)
    client.get("/api/")  # a token's first use records last_used_at (an UPDATE, once a minute)
    # Each request: the audit context (set and cleared: PostgreSQL only), the token with its
    # user, the user's permissions (2), then the page itself in one query, nothing per row.
    audit = 3 if connection.vendor == "postgresql" else 0
    with django_assert_num_queries(audit + 4):
        assert len(client.get("/api/cases/").json()["results"]) == count
    with django_assert_num_queries(audit + 4):
        client.get("/api/people/")
    with django_assert_num_queries(audit + 5):  # + the user's roles (which scopes they have)
        assert len(client.get("/api/deadlines/").json()["results"]) == count


# --- the token page -------------------------------------------------------------------------


def test_token_page_issues_rotates_and_revokes_audited(client, alice):
    client.force_login(alice)
    assert "no token" in client.get("/api/token/").content.decode()
    response = client.post("/api/token/", {"do": "rotate"})
    assert response.status_code == 201
    first = response.context["issued"]
    assert first in response.content.decode()
    assert AuditEntry.objects.filter(action="api.token_issued", actor=alice).exists()
    api = Client()
    assert api.get("/api/cases/", HTTP_AUTHORIZATION=f"Token {first}").status_code == 200
    second = client.post("/api/token/", {"do": "rotate"}).context["issued"]
    assert second != first
    assert AuditEntry.objects.filter(action="api.token_rotated", actor=alice).exists()
    assert api.get("/api/cases/", HTTP_AUTHORIZATION=f"Token {first}").status_code == 401
    assert first not in client.get("/api/token/").content.decode()  # shown once only
    client.post("/api/token/", {"do": "revoke"})
    assert not ApiToken.objects.filter(user=alice).exists()
    assert AuditEntry.objects.filter(action="api.token_revoked", actor=alice).exists()
    assert api.get("/api/cases/", HTTP_AUTHORIZATION=f"Token {second}").status_code == 401


def test_token_page_needs_sign_in(client):
    response = client.get("/api/token/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


# --- schema and docs ------------------------------------------------------------------------


def test_schema_declares_errors_cursor_filters_and_links(api_as, alice):
    response = api_as(alice).get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    cases = schema["paths"]["/api/cases/"]
    assert set(cases["get"]["responses"]) >= {"200", "400", "401", "403", "404"}
    assert set(cases["post"]["responses"]) >= {"201", "400", "401", "403", "409", "415"}
    params = {p["name"] for p in cases["get"]["parameters"]}
    assert {"cursor", "page_size", "state", "team", "received_after"} <= params
    links = cases["post"]["responses"]["201"]["links"]
    assert links["GetCase"]["operationId"] == "cases_retrieve"
    assert schema["components"]["securitySchemes"]["tokenAuth"]["in"] == "header"
    assert Client().get("/api/schema/").status_code == 401


def test_docs_are_self_hosted_and_work_under_the_strict_csp(client, alice):
    client.force_login(alice)
    page = client.get("/api/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    csp = page["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "img-src 'self' data:" in csp  # Swagger UI's icons, on this page only
    assert "data:" not in client.get("/api/token/")["Content-Security-Policy"]
    assert "<style" not in html and "<script>" not in html  # nothing inline
    assert "cdn" not in html.lower() and "https://" not in html
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200
    assert "SwaggerUIBundle" in script.content.decode()
    assert "javascript" in script["Content-Type"]


def test_the_admin_does_not_list_api_keys(client, ada):
    from django.contrib import admin
    from rest_framework.authtoken.models import TokenProxy

    assert not admin.site.is_registered(TokenProxy)
    client.force_login(ada)  # the staff administrator
    assert client.get("/admin/authtoken/tokenproxy/").status_code == 404


@pytest.mark.parametrize("subjects", [1, 4])
def test_a_case_takes_a_fixed_number_of_queries(
    api_as, alice, bob, subjects, django_assert_num_queries
):
    case = complaint(alice, *PersonFactory.create_batch(subjects), supervisor=bob)
    client = api_as(alice)
    client.get("/api/")  # a token's first use records last_used_at (an UPDATE, once a minute)
    audit = 3 if connection.vendor == "postgresql" else 0
    # token, permissions (2), the case, its subjects with their people, the audit row of the read,
    # whatever the number of subjects.
    with django_assert_num_queries(audit + 6):
        body = client.get(f"/api/cases/{case.reference}/").json()
    assert len(body["subjects"]) == subjects
