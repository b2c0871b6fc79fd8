"""Check the audit trail: the unkeyed chain of old entries, the keyed chain, the sealing queue
and the signed checkpoints kept outside the database.

The database computes each row's hash (old entries) or content digest (sealed entries) with
the same canonical SQL used when it was sealed (``audit.triggers``); Python walks the chain
in position order — old entries by ``seq`` 1..n, then seals from n+1 — checking that no
position is missing, that each link points at the previous one and that each link matches
its entry (HMAC with ``AUDIT_HMAC_KEY`` for sealed entries). Then every entry must be sealed
or queued, and every checkpoint must still be found: a chain shorter than a checkpoint was
truncated or lost its tail; a different hash at a checkpointed position was rewritten.

Each kind of damage is one ``Finding`` (its first occurrence and how many), so the report
names what happened rather than only the first broken row. Verification only reads, in one
snapshot on PostgreSQL, streaming the trail through a server-side cursor.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connections, transaction

from . import chain
from .checkpoints import Checkpoint, read_checkpoints
from .triggers import AUDIT_TABLE, PENDING_TABLE, SEAL_TABLE, digest_sql, legacy_hash_sql


@dataclass
class Finding:
    kind: str  # removed, unlinked, edited, deleted, unsealed, truncated, tail-deleted, ...
    message: str
    entry_id: int | None = None
    position: int | None = None
    count: int = 1

    def __str__(self) -> str:
        more = f" (and {self.count - 1} more like it)" if self.count > 1 else ""
        return f"{self.kind.upper()}: {self.message}{more}"


@dataclass
class ChainReport:
    checked: int = 0  # links verified: old entries and sealed ones
    head_position: int = 0
    head_hash: str = ""
    pending: int = 0  # written, not sealed yet (the next seal takes them)
    checkpoints: int = 0
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.findings

    @property
    def problem(self) -> str:
        return "; ".join(str(finding) for finding in self.findings)

    @property
    def broken_id(self) -> int | None:
        return next((f.entry_id for f in self.findings if f.entry_id is not None), None)

    def add(self, kind: str, message: str, *, entry_id=None, position=None) -> None:
        """Keep the first finding of each kind; count the others."""
        for finding in self.findings:
            if finding.kind == kind:
                finding.count += 1
                return
        self.findings.append(Finding(kind, message, entry_id, position))


class _Walk:
    """Follows the chain link by link (old entries, then seals) and meets the checkpoints."""

    def __init__(self, report: ChainReport, checkpoints: list[Checkpoint]):
        self.report = report
        self.at: dict[int, list[Checkpoint]] = {}
        for checkpoint in checkpoints:
            self.at.setdefault(checkpoint.seq, []).append(checkpoint)

    def step(self, position, entry_id, prev_hash, stored, expected, label) -> None:
        report = self.report
        if position != report.head_position + 1:
            gap = position - report.head_position - 1
            report.add(
                "removed",
                f"the chain jumps from position {report.head_position} to {position}: "
                f"{gap} links removed before {label}",
                entry_id=entry_id,
                position=position,
            )
        elif prev_hash != report.head_hash:
            report.add(
                "unlinked",
                f"{label} does not link to the previous entry (links removed, reordered or "
                "recomputed)",
                entry_id=entry_id,
                position=position,
            )
        if expected is None:
            report.add(
                "deleted",
                f"{label} was deleted: its seal remains",
                entry_id=entry_id,
                position=position,
            )
        elif stored != expected:
            report.add(
                "edited",
                f"{label}: its content does not match its hash (the entry was edited, or the "
                "chain recomputed without the key)",
                entry_id=entry_id,
                position=position,
            )
        for checkpoint in self.at.get(position, ()):
            if checkpoint.hash != stored:
                report.add(
                    "rewritten",
                    f"position {position} has hash {stored[:12]}…, but the checkpoint of "
                    f"{checkpoint.time} (line {checkpoint.line}) recorded "
                    f"{checkpoint.hash[:12]}…: the chain was recomputed",
                    entry_id=entry_id,
                    position=position,
                )
        report.head_position, report.head_hash = position, stored
        report.checked += 1

    def finish(self, checkpoints: list[Checkpoint]) -> None:
        report = self.report
        if not checkpoints:
            return
        latest = max(checkpoints, key=lambda c: c.seq)
        if latest.seq <= report.head_position:
            return
        missing = latest.seq - report.head_position
        if report.head_position == 0:
            report.add(
                "truncated",
                f"the trail is empty, but the checkpoint of {latest.time} (line {latest.line}) "
                f"recorded {latest.count} entries",
            )
        else:
            report.add(
                "tail-deleted",
                f"the chain ends at position {report.head_position}, but the checkpoint of "
                f"{latest.time} (line {latest.line}) recorded position {latest.seq}: "
                f"{missing} entries missing from the end",
                position=report.head_position,
            )


def _rows(connection, query: str, batch: int):
    with connection.chunked_cursor() as cursor:
        cursor.execute(query)
        while rows := cursor.fetchmany(batch):
            yield from rows


def _walk_legacy(walk: _Walk, connection, batch: int) -> None:
    query = (
        f"SELECT id, seq, prev_hash, hash, {legacy_hash_sql(connection.vendor)} "  # noqa: S608  # nosec B608
        f"FROM {AUDIT_TABLE} WHERE hash <> '' ORDER BY seq"
    )
    for row_id, seq, prev_hash, stored, recomputed in _rows(connection, query, batch):
        walk.step(seq, row_id, prev_hash, stored, recomputed, f"entry id={row_id} seq={seq}")


def _walk_sealed(walk: _Walk, connection, batch: int) -> None:
    query = (
        f"SELECT s.position, s.entry_id, s.prev_hash, s.hash, e.id, "  # noqa: S608  # nosec B608
        f"{digest_sql(connection.vendor, 'e.')} FROM {SEAL_TABLE} s "
        f"LEFT JOIN {AUDIT_TABLE} e ON e.id = s.entry_id ORDER BY s.position"
    )
    key = chain.link_key()
    for position, entry_id, prev_hash, stored, found, digest in _rows(connection, query, batch):
        expected = None
        if found is not None:
            expected = chain.link(key, position, entry_id, prev_hash, digest)
        label = f"entry id={entry_id} (chain position {position})"
        walk.step(position, entry_id, prev_hash, stored, expected, label)


def _check_queue(report: ChainReport, connection) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*), min(e.id) FROM {AUDIT_TABLE} e WHERE e.hash = '' "  # noqa: S608  # nosec B608
            f"AND NOT EXISTS (SELECT 1 FROM {SEAL_TABLE} s WHERE s.entry_id = e.id) "
            f"AND NOT EXISTS (SELECT 1 FROM {PENDING_TABLE} p WHERE p.entry_id = e.id)"
        )
        lost, first_lost = cursor.fetchone()
        cursor.execute(
            f"SELECT count(*), count(e.id), min(CASE WHEN e.id IS NULL THEN p.entry_id END) "  # noqa: S608  # nosec B608
            f"FROM {PENDING_TABLE} p LEFT JOIN {AUDIT_TABLE} e ON e.id = p.entry_id"
        )
        queued, present, first_gone = cursor.fetchone()
    report.pending = present
    if lost:
        report.add(
            "unsealed",
            f"{lost} entries (first id={first_lost}) are neither sealed nor queued for sealing: "
            "their seals or their place in the queue were removed",
            entry_id=first_lost,
        )
    if queued - present:
        report.add(
            "deleted",
            f"{queued - present} entries (first id={first_gone}) were deleted before they were "
            "sealed: their place in the queue remains",
            entry_id=first_gone,
        )


@contextlib.contextmanager
def _snapshot(using: str):
    """One consistent view of trail, seals and queue (PostgreSQL, outside a transaction)."""
    connection = connections[using]
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        yield connection
        return
    with transaction.atomic(using=using):
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield connection


def verify_chain(
    using: str = "default", batch: int = 5000, checkpoints: Path | None = None
) -> ChainReport:
    """Verify the trail against itself and the checkpoint file (``AUDIT_CHECKPOINT_PATH``
    unless ``checkpoints`` names another copy)."""
    report = ChainReport()
    found, problems = read_checkpoints(checkpoints)
    report.checkpoints = len(found)
    for problem in problems:
        report.add("checkpoint-invalid", problem)
    walk = _Walk(report, found)
    with _snapshot(using) as connection:
        _walk_legacy(walk, connection, batch)
        _walk_sealed(walk, connection, batch)
        _check_queue(report, connection)
    walk.finish(found)
    return report
