"""The anonymous pages: submit, receive a code once, come back with it; no cookies anywhere."""

import pytest
from django.urls import reverse

from reporting import receipt, selectors, services
from reporting.models import MessageDirection, Report, ReportMessage, ReportStatus
from tests.reporting.factories import SubmittedReportFactory
from tests.reporting.helpers import (
    assert_anonymous_headers,
    follow_up,
    reply,
    submit_report,
    token_from,
)

pytestmark = pytest.mark.django_db


def test_report_page_is_public_with_guidance_and_no_cookie(client):
    response = client.get(reverse("report:new"))
    assert response.status_code == 200
    assert "How you stay anonymous" in response.content.decode()
    assert_anonymous_headers(response)


def test_a_signed_in_officer_is_anonymous_on_the_report_page(client, alice):
    client.force_login(alice)
    response = client.get(reverse("report:new"))
    assert "alice" not in response.content.decode().lower()
    assert "Sign out" not in response.content.decode()
    assert_anonymous_headers(response)


def test_submitting_shows_the_receipt_code_once_and_stores_the_report(client):
    response, code = submit_report(client, {"who": "Insp Grey", "name": ""})
    assert response.status_code == 200
    assert_anonymous_headers(response)
    assert code is not None and len(code.replace(" ", "")) == receipt.DIGITS
    report = Report.objects.get()
    assert report.status == ReportStatus.NEW
    assert selectors.report_find(code=receipt.normalise(code)) == report
    assert "Write it down" in response.content.decode()
    # Reloading the form does not show it again.
    assert code not in client.get(reverse("report:new")).content.decode()


def test_empty_report_is_refused_with_a_clear_message_and_no_cookie(client):
    response, code = submit_report(client, {"what": "   "})
    assert response.status_code == 400 and code is None
    assert "Enter what happened." in response.content.decode()
    assert_anonymous_headers(response)
    assert not Report.objects.exists()


def test_oversized_report_is_refused(client):
    response, code = submit_report(client, {"what": "x" * (services.MAX_TEXT + 1)})
    assert response.status_code == 400 and code is None
    assert "at most 20000 characters" in response.content.decode()
    assert not Report.objects.exists()


def test_post_without_a_valid_token_is_refused_without_csrf_cookie(client):
    response = client.post(reverse("report:new"), {"what": "Something", "token": "forged"})
    assert response.status_code == 400
    assert "expired or was already sent" in response.content.decode()
    assert_anonymous_headers(response)
    assert not Report.objects.exists()


def test_a_form_token_is_accepted_once(client):
    page = client.get(reverse("report:new"))
    data = {"what": "Something wrong", "token": token_from(page)}
    assert client.post(reverse("report:new"), data).status_code == 200
    again = client.post(reverse("report:new"), data)
    assert again.status_code == 400
    assert Report.objects.count() == 1


def test_follow_up_shows_psd_questions_and_takes_a_reply(client, bob):
    submitted = SubmittedReportFactory()
    services.report_read(actor=bob, report=submitted.report)
    services.report_ask(actor=bob, report=submitted.report, question="Which shift was it?")
    page = follow_up(client, receipt.display(submitted.code))
    assert page.status_code == 200
    assert_anonymous_headers(page)
    assert "Which shift was it?" in page.content.decode()
    assert "PSD has asked you a question" in page.content.decode()
    sent = reply(client, page, "The night shift on the 3rd.")
    assert sent.status_code == 200
    assert_anonymous_headers(sent)
    assert "Your reply has been sent" in sent.content.decode()
    message = ReportMessage.objects.get(direction=MessageDirection.FROM_REPORTER)
    assert selectors.report_conversation(report=submitted.report)[-1].body == (
        "The night shift on the 3rd."
    )
    assert message.sent_on == submitted.report.received_on
    assert Report.objects.get().status == ReportStatus.IN_TRIAGE


def test_reply_token_cannot_be_replayed(client):
    submitted = SubmittedReportFactory()
    page = follow_up(client, submitted.code)
    assert reply(client, page, "First").status_code == 200
    replay = reply(client, page, "Second")
    assert replay.status_code == 400
    assert "Second" in replay.content.decode()  # kept so the reporter can copy it
    assert "This page has expired" in replay.content.decode()
    assert ReportMessage.objects.count() == 1


def test_closed_report_takes_no_reply(client, bob):
    submitted = SubmittedReportFactory()
    page = follow_up(client, submitted.code)
    services.report_close(actor=bob, report=submitted.report, reason="Not a police matter.")
    response = reply(client, page, "More detail")
    assert response.status_code == 400
    assert "This report is closed" in response.content.decode()


def test_wrong_code_says_not_found_only(client):
    SubmittedReportFactory()
    response = follow_up(client, "1234 " * 7)
    assert response.status_code == 400
    assert "Not found. Check the receipt code and try again." in response.content.decode()
    assert_anonymous_headers(response)


@pytest.mark.parametrize("typed", ["", "12345", "abcd " * 7, "1" * 29, "１" * 28])
def test_malformed_code_is_explained(client, typed):
    response = follow_up(client, typed)
    assert response.status_code == 400
    text = response.content.decode()
    assert "receipt code" in text.lower() and "Not found" not in text


def test_wrong_code_costs_an_argon2_check(client, monkeypatch):
    """Same work for a miss as for a hit: the miss verifies against a dummy hash."""
    calls = []
    monkeypatch.setattr(receipt, "verify", lambda h, c: calls.append(h) or False)
    assert selectors.report_find(code="0" * receipt.DIGITS) is None
    assert calls == [receipt._DUMMY_HASH]


# Throttling (per lookup key and site-wide, never per address): tests/reporting/test_throttle.py


def test_404_and_405_under_report_send_no_cookie(client):
    assert_anonymous_headers(client.get("/report/nowhere/"))
    assert_anonymous_headers(client.get(reverse("report:reply")))
