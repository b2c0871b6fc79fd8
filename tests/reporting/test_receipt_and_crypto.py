"""Receipt codes carry >= 80 bits, are stored only as Argon2id; report text is sealed at rest."""

import base64
import math

import pytest
from django.db import connection
from hypothesis import given
from hypothesis import strategies as st
from nacl.public import PrivateKey

from psd.domain import DomainError
from reporting import crypto, receipt, selectors, services
from reporting.models import Evidence, Report, ReportMessage
from tests.reporting.factories import SubmittedReportFactory

pytestmark = pytest.mark.django_db


def test_code_entropy_is_at_least_80_bits():
    # Each digit comes from secrets.choice over 10 symbols: bits = digits x log2(10).
    bits = receipt.DIGITS * math.log2(receipt.ALPHABET_SIZE)
    assert bits == receipt.ENTROPY_BITS
    assert bits >= 80, bits
    assert 24 * math.log2(10) < 80  # why 24 digits would not do


def test_codes_are_random_digits_in_groups_of_four():
    codes = {receipt.generate() for _ in range(200)}
    assert len(codes) == 200
    assert all(len(code) == receipt.DIGITS and code.isdigit() for code in codes)
    # Every digit value appears in every position over 200 draws (a frozen RNG would not).
    assert all(len({code[i] for code in codes}) == 10 for i in range(receipt.DIGITS))
    shown = receipt.display("1234567890123456789012345678")
    assert shown == "1234 5678 9012 3456 7890 1234 5678"
    assert receipt.normalise(shown) == "1234567890123456789012345678"
    assert receipt.normalise(shown.replace(" ", "-")) == "1234567890123456789012345678"


def test_production_hashes_use_rfc_9106_argon2id_parameters():
    from tests.reporting.conftest import PRODUCTION_DUMMY_HASH, PRODUCTION_HASHER

    assert PRODUCTION_HASHER.hash("x").startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    # The dummy hash checked on a miss costs the same as a real one.
    assert PRODUCTION_DUMMY_HASH.startswith("$argon2id$v=19$m=65536,t=3,p=4$")


def test_only_an_argon2id_hash_and_a_short_lookup_are_stored():
    submitted = SubmittedReportFactory()
    report = Report.objects.get(pk=submitted.report.pk)
    assert report.code_hash.startswith("$argon2id$")
    assert submitted.code not in report.code_hash
    assert len(report.lookup_id) == 8 and int(report.lookup_id, 16) >= 0
    assert report.lookup_id not in submitted.code
    assert receipt.verify(report.code_hash, submitted.code)
    assert not receipt.verify(report.code_hash, receipt.generate())
    for model in (Report, ReportMessage, Evidence):
        for field in model._meta.fields:
            value = getattr(report if model is Report else None, field.attname, None)
            assert value is None or submitted.code not in str(value)


def test_lookup_prefix_collisions_are_resolved_by_argon2(monkeypatch):
    monkeypatch.setattr(receipt, "lookup_id", lambda code: "00000000")
    first, second = SubmittedReportFactory(), SubmittedReportFactory()
    assert selectors.report_find(code=first.code) == first.report
    assert selectors.report_find(code=second.code) == second.report
    assert selectors.report_find(code=receipt.generate()) is None


def test_sealed_round_trip():
    assert crypto.unseal_text(crypto.seal_text("Mis à jour — £20")) == "Mis à jour — £20"
    assert crypto.unseal_json(crypto.seal_json({"a": [1, "b"]})) == {"a": [1, "b"]}
    assert crypto.seal_text("same") != crypto.seal_text("same")  # fresh ephemeral key each time


def test_ciphertext_in_the_database_does_not_contain_the_plaintext(bob):
    secret = "Sergeant Plum falsified the overtime claims"
    submitted = SubmittedReportFactory(what=secret, who="Sgt Plum", name="Jo Reporter")
    services.report_ask(actor=bob, report=submitted.report, question="Which month exactly?")
    with connection.cursor() as cursor:
        cursor.execute("SELECT sealed_content FROM reporting_report")
        (content,) = cursor.fetchone()
        cursor.execute("SELECT sealed_body FROM reporting_reportmessage")
        (message,) = cursor.fetchone()
    for blob, plain in ((content, secret), (content, "Jo Reporter"), (message, "Which month")):
        raw = bytes(blob)
        assert plain.encode() not in raw
        assert plain.encode() not in base64.b64encode(raw)
    assert crypto.unseal_json(content)["what"] == secret


def test_a_different_private_key_cannot_open_reports(settings):
    submitted = SubmittedReportFactory(what="Sealed words")
    settings.REPORTING_PRIVATE_KEY = base64.b64encode(bytes(PrivateKey.generate())).decode()
    with pytest.raises(DomainError, match="cannot be opened"):
        crypto.unseal_json(submitted.report.sealed_content)


def test_without_keys_reports_are_refused_clearly(client, settings):
    from tests.reporting.helpers import submit_report

    settings.REPORTING_PUBLIC_KEY = settings.REPORTING_PRIVATE_KEY = ""
    response, code = submit_report(client)
    assert code is None and crypto.NOT_CONFIGURED in response.content.decode()
    assert not Report.objects.exists()


@given(st.text(alphabet="0123456789", min_size=28, max_size=28), st.sampled_from([" ", "-", ""]))
def test_any_code_survives_display_and_retyping(code, separator):
    typed = receipt.display(code).replace(" ", separator)
    assert receipt.normalise(typed) == code
    assert receipt.normalise(f"  {typed}\n") == code


@given(st.text(max_size=60))
def test_normalise_accepts_only_28_ascii_digits(text):
    result = receipt.normalise(text)
    assert result is None or (len(result) == 28 and result.isascii() and result.isdigit())
