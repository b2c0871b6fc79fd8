"""Writing exports: requested from the administrator's page (run by a Celery task) or by
``manage.py export_all``. Every export is in the audit trail: who, when, format, row counts."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from audit.services import audit_event
from psd.domain import DomainError, PermissionDenied

from .models import ExportFormat, ExportRun, ExportStatus
from .tasks import export_run


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
    export_run.delay_on_commit(run.pk)
    return run
