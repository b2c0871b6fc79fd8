"""Concurrent writers and sealers extend one chain: no fork, no gap.

Transactional tests here use serialized_rollback like the other apps' worker tests: a flush
followed by post_migrate would recreate content types under new ids and break the next
test that restores the serialized database.
"""

import threading

import pytest
from django.db import connection, connections, transaction

from audit.models import AuditEntry
from audit.sealer import seal_pending
from audit.services import audit_event
from audit.verify import verify_chain
from tests.accounts.factories import StaffPersonFactory


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_transactions_never_fork_the_chain():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has a single writer; concurrency is a PostgreSQL property")
    errors = []
    start = threading.Barrier(4)

    def writer(n):
        try:
            start.wait()
            for i in range(5):
                with transaction.atomic():
                    audit_event(actor=None, action="test.concurrent", target_label=f"{n}-{i}")
                    StaffPersonFactory()
                seal_pending()  # four sealers at once: one seals, the others step aside
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert AuditEntry.objects.filter(action="test.concurrent").count() == 20
    seal_pending()
    report = verify_chain()
    assert report.ok, report
    assert report.checked == AuditEntry.objects.count()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_transactional_test_can_flush_the_trail():
    """Django's test flush (DELETE on SQLite, TRUNCATE on PostgreSQL) empties the trail."""
    StaffPersonFactory()
    assert AuditEntry.objects.exists()
