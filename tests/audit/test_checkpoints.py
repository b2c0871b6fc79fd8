"""Signed checkpoints outside the database: a superuser who truncates the trail, deletes its
tail or recomputes the chain (even with the key) is caught and the damage is named."""

import json

import pytest
from django.core.management import call_command
from django.db import connection

from audit import chain
from audit.checkpoints import read_checkpoints, write_checkpoint
from audit.models import AuditEntry, AuditSeal
from audit.sealer import chain_head, seal_pending
from audit.services import audit_event
from audit.triggers import digest_sql
from audit.verify import verify_chain
from tests.audit.test_chain import damage, tamper

pytestmark = pytest.mark.django_db


@pytest.fixture
def checkpointed(alice, settings):
    """60 events, sealed and checkpointed."""
    for n in range(60):
        audit_event(actor=alice, action="case.viewed", target_label=f"CO/2026/{n:04d}")
    line = write_checkpoint()
    return line


def test_a_checkpoint_is_a_signed_line_appended_to_the_file(checkpointed, settings):
    write_checkpoint()
    lines = settings.AUDIT_CHECKPOINT_PATH.read_text().splitlines()
    assert len(lines) == 2
    first = json.loads(lines[0])
    head = chain_head()
    assert first == checkpointed
    assert (first["seq"], first["hash"], first["count"]) == (
        head.position,
        head.hash,
        head.position,
    )
    assert first["key"] == chain.key_id()
    fields = {k: v for k, v in first.items() if k != "sig"}
    assert chain.signature_ok(fields, first["sig"])
    assert AuditSeal.objects.count() == AuditEntry.objects.count() == head.position


def test_the_command_writes_a_checkpoint_and_verify_agrees(checkpointed, capsys):
    call_command("audit_checkpoint")
    call_command("audit_verify")
    output = capsys.readouterr().out
    assert "checkpoint written to" in output
    assert "audit chain intact" in output and "2 checkpoints agree" in output


def test_truncation_is_named(checkpointed):
    tamper(("DELETE FROM audit_auditseal", []), ("DELETE FROM audit_auditentry", []))
    message = damage()
    assert "TRUNCATED: the trail is empty, but the checkpoint of" in message
    assert f"recorded {checkpointed['count']} entries" in message


def test_truncating_the_entries_alone_is_named_too(checkpointed):
    tamper(("DELETE FROM audit_auditentry", []))
    message = damage()
    assert "DELETED: entry id=" in message and f"and {checkpointed['count'] - 1} more" in message


def test_tail_deletion_is_named(checkpointed):
    """The newest 50 entries and their seals removed: the chain itself is consistent."""
    keep = checkpointed["seq"] - 50
    tamper(
        (
            "DELETE FROM audit_auditentry WHERE id IN "
            "(SELECT entry_id FROM audit_auditseal WHERE position > %s)",
            [keep],
        ),
        ("DELETE FROM audit_auditseal WHERE position > %s", [keep]),
    )
    message = damage()
    assert "TAIL-DELETED: the chain ends at position" in message
    assert "50 entries missing from the end" in message
    assert "EDITED" not in message and "REMOVED" not in message


def test_a_chain_recomputed_with_the_key_is_caught_by_the_checkpoint(checkpointed):
    """An insider who also holds AUDIT_HMAC_KEY edits an entry and recomputes every later
    link: the chain is self-consistent again, but not what the checkpoint saw."""
    seals = list(AuditSeal.objects.order_by("position"))
    victim = seals[10]
    tamper(
        (
            "UPDATE audit_auditentry SET target_label = 'nothing to see' WHERE id = %s",
            [victim.entry_id],
        )
    )
    key, previous, rewrites = chain.link_key(), seals[9].hash, []
    with connection.cursor() as cursor:
        for seal in seals[10:]:
            cursor.execute(
                f"SELECT {digest_sql(connection.vendor)} FROM audit_auditentry WHERE id = %s",  # noqa: S608
                [seal.entry_id],
            )
            value = chain.link(key, seal.position, seal.entry_id, previous, cursor.fetchone()[0])
            rewrites.append(
                (
                    "UPDATE audit_auditseal SET prev_hash = %s, hash = %s WHERE position = %s",
                    [previous, value, seal.position],
                )
            )
            previous = value
    tamper(*rewrites)
    report = verify_chain()
    assert [f.kind for f in report.findings] == ["rewritten"]
    assert f"position {checkpointed['seq']} has hash" in report.problem
    assert "the chain was recomputed" in report.problem


def test_an_edited_checkpoint_line_is_named(checkpointed, settings):
    path = settings.AUDIT_CHECKPOINT_PATH
    line = json.loads(path.read_text())
    line["seq"] += 100  # claims a longer chain, to frame the database
    path.write_text(json.dumps(line) + "\n")
    assert read_checkpoints()[0] == []
    message = damage()
    assert "CHECKPOINT-INVALID: checkpoint line 1 has a bad signature" in message
    assert "TAIL-DELETED" not in message


def test_verify_reads_a_shipped_copy(checkpointed, settings, tmp_path):
    shipped = tmp_path / "shipped.jsonl"
    shipped.write_text(settings.AUDIT_CHECKPOINT_PATH.read_text())
    settings.AUDIT_CHECKPOINT_PATH.unlink()  # the local file was removed by the attacker
    newest = AuditSeal.objects.order_by("-position").first()
    tamper(
        ("DELETE FROM audit_auditseal WHERE position = %s", [newest.position]),
        ("DELETE FROM audit_auditentry WHERE id = %s", [newest.entry_id]),
    )
    assert verify_chain().ok  # the tail deletion goes unseen without the checkpoints...
    assert "TAIL-DELETED" in damage(checkpoints=shipped)  # ...and not with them


def test_verify_warns_when_there_is_no_checkpoint(alice, capsys):
    audit_event(actor=alice, action="case.viewed")
    seal_pending()
    call_command("audit_verify")
    captured = capsys.readouterr()
    assert "audit chain intact" in captured.out
    assert "warning: no checkpoints in" in captured.err


def test_beat_seals_every_30_seconds_and_checkpoints_every_5_minutes(settings):
    from django_celery_beat.models import PeriodicTask

    seal = PeriodicTask.objects.get(task="audit.seal")
    checkpoint = PeriodicTask.objects.get(task="audit.checkpoint")
    assert (seal.interval.every, seal.interval.period) == (30, "seconds")
    assert (checkpoint.interval.every, checkpoint.interval.period) == (5, "minutes")
    assert seal.enabled and checkpoint.enabled


def test_the_tasks_seal_and_checkpoint(alice, settings):
    from audit import tasks

    audit_event(actor=alice, action="case.viewed")
    assert tasks.seal() > 0  # run in-process, as a worker would
    line = tasks.checkpoint()
    assert line["seq"] == chain_head().position
    assert len(settings.AUDIT_CHECKPOINT_PATH.read_text().splitlines()) == 1
