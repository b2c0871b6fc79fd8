"""Seal queued audit entries into the keyed chain, in batches.

Writers never chain their own rows (that took one global lock per audited request): the
insert trigger only numbers and queues an entry. The sealer — the beat task ``audit.seal``,
``manage.py audit_seal``, and every checkpoint — takes the queue in ``seq`` order, gives each
entry the next chain position and its HMAC link (``audit.chain``), writes the seals and
empties the queue in one transaction. Only sealers take the sealing lock, and a sealer that
finds it taken leaves the work to the one holding it, so nobody queues behind it.

An entry written by a transaction that commits after a later one was sealed is simply sealed
in the next batch: chain order is sealing order, ``seq`` is writing order.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connections, transaction
from django.utils import timezone

from . import chain
from .models import AuditSeal
from .triggers import AUDIT_TABLE, PENDING_TABLE, SEAL_TABLE, digest_sql

# pg_try_advisory_xact_lock key for sealers only (any constant unique to this purpose).
SEAL_LOCK_KEY = 7_207_310_002
BATCH = 5000


@dataclass(frozen=True)
class Head:
    """The newest link of the chain: its position (= entries chained) and hash."""

    position: int
    hash: str


def chain_head(using: str = "default") -> Head:
    """The last seal, or before any seal the last entry of the unkeyed chain (release 0003)."""
    with connections[using].cursor() as cursor:
        cursor.execute(f"SELECT position, hash FROM {SEAL_TABLE} ORDER BY position DESC LIMIT 1")  # noqa: S608  # nosec B608
        row = cursor.fetchone()
        if row is None:
            cursor.execute(
                f"SELECT seq, hash FROM {AUDIT_TABLE} WHERE hash <> '' "  # noqa: S608  # nosec B608
                "ORDER BY seq DESC LIMIT 1"
            )
            row = cursor.fetchone()
    return Head(*row) if row else Head(0, "")


def _seal_batch(using: str, batch: int) -> int | None:
    """Seal up to ``batch`` queued entries; None when another sealer holds the lock."""
    connection = connections[using]
    with transaction.atomic(using=using), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [SEAL_LOCK_KEY])
            if not cursor.fetchone()[0]:
                return None
        # SQLite: transactions begin IMMEDIATE (settings), so this one is the only writer.
        head = chain_head(using)
        # A queued entry's seq is its id: the queue's own key gives the batch in writing order
        # and the (costly) digests are computed for that batch only.
        cursor.execute(
            f"SELECT e.id, {digest_sql(connection.vendor, 'e.')} FROM "  # noqa: S608  # nosec B608
            f"(SELECT entry_id FROM {PENDING_TABLE} ORDER BY entry_id LIMIT %s) p "
            f"JOIN {AUDIT_TABLE} e ON e.id = p.entry_id ORDER BY e.id",
            [batch],
        )
        rows = cursor.fetchall()
        if not rows:
            return 0
        key, now = chain.link_key(), timezone.now()
        position, previous, seals = head.position, head.hash, []
        for entry_id, digest in rows:
            position += 1
            value = chain.link(key, position, entry_id, previous, digest)
            seals.append(
                AuditSeal(
                    position=position,
                    entry_id=entry_id,
                    prev_hash=previous,
                    hash=value,
                    sealed_at=now,
                )
            )
            previous = value
        AuditSeal.objects.using(using).bulk_create(seals)
        cursor.execute(
            f"DELETE FROM {PENDING_TABLE} WHERE entry_id IN "  # noqa: S608  # nosec B608
            f"(SELECT entry_id FROM {SEAL_TABLE} WHERE position > %s)",
            [head.position],
        )
    return len(rows)


def seal_pending(*, using: str = "default", batch: int = BATCH) -> int:
    """Seal every queued entry (batch by batch); return how many were sealed."""
    total = 0
    while True:
        sealed = _seal_batch(using, batch)
        if sealed is None:
            return total
        total += sealed
        if sealed < batch:
            return total
