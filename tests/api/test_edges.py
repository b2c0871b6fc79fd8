"""Issue 20 item 4, the edges: a bad Host header, deep or huge JSON, the per-user API rate and
the session key after the second factor. Each was a 500 or a missing control before."""

import pytest
from django.test import Client
from django.urls import reverse

from api.parsers import depth
from cases.models import Case
from tests.accounts.factories import PASSWORD
from tests.helpers.otp import totp_for

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/", "/login/", "/report/", "/api/cases/", "/healthz"])
@pytest.mark.parametrize("host", ["evil.example", "bad host!", "a" * 300])
def test_a_host_not_allowed_is_a_400_not_a_500(settings, path, host):
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["psd.example"]
    client = Client(raise_request_exception=False)
    response = client.get(path, HTTP_HOST=host)
    assert response.status_code == 400
    assert host.encode() not in response.content
    assert response["Content-Security-Policy"] == "default-src 'none'"
    assert client.get(path, HTTP_HOST="psd.example", secure=True).status_code != 400


def test_five_thousand_brackets_are_a_400_and_create_nothing(api_as, alice):
    response = api_as(alice).post("/api/cases/", "[" * 5000, content_type="application/json")
    assert response.status_code == 400
    assert "nested" in response.json()["detail"]
    assert not Case.objects.exists()


def test_json_nested_beyond_the_limit_is_a_400(api_as, alice, settings):
    settings.PSD_API_MAX_JSON_DEPTH = 5
    body = '{"a": [[[[[1]]]]]}'  # depth 6
    response = api_as(alice).post("/api/cases/", body, content_type="application/json")
    assert response.status_code == 400 and "nested" in response.json()["detail"]


def test_a_json_body_over_the_size_limit_is_a_400(api_as, alice, settings):
    settings.PSD_API_MAX_JSON_BYTES = 1000
    body = '{"summary": "' + "x" * 2000 + '"}'
    response = api_as(alice).post("/api/cases/", body, content_type="application/json")
    assert response.status_code == 400 and "larger than 1000 bytes" in response.json()["detail"]


@pytest.mark.parametrize("body", ['{"a": ', "\xff\xfe", '{"a": NaN}', "[1, 2,]"])
def test_malformed_json_is_a_400(api_as, alice, body):
    response = api_as(alice).post("/api/cases/", body, content_type="application/json")
    assert response.status_code == 400


def test_depth_counts_levels_without_recursion():
    assert depth(1) == 0 and depth([]) == 1 and depth({"a": [1, {"b": 2}]}) == 3
    deep = []
    for _ in range(100_000):
        deep = [deep]
    assert depth(deep) == 100_001


def test_the_api_rate_is_per_user(api_as, alice, bob, settings):
    settings.PSD_API_USER_RATE = "3/minute"
    alices, bobs = api_as(alice), api_as(bob)
    statuses = [alices.get("/api/people/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert bobs.get("/api/people/").status_code == 200  # alice's count is not bob's


def test_the_api_rate_fails_open_when_the_cache_is_down(api_as, alice, settings, monkeypatch):
    from api.throttling import PerUserThrottle

    def down(*args, **kwargs):
        raise ConnectionError("cache unavailable")

    settings.PSD_API_USER_RATE = "3/minute"
    monkeypatch.setattr(PerUserThrottle.cache, "get", down)
    assert api_as(alice).get("/api/people/").status_code == 200


@pytest.mark.no_auto_otp
def test_the_session_key_changes_after_the_second_factor(alice):
    client = Client()
    code = totp_for(alice)
    client.post(reverse("login"), {"username": alice.username, "password": PASSWORD})
    after_password = client.session.session_key
    csrf_after_password = client.cookies.get("csrftoken")
    response = client.post(reverse("twofactor:verify"), {"token": code})
    assert response.status_code == 302
    after_code = client.session.session_key
    assert after_code and after_code != after_password
    # the key known before the second factor no longer opens anything
    stale = Client()
    stale.cookies["sessionid"] = after_password
    assert stale.get("/personnel/").status_code == 302
    assert client.get("/personnel/").status_code == 200
    assert client.cookies.get("csrftoken") != csrf_after_password
