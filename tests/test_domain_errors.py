"""A refused action that escapes a view is a page with its reason and a 4xx, never a 500."""

import pytest
from django.test import RequestFactory

from psd.domain import DomainError, PermissionDenied, StaleObject
from psd.middleware import DomainErrorMiddleware


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (DomainError("This record cannot be opened with the current reporting key."), 400),
        (PermissionDenied("Your role does not allow this action."), 403),
        (StaleObject(), 409),
    ],
)
def test_domain_errors_render_their_reason(db, alice, error, status):
    request = RequestFactory().get("/reports/1/")
    request.user = alice
    response = DomainErrorMiddleware(lambda r: None).process_exception(request, error)
    assert response.status_code == status
    assert error.message in response.content.decode()


def test_other_exceptions_are_left_alone(rf):
    middleware = DomainErrorMiddleware(lambda r: None)
    assert middleware.process_exception(rf.get("/"), ValueError("boom")) is None


def test_triage_of_a_report_the_key_cannot_open_is_a_400_not_a_500(client, carol, settings):
    import base64

    from django.urls import reverse
    from nacl.public import PrivateKey

    from tests.reporting.factories import SubmittedReportFactory

    report = SubmittedReportFactory().report
    other = PrivateKey.generate()  # the key was rotated: the old report cannot be opened
    settings.REPORTING_PRIVATE_KEY = base64.b64encode(bytes(other)).decode()
    settings.REPORTING_PUBLIC_KEY = base64.b64encode(bytes(other.public_key)).decode()
    client.force_login(carol)
    response = client.get(reverse("reporting:triage_detail", args=[report.pk]))
    assert response.status_code == 400
    assert "cannot be opened with the current reporting key" in response.content.decode()
