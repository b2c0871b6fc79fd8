"""The export on a REAL Celery worker (Redis broker, PostgreSQL): the task writes the files
from its own process, in one read-only snapshot, and the page's run shows the manifest.

Runs in CI (REDIS_URL set, PostgreSQL); skipped with the reason otherwise.
"""

import json
import time
import uuid
from pathlib import Path

import pytest

from audit.models import AuditEntry
from portability import tasks
from portability.models import ExportRun, ExportStatus
from tests.cases.factories import complaint
from tests.helpers.celery_worker import CeleryWorker, purge_queue, skip_without_real_worker

pytestmark = [
    pytest.mark.worker,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def worker(tmp_path):
    skip_without_real_worker()
    queue = f"test-portability-{uuid.uuid4().hex[:10]}"
    purge_queue(queue)
    started = CeleryWorker(
        queue, tmp_path / "worker.log", env={"PSD_EXPORT_DIR": str(tmp_path / "exports")}
    )
    started.wait_ready()
    yield started
    started.kill()
    purge_queue(queue)


def test_a_worker_writes_the_requested_export(worker, ada, alice, tmp_path):
    complaint(alice)
    run = ExportRun.objects.create(requested_by=ada, format="json")
    tasks.export_run.apply_async(args=[run.pk], queue=worker.queue)
    end = time.monotonic() + 60
    while time.monotonic() < end:
        run.refresh_from_db()
        if run.status in (ExportStatus.DONE, ExportStatus.FAILED):
            break
        time.sleep(0.3)
    assert run.status == ExportStatus.DONE, (tmp_path / "worker.log").read_text()[-2000:]
    directory = Path(run.directory)
    assert directory.parent == tmp_path / "exports"
    manifest = json.loads((directory / "manifest.json").read_text())
    assert manifest == run.manifest
    assert (directory / "cases.case.jsonl").read_text().count("\n") == 1
    assert AuditEntry.objects.filter(action="data.exported", actor=ada).count() == 1
