"""API clients: a DRF client that sends a user's token, as a program would."""

import pytest
from rest_framework.test import APIClient

from api.services import token_rotate


def token_client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_rotate(user=user).key}")
    return client


@pytest.fixture
def api_as():
    """``api_as(user)``: a client calling with ``user``'s token."""
    return token_client


@pytest.fixture(autouse=True)
def _no_api_throttle(settings):
    """The per-user rate counts in the process-wide cache, where users of earlier tests (same
    ids) left their requests; tests of the throttle set a rate themselves."""
    settings.PSD_API_USER_RATE = ""
