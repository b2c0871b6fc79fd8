"""Random walks through the case lifecycle over the API: at each step a user picks one of the
actions the API offers on a case and fills its fields with random values of the right kind
(dates, text, choices). Whatever the walk, every answer is 200 or a 4xx with its reason —
never a 500 — and a refused step changes nothing.

A seeded ``random.Random`` rather than Hypothesis: each step depends on the database state
the previous steps left, which Hypothesis's replaying cannot hold fixed."""

import datetime
import random

import pytest

from cases.models import Case
from tests.api.conftest import token_client
from tests.cases.factories import complaint, conduct_matter

pytestmark = pytest.mark.django_db

STEPS = 150
TEXTS = ["", " ", "Reasons given in full.", "ünïcødé ✓", "x" * 6000, "<script>alert(1)</script>"]


def _value(rng: random.Random, field):
    kind, choices = field["type"], field.get("choices") or []
    if kind == "boolean":
        return rng.choice([True, False])
    if kind == "date":
        today = datetime.date.today()
        days = rng.choice([0, 0, -1, 1, -30, 30, -400, 400, -12000, 20000])
        return (today + datetime.timedelta(days=days)).isoformat()
    if kind == "choice" and choices:
        return rng.choice(choices)
    if kind == "multiple_choice":
        return rng.sample(choices, rng.randint(0, len(choices))) if choices else []
    return rng.choice(TEXTS)


@pytest.mark.parametrize("seed", [1])
def test_random_action_walks_never_fail(alice, bob, carol, seed):
    rng = random.Random(seed)
    cases = [complaint(alice, supervisor=bob), conduct_matter(alice, supervisor=bob)]
    clients = [token_client(user) for user in (alice, bob, carol)]
    done = []
    for _ in range(STEPS):
        case, client = rng.choice(cases), rng.choice(clients)
        actions = client.get(f"/api/cases/{case.reference}/actions/").json()
        if not actions:
            continue
        action = rng.choice(actions)
        body = {"target": action["target"]}
        if rng.random() < 0.9:
            body["expected"] = action["expected"]
        for field in action["fields"]:
            if field["required"] or rng.random() < 0.5:
                body[field["name"]] = _value(rng, field)
        before = Case.objects.get(pk=case.pk)
        response = client.post(
            f"/api/cases/{case.reference}/actions/{action['name']}/", body, format="json"
        )
        assert response.status_code in (200, 400, 403, 409), (action["name"], body, response)
        assert response.json()["message" if response.status_code == 200 else "detail"]
        if response.status_code == 200:
            done.append(action["name"])
        else:
            after = Case.objects.get(pk=case.pk)
            assert (after.version, after.state) == (before.version, before.state), body
    assert len(done) >= 10, done  # the walks do move cases along
    print(f"seed {seed}: {len(done)} actions done: {sorted(set(done))}")
