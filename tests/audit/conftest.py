"""Fixtures for the audit tests."""

import pytest


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Argon2 (about 0.7 s a user) would dominate the run; sign-in tests work the same with
    the cheapest hasher (settings.py keeps Argon2 for real users)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
