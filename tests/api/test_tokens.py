"""API tokens (issue 20): stored as a hash, shown once, expiring, with their last use. Before,
DRF's authtoken kept each key in plaintext with no expiry."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from accounts.models import ApiToken
from api import services

pytestmark = pytest.mark.django_db


def call(key: str):
    return Client().get("/api/people/", HTTP_AUTHORIZATION=f"Token {key}")


def test_the_database_holds_no_key_only_its_hash(alice):
    issued = services.token_rotate(user=alice)
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM accounts_apitoken")
        rows = cursor.fetchall()
    assert len(rows) == 1 and not any(issued.key in str(value) for value in rows[0])
    assert issued.token.digest == services.digest(issued.key) and len(issued.token.digest) == 64
    assert call(issued.key).status_code == 200


def test_an_expired_token_is_refused(alice, time_machine, settings):
    settings.PSD_API_TOKEN_DAYS = 30
    issued = services.token_rotate(user=alice)
    assert issued.token.expires_at - timezone.now() == pytest.approx(
        datetime.timedelta(days=30), abs=datetime.timedelta(seconds=5)
    )
    time_machine.move_to(timezone.now() + datetime.timedelta(days=31))
    response = call(issued.key)
    assert response.status_code == 401 and "expired" in response.json()["detail"]


def test_last_use_is_recorded_once_a_minute(alice, time_machine):
    issued = services.token_rotate(user=alice)
    assert issued.token.last_used_at is None
    call(issued.key)
    first = ApiToken.objects.get().last_used_at
    assert first is not None
    call(issued.key)
    assert ApiToken.objects.get().last_used_at == first  # no write on every request
    time_machine.move_to(timezone.now() + datetime.timedelta(minutes=2))
    call(issued.key)
    assert ApiToken.objects.get().last_used_at > first


def test_a_deactivated_users_token_is_refused(alice):
    issued = services.token_rotate(user=alice)
    alice.is_active = False
    alice.save()
    assert call(issued.key).status_code == 401


@pytest.mark.parametrize(
    "header", ["Token", "Token a b", "Token \u00e9t\u00e9", "Token " + "x" * 5000]
)
def test_malformed_token_headers_are_401_not_500(header):
    response = Client().get("/api/people/", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401


def test_the_token_page_shows_expiry_and_last_use_but_never_the_key(client, alice):
    client.force_login(alice)
    issued = client.post("/api/token/", {"do": "rotate"}).context["issued"]
    call(issued)
    page = client.get("/api/token/").content.decode()
    assert issued not in page and issued[:8] in page
    assert "Expires" in page and "Last used" in page and "never" not in page
