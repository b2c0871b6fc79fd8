"""A real ``celery -A psd worker`` for the vetting worker test (tests/deadlines keeps its
worker inside its test module, so it is not shared). Skips with the reason when there is no
Redis broker or the database is SQLite (a worker process cannot share the test database)."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

BASE_DIR = Path(__file__).resolve().parents[2]


class CeleryWorker:
    def __init__(self, queue: str, log: Path):
        from psd.celery import app

        self.app, self.queue = app, queue
        db = connection.settings_dict
        user = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
        self.name = f"{queue}@localhost"
        env = {
            **os.environ,
            "DEBUG": "1",
            # The TEST database this process created, not the development one.
            "DATABASE_URL": f"postgres://{user}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}"
            f"/{db['NAME']}",
            "REDIS_URL": settings.REDIS_URL,
            "CELERY_TASK_ALWAYS_EAGER": "0",
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        }
        self.log = log.open("ab")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "psd",
                "worker",
                "--pool=prefork",
                "--concurrency=2",
                "-Q",
                queue,
                "-n",
                self.name,
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_ready(self, timeout: float = 30) -> None:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if self.process.poll() is not None:
                raise AssertionError(f"worker exited with {self.process.returncode}")
            if self.app.control.inspect(destination=[self.name], timeout=0.5).ping():
                return
        raise AssertionError("worker did not start in time")

    def wait_idle(self, timeout: float = 30) -> None:
        """Until the queue is empty and nothing is running."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            with self.app.connection_for_write() as conn:
                waiting = conn.default_channel.client.llen(self.queue)
            active = self.app.control.inspect(destination=[self.name], timeout=1).active()
            if not waiting and active and not any(active.values()):
                return
            time.sleep(0.2)
        raise AssertionError("worker still busy")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.log.close()


@pytest.fixture
def celery_worker(tmp_path):
    if not settings.REDIS_URL:
        pytest.skip("needs REDIS_URL: a real Redis broker for the Celery worker")
    if connection.vendor != "postgresql":
        pytest.skip("a worker process cannot share the SQLite test database")
    from psd.celery import app

    queue = f"test-vetting-{uuid.uuid4().hex[:10]}"
    with app.connection_for_write() as conn:
        conn.default_channel.queue_purge(queue)
    worker = CeleryWorker(queue, tmp_path / "worker.log")
    try:
        worker.wait_ready()
        yield worker
    finally:
        worker.stop()
        with app.connection_for_write() as conn:
            conn.default_channel.queue_purge(queue)
