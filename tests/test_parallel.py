"""`make test` runs in parallel worker processes (pytest-xdist); each must keep to its own
Redis database, as it keeps to its own test database (tests/conftest.py)."""

import os
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.db import connection

from psd.celery import app as celery_app


def _redis_database(url: str) -> int:
    return int(urlsplit(url).path.strip("/") or 0)


def test_cache_and_broker_use_the_same_redis_database_as_the_settings():
    if not settings.REDIS_URL:
        assert celery_app.conf.broker_url == "memory://"
        return
    assert settings.CACHES["default"]["LOCATION"] == settings.REDIS_URL
    assert celery_app.conf.broker_url == settings.REDIS_URL
    assert os.environ["REDIS_URL"] == settings.REDIS_URL  # what a spawned worker inherits
    cache.set("parallel-probe", "here", 5)
    client = cache._cache.get_client(write=False)
    assert client.connection_pool.connection_kwargs["db"] == _redis_database(settings.REDIS_URL)


def test_each_xdist_worker_has_its_own_test_database_and_redis_database():
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker is None:
        assert "_gw" not in connection.settings_dict["NAME"]
        return
    number = int(worker.removeprefix("gw"))
    if connection.vendor == "postgresql":  # SQLite's test databases are in memory
        assert connection.settings_dict["NAME"].endswith(f"_{worker}")
    if settings.REDIS_URL:
        # gw0 takes the database after the one REDIS_URL names, gw1 the next (tests/conftest.py).
        assert _redis_database(settings.REDIS_URL) >= number + 1
