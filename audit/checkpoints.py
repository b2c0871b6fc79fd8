"""Signed checkpoints of the chain head, written outside the database.

Every few minutes (beat task ``audit.checkpoint``, or ``manage.py audit_checkpoint``) the
queue is sealed and one JSON line is appended to ``settings.AUDIT_CHECKPOINT_PATH``::

    {"count": 1204, "hash": "9f…", "key": "3c0d…", "seq": 1204,
     "sig": "…", "time": "2026-12-04T17:40:00.123456+00:00"}

``seq`` is the chain position of the head, ``hash`` its link, ``count`` the entries the
chain covers, ``key`` names the key (a fingerprint), ``sig`` is an HMAC of the other fields.
The file is only ever appended to; an operator ships it elsewhere (a log sink, another host,
``chattr +a``) so a database administrator cannot reach it. ``audit_verify`` reads it (or the
shipped copy, ``--checkpoints PATH``) and fails when the database no longer holds what a
checkpoint saw: an emptied trail, a shorter chain or a different hash at a checkpointed
position.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from . import chain
from .sealer import chain_head, seal_pending

FIELDS = ("count", "hash", "key", "seq", "time")


@dataclass(frozen=True)
class Checkpoint:
    line: int
    seq: int
    hash: str
    count: int
    time: str


def default_path() -> Path:
    return Path(settings.AUDIT_CHECKPOINT_PATH)


def write_checkpoint(*, using: str = "default", path: Path | None = None) -> dict:
    """Seal the queue, then append a signed line for the chain head; return the line."""
    seal_pending(using=using)
    head = chain_head(using)
    fields = {
        "count": head.position,
        "hash": head.hash,
        "key": chain.key_id(),
        "seq": head.position,
        "time": timezone.now().isoformat(),
    }
    line = {**fields, "sig": chain.sign(fields)}
    path = path or default_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    # O_APPEND: each line lands at the end even if two writers meet; never truncated.
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    with os.fdopen(descriptor, "a", encoding="utf-8") as handle:
        handle.write(json.dumps(line, sort_keys=True) + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    return line


def read_checkpoints(path: Path | None = None) -> tuple[list[Checkpoint], list[str]]:
    """The valid checkpoints in the file and one sentence per line that is not valid."""
    path = path or default_path()
    if not path.exists():
        return [], []
    checkpoints, problems = [], []
    with path.open(encoding="utf-8") as handle:
        for number, text in enumerate(handle, start=1):
            if not text.strip():
                continue
            try:
                line = json.loads(text)
                fields = {name: line[name] for name in FIELDS}
                signature = str(line["sig"])
                checkpoint = Checkpoint(
                    number, int(line["seq"]), str(line["hash"]), int(line["count"]), line["time"]
                )
            except (ValueError, KeyError, TypeError):
                problems.append(f"checkpoint line {number} is not a checkpoint (damaged)")
                continue
            if not chain.signature_ok(fields, signature):
                problems.append(
                    f"checkpoint line {number} has a bad signature: edited or forged, or "
                    f"signed with another key (its key id {fields['key']}, "
                    f"AUDIT_HMAC_KEY's {chain.key_id()})"
                )
                continue
            checkpoints.append(checkpoint)
    return checkpoints, problems
