"""Writing an export: the worker's side of a queued run, and the command's direct write.

The request side (portability.services) queues a run; the task (portability.tasks) calls
``export_run_execute`` here, so neither module needs the other.
"""

from __future__ import annotations

import datetime
import logging
import shutil
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from audit.services import audit_event

from .exporter import ExportResult, write_export
from .models import ExportRun, ExportStatus

logger = logging.getLogger(__name__)


def export_write(*, actor, fmt: str, directory: Path, run: ExportRun | None = None) -> ExportResult:
    """Write an export to ``directory`` and record it in the audit trail."""
    result = write_export(Path(directory), fmt)
    audit_event(
        actor=actor,
        action="data.exported",
        obj=run,
        target_label="" if run else "Complete data export",
        data={
            "format": fmt,
            "directory": str(result.directory),
            "schema_version": result.manifest["schema_version"],
            "rows": result.counts,
        },
    )
    return result


def _directory_for(run: ExportRun, started: datetime.datetime) -> Path:
    stamp = started.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    return Path(settings.EXPORT_DIR) / f"psd-export-{run.pk:05d}-{stamp}-{run.format}"


def export_run_execute(*, run_id: int) -> str:
    """Write the export of a queued run (idempotent: a run is claimed once)."""
    started = timezone.now()
    claimed = ExportRun.objects.filter(pk=run_id, status=ExportStatus.QUEUED).update(
        status=ExportStatus.RUNNING, started_at=started
    )
    if not claimed:
        return "not queued"
    run = ExportRun.objects.select_related("requested_by").get(pk=run_id)
    directory = _directory_for(run, started)
    try:
        result = export_write(actor=run.requested_by, fmt=run.format, directory=directory, run=run)
    except Exception as error:  # noqa: BLE001 - any failure is recorded on the run, then shown
        logger.exception("export %s failed", run.pk)
        if directory.exists():
            shutil.rmtree(directory, ignore_errors=True)
        ExportRun.objects.filter(pk=run.pk).update(
            status=ExportStatus.FAILED,
            finished_at=timezone.now(),
            error=f"The export could not be written ({type(error).__name__}); see the logs.",
        )
        audit_event(actor=run.requested_by, action="data.export_failed", obj=run)
        return "failed"
    ExportRun.objects.filter(pk=run.pk).update(
        status=ExportStatus.DONE,
        finished_at=timezone.now(),
        directory=str(result.directory),
        manifest=result.manifest,
    )
    return "done"
