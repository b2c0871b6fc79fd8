"""Cache helpers shared by the apps: calls that cannot take a page down, keys that name the
database, and versions renewed on change.

A version is a random token kept in the cache. Whatever is cached under it (or records it) is
current while the token is; a change sets a new token at once and again when the
transaction commits, so a request that read the old rows in between cannot leave them under
the token that follows the change. Tokens and entries expire, which bounds how long a change
made outside the ORM (raw SQL, a data migration) can go unseen. Keys name the database, so
test and development databases sharing one Redis never mix.
"""

from __future__ import annotations

import logging
import uuid

from django.core.cache import cache
from django.db import connection, transaction

logger = logging.getLogger(__name__)


def key(*parts: str) -> str:
    """``<first>:<database name>:<rest>``."""
    return ":".join((parts[0], str(connection.settings_dict["NAME"]), *parts[1:]))


def quietly(method: str, *args, default=None):
    """``cache.<method>(*args)``, or ``default`` when the cache fails (no caching, no error)."""
    try:
        return getattr(cache, method)(*args)
    except Exception as error:  # noqa: BLE001 - any cache failure: work without the cache
        logger.warning("cache %s failed: %s", method, type(error).__name__)
        return default


def version(name: str, ttl: int) -> str:
    """The current token of version ``name`` (a full key), created when missing; "" when the
    cache cannot be reached."""
    token = quietly("get", name)
    if token is None:
        quietly("add", name, uuid.uuid4().hex, ttl)
        token = quietly("get", name)
    return token or ""


def renew(*names: str, ttl: int) -> None:
    """A new token for each version now and again once the transaction commits."""

    def bump():
        quietly("set_many", {name: uuid.uuid4().hex for name in names}, ttl)

    if names:
        bump()
        transaction.on_commit(bump)
