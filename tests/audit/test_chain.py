"""The trail is append-only and hash-chained; audit_verify finds the first broken row."""

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from audit.models import AuditEntry
from audit.services import audit_event
from audit.triggers import install_triggers
from audit.verify import verify_chain
from tests.accounts.factories import PersonFactory

pytestmark = pytest.mark.django_db


def tamper(sql: str, params=()):
    """Run ``sql`` against the audit table with its guard switched off, as an attacker with
    database access would (superuser test role; the test transaction rolls it all back)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER psd_audit_append_only")
            cursor.execute(sql, params)
            cursor.execute("ALTER TABLE audit_auditentry ENABLE TRIGGER psd_audit_append_only")
        else:
            cursor.execute("DROP TRIGGER psd_audit_no_update")
            cursor.execute("DROP TRIGGER psd_audit_no_delete")
            cursor.execute(sql, params)
    if connection.vendor == "sqlite":
        install_triggers()


@pytest.fixture
def trail(alice):
    for _ in range(3):
        PersonFactory()
    audit_event(actor=alice, action="case.referred", target_label="CO/2026/0001")
    return list(AuditEntry.objects.order_by("seq"))


def test_an_intact_chain_verifies(trail, capsys):
    call_command("audit_verify")
    assert f"audit chain intact: {len(trail)} entries" in capsys.readouterr().out
    seqs = [entry.seq for entry in trail]
    assert seqs == list(range(1, len(trail) + 1))
    for previous, entry in zip(trail, trail[1:], strict=False):
        assert entry.prev_hash == previous.hash


def test_an_edited_row_is_named(trail):
    victim = trail[2]
    tamper("UPDATE audit_auditentry SET reason = %s WHERE id = %s", ["covered up", victim.pk])
    with pytest.raises(CommandError) as error:
        call_command("audit_verify")
    assert f"id={victim.pk} seq={victim.seq}" in str(error.value)
    assert "does not match its hash" in str(error.value)


def test_an_edited_json_row_is_detected(trail):
    victim = trail[1]
    tamper(
        "UPDATE audit_auditentry SET new_row = NULL WHERE id = %s",
        [victim.pk],
    )
    report = verify_chain()
    assert not report.ok and report.broken_id == victim.pk


def test_a_deleted_row_is_detected_at_the_next_row(trail):
    tamper("DELETE FROM audit_auditentry WHERE id = %s", [trail[1].pk])
    report = verify_chain()
    assert report.broken_id == trail[2].pk
    assert "removed" in report.problem


def test_a_rehashed_row_still_breaks_the_link_to_its_successor(trail):
    """Editing a row and fixing its own hash is not enough: the next row points at the old one."""
    victim = trail[1]
    tamper(
        "UPDATE audit_auditentry SET reason = 'x', hash = %s WHERE id = %s",
        ["0" * 64, victim.pk],
    )
    report = verify_chain()
    assert report.broken_id == victim.pk


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_auditentry SET reason = 'rewritten'",
        "DELETE FROM audit_auditentry",
    ],
)
def test_the_database_refuses_update_and_delete(trail, sql):
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)
    assert AuditEntry.objects.count() == len(trail)
    assert verify_chain().ok


def test_the_model_refuses_save_and_delete_of_an_existing_entry(trail):
    entry = trail[0]
    with pytest.raises(RuntimeError):
        entry.save()
    with pytest.raises(RuntimeError):
        entry.delete()


def test_forged_chain_columns_never_enter_the_chain(trail):
    forge = (
        "INSERT INTO audit_auditentry (created_at, kind, action, table_name, object_pk, "
        "target_label, request_id, reason, seq, prev_hash, hash) VALUES "
        "(%s, 'event', 'forged', '', '', '', '', '', 1, 'x', 'y')"
    )
    if connection.vendor == "sqlite":
        with (
            pytest.raises(DatabaseError, match="set by the database"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(forge, ["2026-01-01 00:00:00"])
        return
    with connection.cursor() as cursor:  # PostgreSQL: the BEFORE INSERT trigger overwrites
        cursor.execute(forge, ["2026-01-01 00:00:00+00:00"])
    forged = AuditEntry.objects.get(action="forged")
    assert forged.seq == len(trail) + 1
    assert forged.prev_hash == trail[-1].hash
    assert verify_chain().ok
