"""Check the hash chain of the audit trail.

The database recomputes each row's hash with the same canonical SQL used when the row was
sealed (``audit.triggers.canonical_sql``); Python walks the rows in ``seq`` order and checks
that each row links to the previous one, that ``seq`` has no gap, and that the stored hash
matches the recomputed one. The first broken row is reported.
"""

from dataclasses import dataclass

from django.db import connections

from .triggers import AUDIT_TABLE, hash_sql


@dataclass(frozen=True)
class ChainReport:
    checked: int
    broken_id: int | None = None
    broken_seq: int | None = None
    problem: str = ""
    head_hash: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_id is None


def verify_chain(using: str = "default", batch: int = 5000) -> ChainReport:
    connection = connections[using]
    query = (
        f"SELECT id, seq, prev_hash, hash, {hash_sql(connection.vendor)} "  # noqa: S608  # nosec B608
        f"FROM {AUDIT_TABLE} ORDER BY seq IS NULL, seq, id"
    )
    previous_hash, expected_seq, checked = "", 1, 0
    # A server-side cursor on PostgreSQL: the trail is streamed, never loaded whole.
    with connection.chunked_cursor() as cursor:
        cursor.execute(query)
        while rows := cursor.fetchmany(batch):
            for row_id, seq, prev_hash, stored, recomputed in rows:
                problem = ""
                if seq is None:
                    problem = "the row was never sealed into the chain"
                elif seq != expected_seq:
                    problem = f"sequence jumps from {expected_seq - 1} to {seq} (rows removed)"
                elif prev_hash != previous_hash:
                    problem = "it does not link to the previous row (rows removed or reordered)"
                elif stored != recomputed:
                    problem = "its content does not match its hash (the row was edited)"
                if problem:
                    return ChainReport(checked, row_id, seq, problem, previous_hash)
                previous_hash, expected_seq, checked = stored, seq + 1, checked + 1
    return ChainReport(checked, head_hash=previous_hash)
