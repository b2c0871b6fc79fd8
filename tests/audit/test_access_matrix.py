"""Access-control matrix: every URL pattern × every role (and anonymous), from one table.

``MATRIX`` is the single source of truth: for each named URL pattern, the status a GET must
answer for each column of ``ROLES`` and, for views that only accept POST, the status of an
empty POST. A pattern missing from the table fails with "add <name> to the matrix", so no
page ships without someone deciding who may open it. Every response, whatever its status,
carries the strict Content-Security-Policy. Object-level rules (another team's case answers
404 and leaves a ``read.refused`` audit row) are tested at the end.

Columns: anonymous, Investigator (alice, team A), Supervisor (bob, team A), Appropriate
authority (carol), Vetting officer (victor), Analyst / auditor (eve), Administrator (ada, the
only staff user). 302 for anonymous means "sent to sign in"; objects in URLs belong to team A.
"""

import re
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from audit.models import AuditEntry

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "investigator", "supervisor", "aa", "vetting", "auditor", "admin")


@dataclass(frozen=True)
class Row:
    get: tuple[int, ...]
    post: tuple[int, ...] | None = None  # POST-only views: the answer to an empty POST


def row(get: str, post: str | None = None) -> Row:
    def parse(text):
        statuses = tuple(int(s) for s in text.split())
        assert len(statuses) == len(ROLES), text
        return statuses

    return Row(parse(get), parse(post) if post else None)


# Django's admin checks is_staff and then its own model permissions. Everyone but ada (the
# only staff user) is sent to the admin sign-in; for ada each admin page answers 200, a 302
# (e.g. to the list when the object does not exist) or 403 (no model permission) — never a
# 404 or a 500 — except where nothing is there to find, and the POST-only sign-out.
ADMIN_NAMESPACE = "admin"
ADMIN_FOR_STAFF = {200, 302, 403}
ADMIN_FOR_STAFF_EXCEPTIONS = {
    "admin:logout": {405},
    "admin:view_on_site": {404},  # the object named in the URL does not exist
    # ada manages users: changing the password of a user who does not exist is a 404.
    "admin:auth_user_password_change": {404},
    "admin/(?P<url>.*)$": {404},  # the catch-all: no such admin page
}

