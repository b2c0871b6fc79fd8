import copy
import uuid

import pytest
from argon2 import PasswordHasher

from reporting import receipt

PRODUCTION_HASHER = receipt._hasher
PRODUCTION_DUMMY_HASH = receipt._DUMMY_HASH


@pytest.fixture(autouse=True)
def own_cache_namespace(settings):
    """Each test gets its own cache key prefix: throttle counters and form nonces (which live in
    Redis when REDIS_URL is set) never leak between tests or runs."""
    caches = copy.deepcopy(settings.CACHES)
    prefix = f"psd-test-{uuid.uuid4().hex}"
    caches["default"]["KEY_PREFIX"] = prefix
    if caches["default"]["BACKEND"].endswith("LocMemCache"):
        caches["default"]["LOCATION"] = prefix
    settings.CACHES = caches


@pytest.fixture(autouse=True)
def quick_argon2(monkeypatch):
    """Argon2id with small parameters so the suite stays fast; the production parameters are
    checked in test_receipt_and_crypto.py against PRODUCTION_HASHER."""
    hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr(receipt, "_hasher", hasher)
    monkeypatch.setattr(receipt, "_DUMMY_HASH", hasher.hash("dummy"))
