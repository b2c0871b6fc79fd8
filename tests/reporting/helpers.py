"""Shared steps for the public-page tests: fetch a form token, then post like a browser."""

import re

from django.urls import reverse

TOKEN = re.compile(r'name="token" value="([^"]+)"')
CODE = re.compile(r'class="psd-receipt-code"[^>]*>([\d ]+)<')


def token_from(response) -> str:
    return TOKEN.search(response.content.decode()).group(1)


def submit_report(client, data=None, **extra):
    """GET the form, POST it with the fresh token; return (response, receipt code or None)."""
    page = client.get(reverse("report:new"), **extra)
    payload = {"what": "The duty inspector takes cash from seized property.", **(data or {})}
    payload["token"] = token_from(page)
    response = client.post(reverse("report:new"), payload, **extra)
    match = CODE.search(response.content.decode())
    return response, (match.group(1) if match else None)


def follow_up(client, code: str, **extra):
    page = client.get(reverse("report:follow_up"), **extra)
    return client.post(
        reverse("report:follow_up"), {"code": code, "token": token_from(page)}, **extra
    )


def reply(client, conversation_page, body: str, **extra):
    return client.post(
        reverse("report:reply"), {"body": body, "token": token_from(conversation_page)}, **extra
    )


def assert_anonymous_headers(response):
    assert "Set-Cookie" not in response.headers, response.headers.get("Set-Cookie")
    assert not response.cookies
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert "X-Request-ID" not in response.headers
