"""The middleware, log filter and error-report filter keep /report/ requests unidentifiable."""

import logging
import re
import shlex
from pathlib import Path

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.test import RequestFactory
from django.views.debug import ExceptionReporter

from reporting.privacy import (
    AnonymityMiddleware,
    AnonymousExceptionReporterFilter,
    AnonymousRequestFilter,
)

ROOT = Path(__file__).resolve().parents[2]
MARKERS = {
    "REMOTE_ADDR": "203.0.113.99",
    "HTTP_X_FORWARDED_FOR": "198.51.100.99",
    "HTTP_USER_AGENT": "MarkerBrowser/1.0",
    "HTTP_REFERER": "https://marker.example/",
    "HTTP_COOKIE": "sessionid=marker",
}


def test_middleware_is_first():
    assert settings.MIDDLEWARE[0] == "reporting.privacy.AnonymityMiddleware"


def test_middleware_strips_identifying_meta_and_keeps_nothing_of_the_address():
    seen = {}

    def view(request):
        seen.update(request.META)
        seen["key"] = getattr(request, "reporting_throttle_key", None)
        seen["cookies"] = dict(request.COOKIES)
        response = HttpResponse("ok")
        response.set_cookie("csrftoken", "x")
        response["Set-Cookie"] = "other=1"
        return response

    request = RequestFactory().post("/report/", **MARKERS)
    response = AnonymityMiddleware(view)(request)
    assert not set(MARKERS) & set(seen)
    assert seen["cookies"] == {}
    assert seen["key"] is None  # throttling no longer derives anything from the address
    assert "Set-Cookie" not in response.headers and not response.cookies
    assert response["Cache-Control"] == "no-store"
    assert response["Referrer-Policy"] == "no-referrer"


def test_middleware_leaves_other_paths_alone():
    def view(request):
        return HttpResponse(request.META["REMOTE_ADDR"])

    for path in ("/reports/", "/cases/", "/reportx/"):
        request = RequestFactory().get(path, **MARKERS)
        response = AnonymityMiddleware(view)(request)
        assert response.content == b"203.0.113.99"
        assert "Cache-Control" not in response


def test_log_filter_scrubs_records_about_report_requests():
    request = RequestFactory().post("/report/follow-up/", {"code": "1234"}, **MARKERS)
    record = logging.LogRecord(
        "django.request", logging.ERROR, __file__, 1, "Internal Server Error: %s", ("x",), None
    )
    record.request, record.status_code = request, 500
    assert AnonymousRequestFilter().filter(record) is True
    assert record.request is None and "details withheld" in record.getMessage()
    other = logging.LogRecord("django.request", 40, __file__, 1, "Not Found: %s", ("/x",), None)
    other.request = RequestFactory().get("/cases/")
    AnonymousRequestFilter().filter(other)
    assert other.request is not None and other.getMessage() == "Not Found: /x"


def test_logging_config_attaches_the_filter():
    console = [h for h in logging.getLogger().handlers if h.name == "console"]
    assert console
    filtered = [
        logging.getLogger("django.request").filters,
        logging.getLogger("django.security").filters,
        *[handler.filters for handler in console],
    ]
    assert all(any(isinstance(f, AnonymousRequestFilter) for f in filters) for filters in filtered)


def test_error_reports_hide_post_meta_and_locals_for_report_paths():
    assert settings.DEFAULT_EXCEPTION_REPORTER_FILTER.endswith("AnonymousExceptionReporterFilter")
    request = RequestFactory().post(
        "/report/", {"what": "secret words"}, HTTP_USER_AGENT="MarkerBrowser/1.0"
    )
    try:
        secret_local = "secret words"  # noqa: F841 - must not appear in the report
        raise ValueError("boom")
    except ValueError as exc:
        reporter = ExceptionReporter(request, type(exc), exc, exc.__traceback__)
        reporter.filter = AnonymousExceptionReporterFilter()
        text = reporter.get_traceback_text()
    assert "secret words" not in text and "MarkerBrowser" not in text
    assert "boom" in text


def _gunicorn_access_format(command: list[str]) -> str | None:
    if "--access-logformat" in command:
        return command[command.index("--access-logformat") + 1]
    return None


def test_gunicorn_never_logs_the_client_address_or_headers():
    dockerfile = (ROOT / "docker" / "Dockerfile").read_text()
    cmd = re.search(r"^CMD (\[.*?\])\s*$", dockerfile, re.S | re.M).group(1)
    command = [part.strip().strip('"') for part in cmd.replace("\\\n", " ").strip("[]").split(",")]
    access_format = _gunicorn_access_format(command)
    if "--access-logfile" in command:
        # gunicorn's default format starts with %(h)s (the client address): require our own.
        assert access_format is not None
        for atom in ("%(h)s", "%(a)s", "%(f)s", "%({x-forwarded-for}i)s", "%({cookie}i)s"):
            assert atom not in access_format.lower()
    compose = (ROOT / "docker" / "compose.yml").read_text()
    for line in compose.splitlines():
        if "gunicorn" in line and "--access-logfile" in line:
            fmt = _gunicorn_access_format(shlex.split(line.split("command:", 1)[1]))
            assert fmt is not None and "%(h)s" not in fmt


@pytest.mark.django_db
def test_report_urls_are_outside_the_login_requirement(client):
    assert client.get("/report/").status_code == 200
    assert client.get("/report/follow-up/").status_code == 200
