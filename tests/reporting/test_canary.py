"""Canary: a reporter's address, user agent and referrer end up nowhere.

A report and a follow-up are sent with marker headers. Afterwards every text, char and JSON
column (and every binary column) of every table, every log record, every e-mail, every queued
Celery task and every cache entry is searched for the markers.
"""

import logging
import pickle

import pytest
from celery import Celery
from celery.app.task import Task
from django.apps import apps
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.db import models
from django.test import Client
from django.test.signals import template_rendered
from django.urls import reverse

from reporting import services
from reporting.models import Report
from tests.accounts.factories import TeamFactory
from tests.reporting.helpers import (
    assert_anonymous_headers,
    follow_up,
    reply,
    submit_report,
    token_from,
)
from tests.reporting.test_evidence import jpeg_with_exif, upload

pytestmark = pytest.mark.django_db(transaction=False)

IP = "203.0.113.77"
FORWARDED_IP = "192.0.2.55"
USER_AGENT = "CanaryBrowser/7.7 (canary-ua-4d2f)"
REFERRER = "https://canary-ref.example/leak-9b1c"
MARKERS = [IP, FORWARDED_IP, "canary-ua-4d2f", "CanaryBrowser", "canary-ref.example", "leak-9b1c"]
HEADERS = {
    "REMOTE_ADDR": IP,
    "HTTP_X_FORWARDED_FOR": f"{FORWARDED_IP}, {IP}",
    "HTTP_X_REAL_IP": IP,
    "HTTP_USER_AGENT": USER_AGENT,
    "HTTP_REFERER": REFERRER,
}


class Everything(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.texts = []

    def emit(self, record):
        self.texts.append(self.format(record))
        self.texts.append(repr(record.__dict__))


def found_in(text) -> list[str]:
    text = text if isinstance(text, str) else repr(text)
    return [marker for marker in MARKERS if marker in text]


def database_text():
    """(table.column, value) for every text-like and binary value in every table."""
    kinds = (models.CharField, models.TextField, models.JSONField, models.BinaryField)
    for model in apps.get_models(include_auto_created=True):
        fields = [f for f in model._meta.concrete_fields if isinstance(f, kinds)]
        if not fields:
            continue
        for row in model._base_manager.values_list(*[f.attname for f in fields]):
            for field, value in zip(fields, row, strict=True):
                if isinstance(value, bytes | memoryview):
                    value = bytes(value).decode("latin-1")
                yield f"{model._meta.db_table}.{field.column}", value


def cache_contents() -> list[str]:
    backend = settings.CACHES["default"]["BACKEND"]
    prefix = settings.CACHES["default"]["KEY_PREFIX"]
    if backend.endswith("LocMemCache"):
        return [f"{key}={value!r}" for key, value in cache._cache.items()]
    client = cache._cache.get_client()
    return [f"{key!r}={client.get(key)!r}" for key in client.scan_iter(match=f"{prefix}:*")]


def test_the_reporter_leaves_no_trace(caplog, monkeypatch, bob):
    queued = []
    original_apply_async, original_send_task = Task.apply_async, Celery.send_task

    def apply_async(self, args=None, kwargs=None, *rest, **options):
        queued.append((self.name, args, kwargs, options))
        return original_apply_async(self, args, kwargs, *rest, **options)

    def send_task(self, name, args=None, kwargs=None, *rest, **options):
        queued.append((name, args, kwargs, options))
        return original_send_task(self, name, args, kwargs, *rest, **options)

    monkeypatch.setattr(Task, "apply_async", apply_async)
    monkeypatch.setattr(Celery, "send_task", send_task)
    seen_by_views = []

    def spy(sender, context, **kwargs):
        request = context.get("request")
        if request is not None:
            seen_by_views.append(repr(request.META) + repr(request.COOKIES))

    template_rendered.connect(spy)
    caplog.set_level(logging.DEBUG)
    everything = Everything()
    root = logging.getLogger()
    root.addHandler(everything)
    old_level = root.level
    root.setLevel(logging.DEBUG)
    try:
        reporter = Client(**HEADERS)
        responses = [reporter.get(reverse("report:new"))]
        sent, code = submit_report(
            reporter, {"what": "Canary report text", "evidence": upload(jpeg_with_exif(), "p.jpg")}
        )
        responses.append(sent)
        assert code is not None
        responses.append(reporter.post(reverse("report:new"), {"what": "x", "token": "bad"}))
        responses.append(reporter.get("/report/no-such-page/"))
        responses.append(follow_up(reporter, "0000 " * 7))  # a wrong code
        report = Report.objects.get()
        services.report_read(actor=bob, report=report)
        services.report_ask(actor=bob, report=report, question="When exactly?")
        page = follow_up(reporter, code)
        assert "When exactly?" in page.content.decode()
        answered = reply(reporter, page, "Friday at ten.")
        assert "Your reply has been sent" in answered.content.decode()
        responses += [page, answered]
        replay = reporter.post(
            reverse("report:reply"), {"body": "again", "token": token_from(page)}
        )
        responses.append(replay)
    finally:
        template_rendered.disconnect(spy)
        root.removeHandler(everything)
        root.setLevel(old_level)

    for response in responses:
        assert_anonymous_headers(response)
    leaks = [(where, found_in(value)) for where, value in database_text() if found_in(value)]
    assert leaks == [], leaks
    rows_scanned = sum(1 for _ in database_text())
    assert rows_scanned > 10  # the scan really read the tables
    log_text = everything.texts + [caplog.text] + [repr(r.__dict__) for r in caplog.records]
    assert any("details withheld" in text for text in log_text)  # the 404 was logged, scrubbed
    assert [text for text in log_text if found_in(text)] == []
    for message in mail.outbox:
        assert not found_in(message.message().as_string())
    assert [task for task in queued if found_in(task)] == []
    assert [entry for entry in cache_contents() if found_in(entry)] == []
    assert not found_in(pickle.dumps([str(x) for x in cache_contents()]))
    # Views and templates never saw the headers: the middleware removed them first.
    assert seen_by_views and [meta for meta in seen_by_views if found_in(meta)] == []


def test_the_canary_scan_finds_a_planted_marker(db):
    """Control: the same scan does report a marker when something stores one."""
    assert not [where for where, value in database_text() if found_in(value)]
    TeamFactory(name=f"Team seen from {IP}")
    # Teams are audited (issue 12), so the trail holds the inserted row too.
    assert [where for where, value in database_text() if found_in(value)] == [
        "accounts_team.name",
        "audit_auditentry.new_row",
    ]
