"""The daily sweep on a REAL Celery worker (prefork, Redis, PostgreSQL): two sweeps sent at
once for each threshold day still give exactly one reminder per person, recipient and
threshold, and expire each clearance once. Skipped without REDIS_URL or on SQLite."""

import datetime

import pytest
from django.db.models import Count
from django.utils import timezone

from deadlines.models import Notification
from psd.roles import Role
from tests.accounts.factories import PersonFactory, user_with_role
from vetting.models import Clearance, ClearanceEvent, ClearanceStatus
from vetting.tasks import vetting_sweep

from .factories import granted

pytestmark = [
    pytest.mark.worker,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
PEOPLE = 12


def test_reminders_on_a_real_worker_are_exactly_once_per_threshold(celery_worker, victor, vera):
    manager = PersonFactory(user=user_with_role(Role.SUPERVISOR, "mike"))
    expires = timezone.localdate() + datetime.timedelta(days=200)
    for _ in range(PEOPLE):
        granted(victor, PersonFactory(line_manager=manager), expires_on=expires)

    def sweep_twice_on(day: datetime.date) -> None:
        for _ in range(2):  # two sweeps at once: the prefork pool runs them in parallel
            vetting_sweep.apply_async(args=[day.isoformat()], queue=celery_worker.queue)
        celery_worker.wait_idle()

    for days_before in (91, 90, 45, 30, 7):
        sweep_twice_on(expires - datetime.timedelta(days=days_before))
    sweep_twice_on(expires + datetime.timedelta(days=1))

    per_threshold = dict(
        Notification.objects.values_list("threshold").annotate(n=Count("id")).order_by()
    )
    assert per_threshold == dict.fromkeys(("90", "30", "7", "overdue"), PEOPLE * 3)
    assert (
        Notification.objects.values("deadline", "recipient", "threshold").distinct().count()
        == Notification.objects.count()
    )
    assert Clearance.objects.filter(status=ClearanceStatus.EXPIRED).count() == PEOPLE
    assert ClearanceEvent.objects.filter(kind="expired").count() == PEOPLE
