import copy
import uuid

import pytest


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
