"""A real ``celery -A psd worker`` for the vetting worker test (tests/helpers/celery_worker.py).
Skips with the reason when there is no Redis broker or the database is SQLite (a worker
process cannot share the test database)."""

import uuid

import pytest

from tests.helpers.celery_worker import CeleryWorker, purge_queue, skip_without_real_worker


@pytest.fixture
def celery_worker(tmp_path):
    skip_without_real_worker()
    queue = f"test-vetting-{uuid.uuid4().hex[:10]}"
    purge_queue(queue)
    worker = CeleryWorker(
        queue,
        tmp_path / "worker.log",
        env={"EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"},
    )
    try:
        worker.wait_ready()
        yield worker
    finally:
        worker.stop()
        purge_queue(queue)
