"""Issue 20 item 3: throttling the anonymous channel without the client's address. Before,
five wrong codes from anyone behind the proxy made the right code answer 429 for an hour."""

import pytest

from reporting import receipt, selectors, throttle, tokens
from reporting.models import Report
from tests.reporting.factories import SubmittedReportFactory
from tests.reporting.helpers import assert_anonymous_headers, follow_up, submit_report
from tests.test_settings import start

pytestmark = pytest.mark.django_db

WRONG = "9" * receipt.DIGITS
PROXY = {"REMOTE_ADDR": "10.0.0.1"}  # every visitor arrives from the reverse proxy


def test_the_right_code_is_never_refused_after_others_wrong_codes(client):
    submitted = SubmittedReportFactory()
    for n in range(throttle.PER_KEY_FAILURES * 4):
        assert follow_up(client, f"{n:0{receipt.DIGITS}d}", **PROXY).status_code == 400
    response = follow_up(client, submitted.code, **PROXY)
    assert response.status_code == 200
    assert_anonymous_headers(response)


@pytest.fixture
def colliding(monkeypatch):
    """Every code gets one lookup key, as guesses that collide with a report's keyed prefix."""
    monkeypatch.setattr(receipt, "lookup_id", lambda code: "deadbeef")
    return SubmittedReportFactory()


def test_wrong_codes_on_one_reports_key_are_throttled_on_that_key(client, colliding):
    for n in range(throttle.PER_KEY_FAILURES):
        assert follow_up(client, f"{n:0{receipt.DIGITS}d}").status_code == 400
    blocked = follow_up(client, f"{7:0{receipt.DIGITS}d}")
    assert blocked.status_code == 429 and "Too many attempts" in blocked.content.decode()
    assert_anonymous_headers(blocked)


def test_a_throttled_key_does_not_touch_other_reports(client, colliding, monkeypatch):
    for n in range(throttle.PER_KEY_FAILURES):
        follow_up(client, f"{n:0{receipt.DIGITS}d}")
    monkeypatch.setattr(receipt, "lookup_id", lambda code: "0badf00d")
    other = SubmittedReportFactory()
    assert Report.objects.get(pk=other.report.pk).lookup_id == "0badf00d"
    assert follow_up(client, other.code).status_code == 200


def test_the_site_wide_ceiling_skips_argon2_for_codes_that_match_nothing(settings, monkeypatch):
    settings.REPORTING_CODE_FAILURE_CEILING = 3
    submitted = SubmittedReportFactory()
    calls = []
    real_verify = receipt.verify
    monkeypatch.setattr(receipt, "verify", lambda h, c: calls.append(h) or real_verify(h, c))
    for _ in range(3):
        assert selectors.report_find(code=WRONG) is None
    assert calls == [receipt._DUMMY_HASH] * 3  # equal time for a miss, under the ceiling
    assert selectors.report_find(code=WRONG) is None
    assert len(calls) == 3  # over it: answered without the work
    assert selectors.report_find(code=submitted.code) == submitted.report  # still verified
    assert throttle.count("code-failed") == 4


def test_counters_never_store_an_address(client, monkeypatch):
    keys = []
    real = throttle._cache_key
    monkeypatch.setattr(throttle, "_cache_key", lambda *a: keys.append(real(*a)) or keys[-1])
    follow_up(client, WRONG, REMOTE_ADDR="198.51.100.7")
    assert keys and not any("198.51.100.7" in key for key in keys)
    assert throttle.count("code-failed") == 1


def test_the_submission_ceiling_keeps_the_text_and_says_try_later(client, settings):
    settings.REPORTING_SUBMIT_CEILING = 2
    for _ in range(2):
        assert submit_report(client, **PROXY)[1] is not None
    response, code = submit_report(client, {"what": "Kept words"}, REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 429 and code is None
    assert "Kept words" in response.content.decode()
    assert Report.objects.count() == 2
    assert_anonymous_headers(response)


def test_a_form_token_is_single_use(client):
    token = tokens.issue("report")
    assert tokens.check("report", token) is not None
    assert tokens.check("report", token) is None


PRODUCTION_WITHOUT_REDIS = {
    **{"DEBUG": "0", "SECRET_KEY": "x" * 50, "AUDIT_HMAC_KEY": "k" * 64},
    **{"DATABASE_URL": "postgres://u@localhost:5432/db", "ALLOWED_HOSTS": "psd.example"},
}


def test_production_refuses_to_start_without_a_shared_store():
    code, output = start(**PRODUCTION_WITHOUT_REDIS)
    assert code != 0
    assert "psd: configuration error: REDIS_URL must be set when DEBUG is off" in output