# fmt: off
MATRIX: dict[str, Row] = {
    #                                      anon inv sup  aa vet aud adm
    "accounts:dashboard":                row("302 200 403 403 403 403 403"),
    "accounts:grant_decide":             row("302 405 405 405 405 405 405",
                                             "302 403 403 403 403 403 404"),
    "accounts:grants":                   row("302 403 403 403 403 403 200"),
    "accounts:person_create":            row("302 403 403 403 403 403 200"),
    "accounts:person_detail":            row("302 200 200 200 200 200 200"),
    "accounts:person_list":              row("302 200 200 200 200 200 200"),
    "accounts:person_status":            row("302 403 403 403 403 403 200"),
    "accounts:person_update":            row("302 403 403 403 403 403 200"),
    "api:api-root":                      row("401 200 200 200 200 200 200"),
    "api:case-actions":                  row("401 200 200 200 403 200 403"),
    "api:case-allegations":              row("401 200 200 200 403 200 403"),
    "api:case-deadlines":                row("401 200 200 200 403 200 403"),
    "api:case-detail":                   row("401 200 200 200 403 200 403"),
    "api:case-list":                     row("401 200 200 200 403 200 403"),
    "api:case-run-action":               row("401 405 405 405 403 405 403",
                                             "401 415 415 415 403 403 403"),
    "api:deadline-list":                 row("401 200 200 200 200 200 403"),
    "api:list-entries":                  row("401 403 403 200 200 200 403"),
    "api:list-entry-action":             row("401 403 403 405 405 405 403",
                                             "401 403 403 404 404 404 403"),
    "api:docs":                          row("302 200 200 200 200 200 200"),
    "api:not-found":                     row("404 404 404 404 404 404 404"),
    "api:person-detail":                 row("401 200 200 200 200 200 200"),
    "api:person-list":                   row("401 200 200 200 200 200 200"),
    "api:schema":                        row("401 200 200 200 200 200 200"),
    "api:statistics":                    row("401 403 200 200 403 200 403"),
    "api:token":                         row("302 200 200 200 200 200 200"),
    "audit:search":                      row("302 403 403 403 403 200 200"),
    "cases:action":                      row("302 405 405 405 405 405 404",
                                             "302 409 409 409 404 403 404"),
    "cases:action_form":                 row("302 200 200 200 403 403 404"),
    "cases:approval_decide":             row("302 405 405 405 405 405 404",
                                             "302 403 302 302 403 403 404"),
    "cases:approvals":                   row("302 403 200 200 403 403 404"),
    "cases:detail":                      row("302 200 200 200 403 200 404"),
    "cases:document":                    row("302 200 200 200 403 200 404"),
    "cases:file":                        row("302 200 200 200 403 200 404"),
    "cases:file_pdf":                    row("302 200 200 200 403 200 404"),
    "cases:list":                        row("302 200 200 200 403 200 404"),
    "cases:list_csv":                    row("302 200 200 200 403 200 404"),
    "cases:lists":                       row("302 403 403 200 200 200 404"),
    "cases:list_action":                 row("302 405 405 405 405 405 404",
                                             "302 403 403 404 404 404 404"),
    "cases:list_record":                 row("302 405 405 405 405 405 404",
                                             "302 403 403 400 403 403 404"),
    "cases:new":                         row("302 200 200 200 403 403 404"),
    "cases:new_allegations":             row("302 302 302 302 403 403 404"),
    "cases:new_cancel":                  row("302 302 302 302 403 403 404"),
    "cases:new_check":                   row("302 302 302 302 403 403 404"),
    "cases:new_complainants":            row("302 302 302 302 403 403 404"),
    "cases:team":                        row("302 403 200 200 403 403 404"),
    "cases:team_handover":               row("302 403 200 200 403 403 404"),
    "cases:teams":                       row("302 403 302 200 403 403 404"),
    "complaint:check":                   row("200 200 200 200 200 200 200"),
    "complaint:sent":                    row("404 404 404 404 404 404 404"),
    "complaint:start":                   row("200 200 200 200 200 200 200"),
    "complaint:step":                    row("200 200 200 200 200 200 200"),
    "correspondence:bundle_download":    row("302 404 404 404 403 404 404"),
    "correspondence:bundle_request":     row("302 405 405 405 405 405 404",
                                             "302 302 302 302 403 302 404"),
    "correspondence:case_letters":       row("302 200 200 200 403 200 404"),
    "correspondence:record_update":      row("302 405 405 405 405 405 404",
                                             "302 400 400 400 403 400 404"),
    "correspondence:template_edit":      row("302 200 200 200 403 200 404"),
    "correspondence:templates":          row("302 200 200 200 403 200 404"),
    "deadlines:list":                    row("302 200 200 200 200 200 403"),
    "healthz":                           row("200 200 200 200 200 200 200"),
    "home":                              row("302 302 302 302 302 302 302"),
    # One search box (issue 22): every signed-in role may open it; it lists only the cases
    # and people each may see (tests/cases/test_search.py).
    "search":                            row("302 200 200 200 200 200 200"),
    "login":                             row("200 302 302 302 302 302 302"),
    "logout":                            row("302 405 405 405 405 405 405",
                                             "302 302 302 302 302 302 302"),
    "notifications:list":                row("302 200 200 200 200 200 200"),
    "notifications:read":                row("302 405 405 405 405 405 405",
                                             "302 302 302 302 302 302 302"),
    "notifications:read_all":            row("302 405 405 405 405 405 405",
                                             "302 302 302 302 302 302 302"),
    "portability:export_detail":         row("302 403 403 403 403 403 200"),
    "portability:exports":               row("302 403 403 403 403 403 200",
                                             "302 403 403 403 403 403 400"),
    "report:follow_up":                  row("200 200 200 200 200 200 200"),
    "report:new":                        row("200 200 200 200 200 200 200"),
    "report:reply":                      row("405 405 405 405 405 405 405",
                                             "400 400 400 400 400 400 400"),
    "reporting:evidence":                row("302 403 404 404 403 403 404"),
    "reporting:triage_ask":              row("302 403 200 200 403 403 404"),
    "reporting:triage_close":            row("302 403 200 200 403 403 404"),
    "reporting:triage_conduct_matter":   row("302 403 200 200 403 403 404"),
    "reporting:triage_detail":           row("302 403 200 200 403 403 404"),
    "reporting:triage_events":           row("302 403 200 200 403 200 404"),
    "reporting:triage_list":             row("302 403 200 200 403 200 404"),
    "stats:import":                      row("302 403 403 403 403 200 200"),
    "stats:statistics":                  row("302 403 200 200 403 200 403"),
    "twofactor:enrol":                   row("302 200 200 200 200 200 200"),
    "twofactor:recovery_codes":          row("302 200 200 200 200 200 200"),
    "twofactor:verify":                  row("302 302 302 302 302 302 302"),
    "vetting:application_action":        row("302 405 405 405 405 405 404",
                                             "302 403 403 403 400 403 404"),
    "vetting:application_detail":        row("302 403 403 403 200 403 404"),
    "vetting:application_new":           row("302 403 403 403 200 403 404"),
    "vetting:due":                       row("302 403 403 403 200 403 404"),
    "vetting:person":                    row("302 403 403 403 200 403 404"),
    "vetting:person_action":             row("302 405 405 405 405 405 404",
                                             "302 403 403 403 400 403 404"),
    "vetting:queue":                     row("302 403 403 403 200 403 404"),
}
# fmt: on


