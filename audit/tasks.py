"""Celery beat tasks of the audit trail (schedules in migration 0004).

Both are idempotent: a seal run finds an empty queue the second time, a second checkpoint
only repeats the head. Neither takes arguments.
"""

from celery import shared_task

from .checkpoints import write_checkpoint
from .sealer import seal_pending

TASK_OPTIONS = {"acks_late": True, "reject_on_worker_lost": True}


@shared_task(name="audit.seal", **TASK_OPTIONS)
def seal() -> int:
    return seal_pending()


@shared_task(name="audit.checkpoint", **TASK_OPTIONS)
def checkpoint() -> dict:
    line = write_checkpoint()
    return {"seq": line["seq"], "hash": line["hash"]}
