"""The API's lists page with the keyset cursor of the case list page (psd.keyset): every row
once, in order, forwards and back, ties broken by id; a cursor it did not write is 404."""

import base64
import datetime

import pytest

from cases.models import Case
from psd.keyset import BadCursor, Keyset
from tests.accounts.factories import PersonFactory
from tests.cases.factories import complaint

pytestmark = pytest.mark.django_db


def _walk(client, url, key):
    """Every page from ``url`` following ``next``, then back following ``previous``."""
    forwards, pages = [], []
    while url:
        body = client.get(url).json()
        pages.append([row[key] for row in body["results"]])
        forwards += pages[-1]
        last, url = url, body["next"]
    backwards = []
    url = client.get(last).json()["previous"]
    while url:
        body = client.get(url).json()
        backwards = [row[key] for row in body["results"]] + backwards
        url = body["previous"]
    return forwards, backwards, pages


def test_cases_walk_forwards_and_back_with_ties_on_the_received_date(api_as, alice, bob):
    same_day = [complaint(alice, supervisor=bob, received=20) for _ in range(3)]
    others = [complaint(alice, supervisor=bob, received=days) for days in (5, 40)]
    expected = [
        c.reference
        for c in sorted([*same_day, *others], key=lambda c: (c.received_on, c.pk), reverse=True)
    ]
    forwards, backwards, pages = _walk(api_as(alice), "/api/cases/?page_size=2", "reference")
    assert forwards == expected
    assert backwards == expected[: -len(pages[-1])]  # back from the last page to the first
    assert [len(p) for p in pages] == [2, 2, 1]


def test_people_walk_on_three_fields(api_as, alice):
    for surname, forename in [("Khan", "Ali"), ("Khan", "Ali"), ("Khan", "Zoe"), ("Abbot", "Bo")]:
        PersonFactory(surname=surname, forename=forename)
    client = api_as(alice)
    everyone = []
    url = "/api/people/?page_size=100"
    while url:
        body = client.get(url).json()
        everyone += body["results"]
        url = body["next"]
    forwards, backwards, pages = _walk(client, "/api/people/?page_size=3", "id")
    assert forwards == [p["id"] for p in everyone]
    names = [(p["surname"], p["forename"], p["id"]) for p in everyone]
    assert names == sorted(names)
    assert backwards == forwards[: -len(pages[-1])]


def test_a_cursor_the_list_did_not_write_is_404(api_as, alice, bob):
    complaint(alice, supervisor=bob)
    client = api_as(alice)
    wrong_arity = base64.urlsafe_b64encode(b"[[1],0]").decode().rstrip("=")
    wrong_type = base64.urlsafe_b64encode(b'[["someday",1],0]').decode().rstrip("=")
    for cursor in ("bogus", wrong_arity, wrong_type, "W1tdLDJd"):
        assert client.get("/api/cases/", {"cursor": cursor}).status_code == 404, cursor


def test_the_cursor_round_trips_typed_values():
    keyset = Keyset(Case, ("-received_on", "-id"))
    case = Case(received_on=datetime.date(2024, 2, 29), pk=12)
    values = keyset.values(case)
    assert keyset.decode(keyset.encode(values)) == (values, False)
    assert keyset.decode(keyset.encode(values, backwards=True)) == (values, True)
    with pytest.raises(BadCursor):
        keyset.decode("")
