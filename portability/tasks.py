"""Celery task: writes a queued export (takes the run's id; a run is claimed once)."""

from celery import shared_task

from deadlines.tasks import TASK_OPTIONS

from . import runs


@shared_task(name="portability.export", **TASK_OPTIONS)
def export_run(run_id: int) -> str:
    return runs.export_run_execute(run_id=run_id)
