"""The trail is append-only and HMAC-chained by the sealer; audit_verify names the damage."""

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from audit import chain
from audit.models import AuditEntry, AuditPending, AuditSeal
from audit.sealer import seal_pending
from audit.services import audit_event
from audit.triggers import APPEND_ONLY_TABLES, install_triggers
from audit.verify import verify_chain
from tests.accounts.factories import PersonFactory

pytestmark = pytest.mark.django_db


def tamper(*statements):
    """Run SQL against the audit tables with their guards switched off, as an attacker with
    database access would (superuser test role; the test transaction rolls it all back)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for table in APPEND_ONLY_TABLES:
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER psd_audit_append_only")
            for sql, params in statements:
                cursor.execute(sql, params)
            for table in APPEND_ONLY_TABLES:
                cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER psd_audit_append_only")
            return
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND (name LIKE "
            "'psd_audit_no_%' OR name = 'psd_audit_seal_no_update')"
        )
        for (name,) in cursor.fetchall():
            cursor.execute(f'DROP TRIGGER "{name}"')
        for sql, params in statements:
            cursor.execute(sql, params)
    install_triggers()


def damage(**options) -> str:
    with pytest.raises(CommandError) as error:
        call_command("audit_verify", **options)
    return str(error.value)


@pytest.fixture
def trail(alice):
    for _ in range(3):
        PersonFactory()
    audit_event(actor=alice, action="case.referred", target_label="CO/2026/0001")
    seal_pending()
    return list(AuditEntry.objects.order_by("seq"))


def seals():
    return list(AuditSeal.objects.order_by("position"))


def test_writing_an_entry_only_queues_it_and_the_sealer_chains_it(alice):
    before = seal_pending()  # alice's account, roles and team
    entry = audit_event(actor=alice, action="case.referred")
    entry.refresh_from_db()
    assert entry.seq == entry.pk and entry.hash == "" and entry.prev_hash == ""
    assert AuditPending.objects.filter(entry_id=entry.pk).exists()
    report = verify_chain()
    assert report.ok and report.pending == 1 and report.checked == before

    assert seal_pending() == 1
    assert not AuditPending.objects.exists()
    report = verify_chain()
    assert report.ok and report.pending == 0 and report.checked == before + 1
    assert AuditSeal.objects.get(entry=entry).position == before + 1


def test_an_intact_chain_verifies(trail, capsys):
    call_command("audit_verify")
    assert f"audit chain intact: {len(trail)} entries" in capsys.readouterr().out
    links = seals()
    assert [s.position for s in links] == list(range(1, len(trail) + 1))
    assert [s.entry_id for s in links] == [entry.pk for entry in trail]
    assert links[0].prev_hash == ""
    for previous, seal in zip(links, links[1:], strict=False):
        assert seal.prev_hash == previous.hash and len(seal.hash) == 64


def test_links_are_keyed(trail, settings):
    """The same trail sealed under another key has other links: without the key nobody can
    compute them."""
    settings.AUDIT_HMAC_KEY = "another key"
    report = verify_chain()
    assert [f.kind for f in report.findings] == ["edited"]
    assert report.findings[0].count == len(trail)


def test_an_edited_row_is_named(trail):
    victim = trail[2]
    tamper(("UPDATE audit_auditentry SET reason = %s WHERE id = %s", ["covered up", victim.pk]))
    message = damage()
    position = AuditSeal.objects.get(entry=victim).position
    assert f"EDITED: entry id={victim.pk} (chain position {position})" in message
    assert "does not match its hash" in message


def test_an_edited_json_row_is_detected(trail):
    victim = trail[1]
    tamper(("UPDATE audit_auditentry SET new_row = NULL WHERE id = %s", [victim.pk]))
    report = verify_chain()
    assert not report.ok and report.broken_id == victim.pk


def test_a_deleted_row_is_named(trail):
    tamper(("DELETE FROM audit_auditentry WHERE id = %s", [trail[1].pk]))
    report = verify_chain()
    assert [f.kind for f in report.findings] == ["deleted"]
    assert report.broken_id == trail[1].pk


def test_a_row_and_its_seal_deleted_break_the_chain(trail):
    tamper(
        ("DELETE FROM audit_auditentry WHERE id = %s", [trail[1].pk]),
        ("DELETE FROM audit_auditseal WHERE entry_id = %s", [trail[1].pk]),
    )
    report = verify_chain()
    assert [f.kind for f in report.findings] == ["removed"]
    gone = AuditSeal.objects.get(entry=trail[2]).position - 1
    assert f"jumps from position {gone - 1} to {gone + 1}" in report.problem


def test_an_unsealed_row_deleted_leaves_its_place_in_the_queue(alice):
    entry = audit_event(actor=alice, action="case.referred")
    tamper(("DELETE FROM audit_auditentry WHERE id = %s", [entry.pk]))
    assert "DELETED: 1 entries (first id=" in damage()


def test_an_entry_taken_out_of_the_queue_is_named(alice):
    entry = audit_event(actor=alice, action="case.referred")
    AuditPending.objects.filter(entry_id=entry.pk).delete()  # the queue is not append-only
    seal_pending()
    assert not AuditSeal.objects.filter(entry=entry).exists()
    message = damage()
    assert f"UNSEALED: 1 entries (first id={entry.pk}) are neither sealed nor queued" in message


def test_recomputing_the_chain_without_the_key_is_detected(trail):
    """The attack that passed before: edit a row and recompute every later link (unkeyed
    SHA-256, as the old chain was, or any guessed key)."""
    victim = trail[1]
    tamper(("UPDATE audit_auditentry SET reason = 'x' WHERE id = %s", [victim.pk]))
    forged_key, previous, rewrites = b"guess", seals()[0].hash, []
    for seal in seals()[1:]:
        row = AuditEntry.objects.get(pk=seal.entry_id)
        value = chain.link(forged_key, seal.position, row.pk, previous, "0" * 64)
        rewrites.append(
            (
                "UPDATE audit_auditseal SET prev_hash = %s, hash = %s WHERE position = %s",
                [previous, value, seal.position],
            )
        )
        previous = value
    tamper(*rewrites)
    report = verify_chain()
    assert [f.kind for f in report.findings] == ["edited"]
    assert report.broken_id == victim.pk


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
    assert (forged.seq, forged.prev_hash, forged.hash) == (forged.pk, "", "")
    seal_pending()
    assert AuditSeal.objects.get(entry=forged).prev_hash == seals()[-2].hash
    assert verify_chain().ok


@pytest.mark.parametrize("table", APPEND_ONLY_TABLES)
@pytest.mark.parametrize("verb", ["UPDATE {} SET hash = 'rewritten'", "DELETE FROM {}"])
def test_the_database_refuses_update_and_delete(trail, table, verb):
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(verb.format(table))
    assert AuditEntry.objects.count() == AuditSeal.objects.count() == len(trail)
    assert verify_chain().ok


@pytest.mark.parametrize("table", APPEND_ONLY_TABLES)
def test_postgresql_refuses_truncate_even_to_the_owner(trail, table):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no TRUNCATE")
    with (
        pytest.raises(DatabaseError, match="append-only: TRUNCATE refused"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(f"TRUNCATE {table} CASCADE")
    assert AuditEntry.objects.count() == len(trail)


def test_the_model_refuses_save_and_delete_of_an_existing_entry(trail):
    entry = trail[0]
    with pytest.raises(RuntimeError):
        entry.save()
    with pytest.raises(RuntimeError):
        entry.delete()