def url_patterns() -> list[tuple[str | None, str, str | None]]:
    """(name, route, namespace) of every URL pattern in the project."""

    def walk(patterns, namespace=None, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace
                ns = f"{namespace}:{inner}" if namespace and inner else (inner or namespace)
                yield from walk(pattern.url_patterns, ns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                name = pattern.name
                full = f"{namespace}:{name}" if namespace and name else name
                yield full, prefix + str(pattern.pattern), namespace

    return list(walk(get_resolver().url_patterns))


PATTERNS = url_patterns()
NAMED = sorted({name for name, _, ns in PATTERNS if name and ns != ADMIN_NAMESPACE})


def test_every_pattern_has_a_name():
    unnamed = [route for name, route, ns in PATTERNS if not name and ns != ADMIN_NAMESPACE]
    assert unnamed == [], f"name these URL patterns so the matrix can list them: {unnamed}"


def test_the_matrix_lists_every_pattern_and_nothing_else():
    missing = [name for name in NAMED if name not in MATRIX]
    assert not missing, "\n".join(f"add {name} to the matrix" for name in missing)
    stale = sorted(set(MATRIX) - set(NAMED))
    assert not stale, f"remove patterns that no longer exist from the matrix: {stale}"


# --- the world the URLs point at ----------------------------------------------------------


@pytest.fixture
def world(alice, bob, carol, victor, eve, ada, dave, settings, tmp_path):
    """One object of each kind, belonging to team A, and the URL arguments that name them."""
    from django.core.files.base import ContentFile

    from cases import services as case_services
    from cases.models import CaseDocument
    from deadlines.models import Notification, NotificationKind
    from portability.models import ExportRun
    from tests.accounts.factories import PersonFactory
    from tests.cases.factories import complaint
    from tests.reporting.factories import SubmittedReportFactory
    from tests.vetting.factories import person_application

    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path), "base_url": None},
        },
    }
    person = PersonFactory()
    case = complaint(alice, supervisor=bob)
    case_services.case_record(actor=alice, case=case)
    case_services.case_assess_referral(actor=alice, case=case, criteria=[], rationale="None met")
    decision = case_services.case_propose_no_referral(actor=alice, case=case, rationale="None")
    document = CaseDocument(
        case=case,
        original_name="note.pdf",
        content_type="application/pdf",
        size=9,
        uploaded_by=alice,
    )
    document.file.save("note.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    application = person_application(victor, person)
    report = SubmittedReportFactory().report
    notification = Notification.objects.create(
        recipient=alice, kind=NotificationKind.OTHER, title="Test", url="/"
    )
    export_run = ExportRun.objects.create(requested_by=ada, format="json")
    return {
        "accounts:dashboard": {"role": "investigator"},
        "accounts:person_detail": {"pk": person.pk},
        "accounts:person_update": {"pk": person.pk},
        "accounts:person_status": {"pk": person.pk},
        "accounts:grant_decide": {"pk": 999999, "verdict": "approve"},
        "cases:detail": {"reference": case.reference},
        "api:case-detail": {"reference": case.reference},
        "api:case-allegations": {"reference": case.reference},
        "api:case-deadlines": {"reference": case.reference},
        "api:case-actions": {"reference": case.reference},
        "api:case-run-action": {"reference": case.reference, "name": "record"},
        "api:person-detail": {"pk": person.pk},
        "cases:action": {"reference": case.reference, "name": "record", "target": 0},
        "cases:action_form": {"reference": case.reference, "name": "note", "target": 0},
        "cases:file": {"reference": case.reference},
        "cases:file_pdf": {"reference": case.reference},
        "cases:document": {"reference": case.reference, "pk": document.pk},
        "cases:approval_decide": {"pk": decision.pk, "verdict": "approve"},
        "cases:team": {"pk": alice.team_id},
        "cases:list_action": {"kind": "barred", "pk": 999999, "name": "report"},
        "api:list-entry-action": {"kind": "barred", "id": "999999", "name": "report"},
        "cases:team_handover": {"pk": alice.team_id},
        "vetting:application_detail": {"pk": application.pk},
        "vetting:application_action": {"pk": application.pk, "action": "check"},
        "vetting:person": {"pk": person.pk},
        "vetting:person_action": {"pk": person.pk, "action": "circumstances"},
        "notifications:read": {"pk": notification.pk},
        "reporting:triage_detail": {"pk": report.pk},
        "reporting:triage_events": {"pk": report.pk},
        "reporting:triage_ask": {"pk": report.pk},
        "reporting:triage_close": {"pk": report.pk},
        "reporting:triage_conduct_matter": {"pk": report.pk},
        "reporting:evidence": {"pk": report.pk, "evidence_pk": 999999},
        "portability:export_detail": {"pk": export_run.pk},
        "complaint:step": {"step": "about-you"},
        "correspondence:case_letters": {"reference": case.reference},
        "correspondence:record_update": {"reference": case.reference},
        "correspondence:bundle_request": {"reference": case.reference},
        "correspondence:bundle_download": {"reference": case.reference, "pk": 999999},
        "correspondence:template_edit": {"kind": "acknowledgement"},
        "_case": case,
    }


@pytest.fixture
def clients(alice, bob, carol, victor, eve, ada):
    users = [None, alice, bob, carol, victor, eve, ada]
    result = []
    for user in users:
        client = Client()
        if user is not None:
            client.force_login(user)  # two-factor verified (tests/conftest.py)
        result.append(client)
    return result


def check(response, role: str, url: str) -> None:
    csp = response.get("Content-Security-Policy", "")
    strict = "default-src 'self'" in csp or "default-src 'none'" in csp  # downloads: 'none'
    assert strict and "unsafe-inline" not in csp, f"{url} as {role}: CSP {csp!r}"
    if role == "anonymous" and response.status_code == 302:
        assert response["Location"].startswith(("/login/", "/admin/login/")), url


@pytest.mark.parametrize("name", NAMED)
def test_each_role_gets_the_expected_status(name, world, clients):
    if name not in MATRIX:
        pytest.fail(f"add {name} to the matrix")
    expected = MATRIX[name]
    url = reverse(name, kwargs=world.get(name, {}))
    got_get, got_post = [], []
    for role, client in zip(ROLES, clients, strict=True):
        response = client.get(url)
        check(response, role, url)
        got_get.append(response.status_code)
        if expected.post is not None:
            response = client.post(url, {})
            check(response, role, url)
            got_post.append(response.status_code)
    assert tuple(got_get) == expected.get, f"GET {url}: {dict(zip(ROLES, got_get, strict=True))}"
    if expected.post is not None:
        statuses = dict(zip(ROLES, got_post, strict=True))
        assert tuple(got_post) == expected.post, f"POST {url}: {statuses}"


ADMIN_ARGS = {"app_label": "accounts", "object_id": "999999", "content_type_id": "1", "url": "x/"}


def admin_url(name: str | None, route: str) -> str:
    """The URL of an admin route; unnamed ones (redirects, the catch-all) from the route."""
    keys = set(re.findall(r"<(?:\w+:)?(\w+)>", route)) | set(re.findall(r"\(\?P<(\w+)>", route))
    if name:
        return reverse(name, kwargs={key: ADMIN_ARGS.get(key, "999999") for key in keys})
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: ADMIN_ARGS.get(m.group(1), "999999"), route)
    path = re.sub(r"\(\?P<(\w+)>[^)]*\)\$?", lambda m: ADMIN_ARGS.get(m.group(1), "999999"), path)
    return "/" + path


