"""Celery tasks. They take ids, never objects; they are idempotent (see deadlines.sweep), so a
message redelivered after a worker died (``acks_late`` + ``reject_on_worker_lost``) is
harmless. Long future times are never ETAs: due dates live in the database and the periodic
``deadlines.sweep`` (django-celery-beat, every 5 minutes) finds them.
"""

import logging

from celery import shared_task
from celery.contrib.django.task import DjangoTask
from django.db import transaction
from kombu.exceptions import OperationalError

from . import sweep

logger = logging.getLogger(__name__)


class OnCommitTask(DjangoTask):
    """``delay_on_commit`` that never fails the user's action: if the broker is unreachable
    when the transaction commits, the error is logged and the next sweep does the work."""

    def delay_on_commit(self, *args, **kwargs) -> None:
        transaction.on_commit(lambda: self._delay_logged(args, kwargs))

    def _delay_logged(self, args, kwargs) -> None:
        try:
            self.delay(*args, **kwargs)
        except (OperationalError, ConnectionError, OSError):
            logger.warning(
                "broker unavailable: %s not queued; the next sweep catches up", self.name
            )


TASK_OPTIONS = {"base": OnCommitTask, "acks_late": True, "reject_on_worker_lost": True}


@shared_task(name="deadlines.sweep", **TASK_OPTIONS)
def sweep_deadlines() -> dict:
    """One bounded run (at most about two minutes: see deadlines.sweep); when it stopped with
    work left, the next run is queued at once rather than at the beat's next tick."""
    result = sweep.run_sweep()
    if result.more:
        sweep_deadlines._delay_logged((), {})
    return result.as_dict()


@shared_task(name="deadlines.alert_deadline", **TASK_OPTIONS)
def alert_deadline(deadline_id: int) -> dict:
    result = sweep.alert_deadlines(ids=[deadline_id])
    result.emails = sweep.send_pending_emails(deadline_ids=[deadline_id])
    return result.as_dict()


@shared_task(name="deadlines.email_notification", **TASK_OPTIONS)
def email_notification(notification_id: int) -> bool:
    return sweep.notification_email(notification_id)
