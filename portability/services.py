"""Writing exports: requested from the administrator's page (run by a Celery task) or by
``manage.py export_all``. Every export is in the audit trail: who, when, format, row counts."""

from __future__ import annotations

import datetime
import logging
import shutil
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from audit.services import audit_event
from psd.domain import DomainError, PermissionDenied

from .exporter import ExportResult, write_export
from .models import ExportFormat, ExportRun, ExportStatus

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


def _stale_after() -> datetime.timedelta:
    """A run still queued or running after the broker's visibility timeout never will finish
    (the broker was down when it was queued, or the worker died writing it)."""
    options = getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {}) or {}
    return datetime.timedelta(seconds=options.get("visibility_timeout", 60 * 60))


def _fail_stale_runs() -> None:
    cutoff = timezone.now() - _stale_after()
    stale = ExportRun.objects.filter(
        status__in=[ExportStatus.QUEUED, ExportStatus.RUNNING], requested_at__lt=cutoff
    )
    stale.update(
        status=ExportStatus.FAILED,
        finished_at=timezone.now(),
        error="The export did not finish (the background worker stopped or never started it).",
    )


@transaction.atomic
def export_request(*, actor, fmt: str) -> ExportRun:
    """Queue an export to the server's export directory (the page's action). One at a time:
    each is a copy of the whole database on the server's disk."""
    if not actor.has_perm("portability.export_data"):
        raise PermissionDenied("Only administrators may export the data.")
    if fmt not in ExportFormat.values:
        raise DomainError("Choose JSON Lines or CSV.", field="format")
    _fail_stale_runs()
    busy = (
        ExportRun.objects.select_for_update()
        .filter(status__in=[ExportStatus.QUEUED, ExportStatus.RUNNING])
        .order_by("pk")
        .first()
    )
    if busy is not None:
        raise DomainError(f"Export {busy.pk} is still being written: wait until it has finished.")
    run = ExportRun.objects.create(requested_by=actor, format=fmt)
    audit_event(actor=actor, action="data.export_requested", obj=run, data={"format": fmt})
    from .tasks import export_run  # the task module imports this one

    export_run.delay_on_commit(run.pk)
    return run


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
