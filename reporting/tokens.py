"""Signed, time-limited form tokens: the reporting pages' replacement for CSRF cookies.

A token is a random nonce signed with the form's purpose; it expires after ``MAX_AGE`` seconds
and is accepted once (the nonce is remembered in the cache until it would have expired), so a
form cannot be replayed. No cookie or session is involved.

The token is deliberately not bound to a visitor (that would need a cookie): anyone may fetch
one. It stops replays and stale forms; these forms act with no one's authority, so there is no
signed-in user for a cross-site request to abuse.
"""

import secrets

from django.core import signing
from django.core.cache import cache

MAX_AGE = 2 * 60 * 60
EXPIRED = "This form has expired or was already sent. Your text is kept below: send it again."


def issue(purpose: str, **data) -> str:
    return signing.dumps({"n": secrets.token_hex(16), **data}, salt=f"reporting.{purpose}")


def check(purpose: str, token: str, *, consume: bool = True) -> dict | None:
    """The token's data if it is genuine, fresh and (when ``consume``) not used before."""
    try:
        data = signing.loads(token or "", salt=f"reporting.{purpose}", max_age=MAX_AGE)
    except signing.BadSignature:
        return None
    if consume and not cache.add(f"reporting:nonce:{data['n']}", 1, timeout=MAX_AGE):
        return None
    return data
