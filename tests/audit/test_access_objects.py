"""The access matrix, object level and with valid bodies (issue 20 item 5).

``test_access_matrix`` checks every URL × role with GET and an empty POST on team A's objects.
Here: every URL bound to a case (pages and API) answers 404 to an investigator of team B, for
GET and for a POST with a valid body, and nothing changes; and valid POSTs succeed for the
roles the matrix allows and are refused (with nothing saved) for the others.
"""

import pytest
from django.test import Client
from django.urls import reverse

from cases.models import Case
from psd.roles import Role
from tests.accounts.factories import user_with_role
from tests.audit import test_access_matrix as matrix
from tests.cases.helpers import fingerprint

pytestmark = pytest.mark.django_db

MATRIX, NAMED, ROLES = matrix.MATRIX, matrix.NAMED, matrix.ROLES
world, clients = matrix.world, matrix.clients  # the matrix's fixtures: team A's objects

# URL patterns whose arguments name a case or something inside one.
CASE_BOUND = sorted(
    name
    for name in NAMED
    if name.startswith("api:case-")
    and name != "api:case-list"
    or name
    in {
        "cases:detail",
        "cases:action",
        "cases:document",
        "cases:approval_decide",
        "cases:file",
        "cases:file_pdf",
    }
)


def case_state(case: Case) -> tuple:
    case.refresh_from_db()
    return (case.state, case.notes.count(), fingerprint(case))


def valid_body(name: str, case: Case) -> tuple[dict, str | None]:
    """A body the URL would accept from someone allowed (form data, or JSON for the API)."""
    if name == "cases:action":
        prefix = f"note-{case.pk}"
        return {f"{prefix}-text": "A note", f"{prefix}-expected": fingerprint(case)}, None
    if name == "cases:approval_decide":
        return {"reason": "Agreed"}, None
    if name.startswith("api:"):
        return {"recorded_on": "2026-11-20", "expected": fingerprint(case)}, "application/json"
    return {"anything": "x"}, None


def test_every_case_bound_url_is_covered():
    assert set(CASE_BOUND) >= {
        "api:case-detail",
        "api:case-actions",
        "api:case-allegations",
        "api:case-deadlines",
        "api:case-run-action",
        "cases:detail",
        "cases:action",
        "cases:document",
        "cases:approval_decide",
    }


@pytest.fixture
def beth(team_b):
    """The supervisor of team B (approvals need a supervisor: an investigator gets 403
    whatever the object)."""
    return user_with_role(Role.SUPERVISOR, "beth", team=team_b)


@pytest.mark.parametrize("name", CASE_BOUND)
def test_team_b_gets_404_for_every_url_of_a_team_a_case(name, world, dave, beth):
    case = world["_case"]
    kwargs = dict(world[name])
    if name == "cases:action":
        kwargs["name"] = "note"
    url = reverse(name, kwargs=kwargs)
    before = case_state(case)
    client = Client()
    client.force_login(beth if name == "cases:approval_decide" else dave)
    post_only = MATRIX[name].post is not None
    got = client.get(url).status_code
    # POST-only views refuse a GET before looking anything up: 405 says nothing about the case.
    assert got == (405 if post_only else 404), f"GET {url}: {got}"
    body, content_type = valid_body(name, case)
    if content_type:
        response = client.post(url, body, content_type=content_type)
    else:
        response = client.post(url, body)
    assert response.status_code in ({404} if post_only or name.startswith("cases:") else {404, 405})
    assert case_state(case) == before, f"POST {url} changed the case"


# --- valid POSTs, role by role ---------------------------------------------------------------


def _note(world):
    case = world["_case"]
    url = reverse("cases:action", kwargs={**world["cases:action"], "name": "note"})
    return url, lambda: valid_body("cases:action", case)[0], lambda: case.notes.count()


def _question(world):
    from reporting.models import ReportMessage

    url = reverse("reporting:triage_ask", kwargs=world["reporting:triage_ask"])
    return url, lambda: {"question": "When did it happen?"}, ReportMessage.objects.count


def _status(world):
    from accounts.models import PersonStatusChange

    url = reverse("accounts:person_status", kwargs=world["accounts:person_status"])
    data = {"status": "suspended", "effective_date": "2026-01-05", "reason": "Suspended"}
    return url, lambda: data, PersonStatusChange.objects.count


def _grant(world):
    from accounts.models import GrantRequest

    url = reverse("accounts:grants")
    data = {"kind": "role_add", "grantee": world["_case"].created_by_id or "", "role": "auditor"}
    return url, lambda: {**data, "reason": "Audit cover"}, GrantRequest.objects.count


# name -> (builder, expected status per role in ROLES order). A 2xx/3xx from a signed-in
# role must save exactly one thing; any other answer must save nothing.
# fmt: off
VALID_POSTS = {
    #                    anon inv sup  aa vet aud adm
    "note":     (_note,     "302 302 302 302 404 403 404"),
    "question": (_question, "302 403 302 302 403 403 404"),
    "status":   (_status,   "302 403 403 403 403 403 302"),
    "grant":    (_grant,    "302 403 403 403 403 403 302"),
}
# fmt: on


@pytest.mark.parametrize("label", sorted(VALID_POSTS))
def test_valid_posts_succeed_exactly_for_the_roles_allowed(label, world, clients):
    builder, expected = VALID_POSTS[label]
    url, body, saved = builder(world)
    statuses = []
    for role, client in zip(ROLES, clients, strict=True):
        before = saved()
        status = client.post(url, body()).status_code
        statuses.append(status)
        if role != "anonymous" and status in (200, 201, 302):
            assert saved() == before + 1, f"{label} as {role}: {status} but nothing saved"
        elif status in (200, 201, 302, 403, 404, 405):
            assert saved() == before, f"{label} as {role}: {status} but something saved"
    got = " ".join(str(s) for s in statuses)
    assert got == expected, f"{label}: {dict(zip(ROLES, statuses, strict=True))}"