def test_admin_is_for_staff_only(clients):
    routes = [(name, route) for name, route, ns in PATTERNS if ns == ADMIN_NAMESPACE]
    assert len(routes) > 20, "the admin site is mounted"
    for name, route in routes:
        url = admin_url(name, route)
        for role, client in zip(ROLES, clients, strict=True):
            response = client.get(url)
            check(response, role, url)
            if role == "admin":
                allowed = ADMIN_FOR_STAFF_EXCEPTIONS.get(name or route, ADMIN_FOR_STAFF)
                assert response.status_code in allowed, f"{url} as ada: {response.status_code}"
            elif name != "admin:login":
                assert response.status_code == 302, f"{url} as {role}"
                # anonymous: to sign in; signed-in non-staff: to the admin sign-in (directly,
                # or via the admin index for admin:logout)
                assert response["Location"].startswith(("/login/", "/admin/")), url


# --- object level ---------------------------------------------------------------------------


def test_another_teams_case_answers_404_and_is_logged(client, dave, world):
    case = world["_case"]
    client.force_login(dave)  # an investigator on team B
    response = client.get(reverse("cases:detail", kwargs={"reference": case.reference}))
    assert response.status_code == 404
    refused = AuditEntry.objects.get(action="read.refused", actor=dave)
    assert refused.table_name == "cases_case" and refused.object_pk == str(case.pk)


def test_the_own_teams_case_is_shown_and_the_read_logged(client, alice, world):
    case = world["_case"]
    client.force_login(alice)
    assert (
        client.get(reverse("cases:detail", kwargs={"reference": case.reference})).status_code == 200
    )
    assert AuditEntry.objects.filter(
        action="read.page", actor=alice, table_name="cases_case", object_pk=str(case.pk)
    ).exists()
