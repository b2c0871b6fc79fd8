"""Audited reads never queue behind one lock (issue 21 item 2): a read's entry is only queued
for the sealer; two requests whose transactions are both still open each log their read at
once, and the chain sealed afterwards verifies."""

import threading

import pytest
from django.db import connection, connections, transaction

from audit.models import AuditEntry
from audit.sealer import seal_pending
from audit.services import audit_read
from audit.verify import verify_chain
from tests.accounts.factories import StaffPersonFactory


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_read_logged_in_an_open_transaction_holds_no_lock_another_read_waits_for():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has a single writer; concurrency is a PostgreSQL property")
    person = StaffPersonFactory()
    logged, release, errors = threading.Event(), threading.Event(), []
    advisory_locks: list[int] = []

    def slow_request():
        """Logs its read, then keeps its transaction open (more work before the commit)."""
        try:
            with transaction.atomic():
                audit_read(user=None, obj=person)
                with connection.cursor() as cursor:
                    cursor.execute(
                        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
                        "AND pid = pg_backend_pid()"
                    )
                    advisory_locks.append(cursor.fetchone()[0])
                logged.set()
                release.wait(10)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    thread = threading.Thread(target=slow_request)
    thread.start()
    try:
        assert logged.wait(10)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout = '2s'")  # a queued read would fail here
            audit_read(user=None, obj=person)
    finally:
        release.set()
        thread.join()
    assert errors == [] and advisory_locks == [0]
    assert AuditEntry.objects.filter(action="read.page").count() == 2
    seal_pending()
    assert verify_chain().ok
