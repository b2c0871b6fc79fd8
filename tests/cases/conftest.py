"""Fixtures for the case tests that also call the API."""

import pytest

from tests.api.conftest import token_client


@pytest.fixture
def api_as(settings):
    """``api_as(user)``: an API client with ``user``'s token (no rate limit in tests)."""
    settings.PSD_API_USER_RATE = ""
    return token_client
