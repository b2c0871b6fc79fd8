"""Celery tasks: take plain values, idempotent (see vetting.sweep)."""

import datetime

from celery import shared_task

from deadlines.tasks import TASK_OPTIONS

from . import sweep


@shared_task(name="vetting.sweep", **TASK_OPTIONS)
def vetting_sweep(today: str | None = None) -> dict:
    """Daily (django-celery-beat). ``today`` (ISO date) lets a run be replayed for a day."""
    day = datetime.date.fromisoformat(today) if today else None
    return sweep.run_sweep(today=day).as_dict()
