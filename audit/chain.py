"""The keyed chain: an entry's link, and the signature of a checkpoint.

A link is HMAC-SHA256, keyed with ``settings.AUDIT_HMAC_KEY``, over the entry's chain
position, its id, the previous link and the SHA-256 of its content (computed by the database
with ``audit.triggers.digest_sql``). The key lives in the environment, never in the database:
someone who can rewrite the tables but does not hold the key cannot recompute the chain after
editing, inserting or removing an entry. Checkpoints are signed with a key derived from the
same secret for that purpose only, so a link can never pass for a signature or the reverse.
"""

from __future__ import annotations

import hashlib
import hmac
import json

from django.conf import settings


def _secret() -> bytes:
    return settings.AUDIT_HMAC_KEY.encode("utf-8")


def _derived(purpose: str) -> bytes:
    return hmac.digest(_secret(), f"psd-audit-{purpose}".encode(), "sha256")


def link_key() -> bytes:
    return _derived("chain")


def link(key: bytes, position: int, entry_id: int, prev_hash: str, digest: str) -> str:
    """The hash stored in an entry's seal (``key`` from ``link_key()``, read once per batch)."""
    message = f"{position}|{entry_id}|{prev_hash}|{digest}".encode()
    return hmac.digest(key, message, "sha256").hex()


def key_id() -> str:
    """A fingerprint naming the key in checkpoints (reveals nothing about the key)."""
    return hashlib.sha256(_derived("key-id")).hexdigest()[:12]


def _canonical(fields: dict) -> bytes:
    return json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()


def sign(fields: dict) -> str:
    return hmac.digest(_derived("checkpoint"), _canonical(fields), "sha256").hex()


def signature_ok(fields: dict, signature: str) -> bool:
    return hmac.compare_digest(sign(fields), signature)
