"""A real ``celery -A psd worker`` subprocess for tests that need one (prefork, Redis broker,
the PostgreSQL test database), shared by tests/deadlines and tests/vetting.

Call ``skip_without_real_worker()`` first: it skips with the reason when there is no Redis
broker or the database is SQLite (a worker process cannot share the SQLite test database).
"""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from psd.celery import app as celery_app

BASE_DIR = Path(__file__).resolve().parents[2]


def skip_without_real_worker() -> None:
    """Skip the calling test, with the reason, when a real worker cannot run."""
    if not settings.REDIS_URL:
        pytest.skip("needs REDIS_URL: a real Redis broker for the Celery worker")
    if connection.vendor != "postgresql":
        pytest.skip("a worker process cannot share the SQLite test database")


def purge_queue(queue: str) -> None:
    with celery_app.connection_for_write() as conn:
        conn.default_channel.queue_purge(queue)


def queue_length(queue: str) -> int:
    """Messages waiting on ``queue`` in Redis (not counting those a worker has taken)."""
    with celery_app.connection_for_write() as conn:
        return conn.default_channel.client.llen(queue)


def _test_database_url() -> str:
    """The TEST database the test process created, not the development one."""
    db = connection.settings_dict
    user = quote(db["USER"]) + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
    return f"postgres://{user}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"


class CeleryWorker:
    """A worker on its own ``queue``, in its own process group, logging to ``log``.

    ``env`` adds to or overrides the worker's environment, e.g. ``CELERY_VISIBILITY_TIMEOUT``,
    ``EMAIL_BACKEND`` and ``EMAIL_FILE_PATH``. Each worker has a unique node name, so a
    restarted worker on the same queue is told apart from the one it replaces.
    """

    def __init__(self, queue: str, log: Path, *, env: dict[str, str] | None = None):
        self.queue = queue
        self.name = f"{queue}-{uuid.uuid4().hex[:6]}@localhost"
        worker_env = {
            **os.environ,
            "DEBUG": "1",
            "DATABASE_URL": _test_database_url(),
            "REDIS_URL": settings.REDIS_URL,
            "CELERY_TASK_ALWAYS_EAGER": "0",
            **(env or {}),
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
            env=worker_env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: SIGKILL reaches every child
        )

    def wait_ready(self, timeout: float = 30) -> None:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if self.process.poll() is not None:
                raise AssertionError(f"worker exited with {self.process.returncode}")
            if celery_app.control.inspect(destination=[self.name], timeout=0.5).ping():
                return
        raise AssertionError("worker did not start in time")

    def is_idle(self) -> bool:
        """The worker answers and runs no task (its queue may still hold messages)."""
        active = celery_app.control.inspect(destination=[self.name], timeout=1).active()
        return bool(active) and not any(active.values())

    def wait_idle(self, timeout: float = 30) -> None:
        """Until the queue is empty and nothing is running."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if not queue_length(self.queue) and self.is_idle():
                return
            time.sleep(0.2)
        raise AssertionError("worker still busy")

    def kill(self) -> None:
        """SIGKILL the whole process group: no ack, no clean-up (as a crashed host)."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        self.log.close()

    def stop(self) -> None:
        """A warm shutdown (SIGTERM), killed if it does not end within 10 seconds."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.log.close()
