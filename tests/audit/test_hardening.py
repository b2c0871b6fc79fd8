"""Security headers, the production deploy check, oversize bodies and CSRF failures."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.django_db


def production_env(**extra) -> dict:
    """Only what a production process would have: no test-run variables (e.g. the
    DJANGO_ALLOW_ASYNC_UNSAFE that browser tests set)."""
    env = {k: os.environ[k] for k in ("PATH", "HOME", "LANG") if k in os.environ}
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(64),
        AUDIT_HMAC_KEY=secrets.token_hex(32),
        REDIS_URL="redis://cache.example:6379/0",  # required with DEBUG=0 (issue 20)
        **extra,
    )
    return env


def test_deploy_check_passes_with_production_settings():
    env = production_env(
        DATABASE_URL="postgres://psd@db.example:5432/psd",
        ALLOWED_HOSTS="psd.example.police.uk",
        DJANGO_SETTINGS_MODULE="psd.settings",
    )
    proc = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "no issues" in proc.stdout


def test_a_signed_in_page_carries_the_strict_headers(client, alice):
    client.force_login(alice)
    response = client.get("/personnel/")
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    for directive in (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "frame-ancestors 'none'",
        "form-action 'self'",
        "object-src 'none'",
    ):
        assert directive in csp
    assert "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert len(response["X-Request-ID"]) == 32


def test_the_login_page_is_covered_too(client):
    response = client.get(reverse("login"))
    assert "default-src 'self'" in response["Content-Security-Policy"]


def test_session_and_csrf_cookies_are_secure_in_production(settings):
    # DEBUG is off in production; settings.py ties the cookie flags to it.
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS > 0, "
        "s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_HTTPONLY)"
    )
    env = production_env(
        DATABASE_URL="postgres://psd@db.example:5432/psd",
        DJANGO_SETTINGS_MODULE="psd.settings",
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert proc.stdout.split() == ["True"] * 5, proc.stderr


def test_an_oversize_body_is_refused_with_a_friendly_413(client, alice, settings):
    settings.PSD_MAX_REQUEST_BYTES = 1024
    client.force_login(alice)
    response = client.post(
        "/personnel/new/", data="x" * 4096, content_type="application/octet-stream"
    )
    assert response.status_code == 413
    assert "too large" in response.content.decode()


def test_too_many_form_bytes_get_the_friendly_400_page(client, ada, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    client.force_login(ada)
    response = client.post("/personnel/new/", {"surname": "x" * 5000})
    assert response.status_code == 400
    assert "could not be accepted" in response.content.decode()


def test_a_csrf_failure_gets_the_friendly_403(alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    response = client.post(reverse("logout"))
    assert response.status_code == 403
    assert "Your form expired" in response.content.decode()
