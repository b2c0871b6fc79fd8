"""Bounded fuzzing of the pages (issue 20 item 4): every URL of the site that takes a form, and
every case action, receives odd input from signed-in users of each role — wrong types, huge
strings, control and right-to-left characters, missing fields, bad and enormous ids, odd query
strings — and must answer anything but a 5xx. The API has its own walks
(tests/api/test_actions_fuzz.py, test_schemathesis.py).

Field names come from the form classes and from the forms on each page as served, so a new
field is fuzzed as soon as it exists. The inputs are a fixed list, not random: a failure
names the URL, the user and the input, and replays exactly.
"""

import re

import pytest
from django.test import Client
from django.urls import reverse

from cases.actions_available import ACTIONS
from tests.audit import test_access_matrix as matrix

pytestmark = pytest.mark.django_db

world = matrix.world  # team A's objects and the URL arguments naming them

ODD_VALUES = [
    "",
    " ",
    "x" * 20_000,
    "\x00\x01\x1b[31m",
    "\u202eevil\u202c \U0001f4a5 ünïcødé",
    "-1",
    "0",
    "99999999999999999999999999",
    "1e309",
    "NaN",
    "2026-13-45",
    "31/02/2026",
    "[]",
    "{}",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "../../etc/passwd",
]
NAME = re.compile(r'name="([^"]+)"')
SKIP = {"csrfmiddlewaretoken"}
# Not forms: downloads, sign-out, the health check, the API (fuzzed on its own).
NOT_FORMS = ("api:", "healthz", "logout", "cases:document", "cases:list_csv")
USERS = ("alice", "bob", "carol", "victor", "eve", "ada")


def field_names(html: str) -> list[str]:
    return sorted({name for name in NAME.findall(html) if name not in SKIP})


STRIDE = 3  # each payload shifts the values along the fields: every field meets every value


def payloads(names: list[str]):
    """Odd values spread over the fields (field j of payload i gets value i + j), so every
    field meets every value within len(ODD_VALUES) / STRIDE payloads; then all fields missing,
    then every field repeated (a list where one value is expected)."""
    count = len(ODD_VALUES)
    for i in range(0, count, STRIDE):
        yield {name: ODD_VALUES[(i + j) % count] for j, name in enumerate(names)}
    yield {}
    yield {name: ["1", "x", "-5"] for name in names}


def assert_no_5xx(response, what: str):
    assert response.status_code < 500, f"{what}: {response.status_code}"


@pytest.fixture
def signed_in(alice, bob, carol, victor, eve, ada):
    users = dict(zip(USERS, (alice, bob, carol, victor, eve, ada), strict=True))
    clients = {}
    for name, user in users.items():
        client = Client()
        client.force_login(user)
        clients[name] = client
    return clients


def page_urls(world) -> list[str]:
    urls = []
    for name in matrix.NAMED:
        if name.startswith(NOT_FORMS):
            continue
        urls.append(reverse(name, kwargs=world.get(name, {})))
    return urls


def test_every_page_survives_odd_input(world, signed_in):
    urls = page_urls(world)
    assert len(urls) > 40
    for url in urls:
        for who, client in signed_in.items():
            page = client.get(url)
            assert_no_5xx(page, f"GET {url} as {who}")
            if page.status_code != 200 or "text/html" not in page.get("Content-Type", ""):
                continue
            names = field_names(page.content.decode()) or ["q", "pk", "id"]
            for n, data in enumerate(payloads(names)):
                assert_no_5xx(client.post(url, data), f"POST {url} as {who} with {data!r:.80}")
                if n < 2:  # search forms read the query string
                    query = {k: v for k, v in data.items() if isinstance(v, str)}
                    assert_no_5xx(client.get(url, query), f"GET {url}?{query!r:.80} as {who}")


@pytest.mark.parametrize("bad", ["0", "999999999", "-1", "x", "1" * 40])
def test_bad_ids_in_addresses_are_4xx(world, signed_in, bad):
    case = world["_case"]
    paths = [
        f"/personnel/{bad}/",
        f"/cases/{bad}/",
        f"/cases/{case.reference}/documents/{bad}/",
        f"/cases/approvals/{bad}/approve/",
        f"/vetting/applications/{bad}/",
        f"/reports/{bad}/",
        f"/grants/{bad}/approve/",
    ]
    for who, client in signed_in.items():
        for path in paths:
            assert_no_5xx(client.get(path), f"GET {path} as {who}")
            assert_no_5xx(client.post(path, {"x": "1"}), f"POST {path} as {who}")


def test_every_case_action_survives_odd_input(world, signed_in):
    case = world["_case"]
    for action, spec in sorted(ACTIONS.items()):
        names = [f"{action}-{case.pk}-{field}" for field in spec.form.base_fields]
        names.append(f"{action}-{case.pk}-expected")
        url = reverse("cases:action", args=[case.reference, action, 0])
        for data in payloads(names):  # as the appropriate authority: every action is offered
            response = signed_in["carol"].post(url, data)
            assert_no_5xx(response, f"POST {url} as carol with {data!r:.80}")
        stray = reverse("cases:action", args=[case.reference, action, 999999])
        assert_no_5xx(signed_in["alice"].post(stray, {names[0]: "1"}), f"POST {stray}")
