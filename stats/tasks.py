"""Celery tasks: idempotent (a re-run replaces the same rows)."""

from celery import shared_task

from deadlines.tasks import TASK_OPTIONS

from . import snapshots


@shared_task(name="stats.refresh_snapshots", **TASK_OPTIONS)
def refresh_snapshots() -> dict:
    """Every 10 minutes (django-celery-beat): the whole-force statistics of this financial
    year and the last, so the page answers from one row."""
    done = snapshots.snapshot_refresh()
    return {"refreshed": [f"{s.period_start}/{s.period_end}" for s in done]}
