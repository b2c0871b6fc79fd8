"""Fixtures for the cases tests."""

import pytest


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """The test users never log in with a password here: Argon2 (about 0.7 s a user) would
    dominate the run, so hash theirs with the cheapest hasher."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
