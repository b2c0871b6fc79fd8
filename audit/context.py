"""Who is acting, in which request, and why: read by the audit triggers.

The values live in a context variable (per thread / task) and are mirrored into the database
session, where the triggers read them:

- PostgreSQL: custom settings ``psd.actor_id``, ``psd.request_id`` and ``psd.reason``, set with
  ``set_config(..., false)`` and read with ``current_setting(..., true)``. Session-level rather
  than ``SET LOCAL`` because Django runs in autocommit: a transaction-local value would vanish
  after the first statement of a request. ``AuditContextMiddleware`` sets them when a request
  starts and clears them when it ends, so a persistent connection never carries one request's
  actor into the next; a value set inside a transaction that rolls back is rolled back with it.
- SQLite: the connection has a Python function ``psd_context(key)`` that reads the context
  variable directly (registered in ``audit.apps``).

Services and tasks add a reason or an actor with the context managers::

    with audit.context.reason("Case closed after review"):
        case_close(actor=user, case=case)

    with audit.context.acting(actor=user, reason="Nightly re-vetting sweep"):
        ...
"""

from __future__ import annotations

import contextlib
import contextvars
import uuid
from collections.abc import Iterator

from django.db import DatabaseError, connections
from django.db.transaction import TransactionManagementError

KEYS = ("actor_id", "request_id", "reason")
_EMPTY: dict[str, str] = {"actor_id": "", "request_id": "", "reason": ""}
_context: contextvars.ContextVar[dict[str, str]] = contextvars.ContextVar(
    "psd_audit_context", default=_EMPTY
)


def current() -> dict[str, str]:
    """The context in force: ``{"actor_id": "12" or "", "request_id": ..., "reason": ...}``."""
    return dict(_context.get())


def new_request_id() -> str:
    return uuid.uuid4().hex


def sqlite_lookup(key: str) -> str | None:
    """Backs the SQLite function ``psd_context(key)``: None when unset (so SQL can COALESCE)."""
    value = _context.get().get(key, "")
    return value or None


def push_to_connection(connection) -> None:
    """Mirror the current context into a PostgreSQL session (no-op on SQLite)."""
    if connection.vendor != "postgresql" or connection.connection is None:
        return
    values = _context.get()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('psd.actor_id', %s, false), "
            "set_config('psd.request_id', %s, false), set_config('psd.reason', %s, false)",
            [values["actor_id"], values["request_id"], values["reason"]],
        )


def _apply(values: dict[str, str], *, quiet: bool = False) -> None:
    _context.set(values)
    try:
        push_to_connection(connections["default"])
    except (DatabaseError, TransactionManagementError):
        # Only when restoring after an error inside a transaction: the rollback undoes the
        # value set inside it, so there is nothing left to restore.
        if not quiet:
            raise


def set_context(*, actor_id: int | None = None, request_id: str = "", reason: str = "") -> None:
    _apply(
        {
            "actor_id": "" if actor_id is None else str(int(actor_id)),
            "request_id": request_id,
            "reason": reason,
        }
    )


def clear() -> None:
    _apply(dict(_EMPTY), quiet=True)


@contextlib.contextmanager
def _override(**changes: str) -> Iterator[None]:
    previous = _context.get()
    _apply({**previous, **changes})
    try:
        yield
    finally:
        _apply(previous, quiet=True)


def reason(text: str):
    """Record ``text`` as the reason of every change made inside the block."""
    return _override(reason=text)


def acting(*, actor=None, reason: str = "", request_id: str = ""):
    """Attribute changes inside the block to ``actor`` (Celery tasks, commands)."""
    return _override(
        actor_id="" if actor is None else str(actor.pk),
        reason=reason,
        request_id=request_id or new_request_id(),
    )


def maintenance():
    """SQLite only: let Django's test flush empty the audit table (used by tests/conftest.py).

    PostgreSQL flushes with TRUNCATE, which row triggers do not see; there is no equivalent.
    """
    return _override(maintenance="1")
