"""Least privilege on PostgreSQL: the application's role cannot rewrite the audit trail.

Two roles (README, "Configuration"):

- the **owner** (``MIGRATION_DATABASE_URL``) owns every table. ``manage.py migrate`` and
  ``manage.py audit_install_triggers`` connect as it (``connected_as_owner``);
- the **application role** (``DATABASE_URL``) — what gunicorn, the Celery worker and beat
  use — is granted SELECT, INSERT, UPDATE and DELETE on every table except the audit trail
  and its seals, where it may only SELECT and INSERT. It does not own them, so it can neither
  ALTER them nor DISABLE their triggers; TRUNCATE is never granted (and the owner meets the
  TRUNCATE guard trigger).

After every ``migrate`` run as the owner the grants are applied again (new tables included),
and the application role is created first if it does not exist yet (with the password from
``DATABASE_URL``; the owner needs CREATEROLE for that, or a DBA creates it). Without
``MIGRATION_DATABASE_URL`` one role does everything (development, SQLite, CI): nothing here
runs, and the guards are triggers only.
"""

from __future__ import annotations

import contextlib

from django.conf import settings
from django.db import connections

from .triggers import APPEND_ONLY_TABLES, AUDIT_TABLE

_CREDENTIALS = ("USER", "PASSWORD", "HOST", "PORT")
# While ``connected_as_owner`` is in force: the application's credentials it replaced.
_application: dict | None = None


class RoleError(Exception):
    """The application role would not be least-privileged (named in the message)."""


@contextlib.contextmanager
def connected_as(using: str, credentials: dict):
    """Reconnect ``using`` with other credentials (same database) for the block."""
    connection = connections[using]
    saved = {key: connection.settings_dict.get(key) for key in _CREDENTIALS}
    connection.close()
    connection.settings_dict.update({key: credentials.get(key) for key in _CREDENTIALS})
    try:
        yield saved
    finally:
        connection.close()
        connection.settings_dict.update(saved)


@contextlib.contextmanager
def connected_as_owner(using: str = "default"):
    """Run the block as the owner role when ``MIGRATION_DATABASE_URL`` is set."""
    global _application
    owner = settings.DATABASE_OWNER
    if not owner or connections[using].vendor != "postgresql":
        yield
        return
    with connected_as(using, owner) as application:
        _application = application
        try:
            yield
        finally:
            _application = None


def owner_in_force() -> bool:
    """True inside ``connected_as_owner`` (migrate, trigger installation)."""
    return _application is not None


def privilege_problem(cursor, role: str) -> str:
    """Why ``role`` could rewrite the audit trail, or an empty string."""
    cursor.execute(
        "SELECT r.rolsuper, r.rolbypassrls, pg_has_role(r.rolname, c.relowner, 'USAGE') "
        "FROM pg_roles r, pg_class c WHERE r.rolname = %s AND c.oid = %s::regclass",
        [role, AUDIT_TABLE],
    )
    row = cursor.fetchone()
    if row is None:
        return f"role {role} does not exist"
    superuser, bypass, owns = row
    if superuser or bypass:
        return f"role {role} is a superuser: it can switch off every guard"
    if owns:
        return f"role {role} owns the audit trail (or is a member of its owner)"
    return ""


def grant_app_role(*, role: str, using: str = "default") -> None:
    """Grant ``role`` normal DML everywhere and only SELECT/INSERT on the audit trail."""
    connection = connections[using]
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        problem = privilege_problem(cursor, role)
        if problem:
            raise RoleError(problem)
        cursor.execute("SELECT current_schema()")
        schema, grantee = qn(cursor.fetchone()[0]), qn(role)
        statements = [
            f"GRANT USAGE ON SCHEMA {schema} TO {grantee}",
            f"REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM {grantee}",
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {grantee}",
            *(f"REVOKE UPDATE, DELETE ON {qn(t)} FROM {grantee}" for t in APPEND_ONLY_TABLES),
            f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {grantee}",
        ]
        for statement in statements:
            cursor.execute(statement)


def ensure_app_role(*, role: str, password: str | None, using: str = "default") -> bool:
    """Create the login role if it is missing; True if it was created."""
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
        if cursor.fetchone():
            return False
        # Utility statements take no bind parameters: the password is quoted as a literal.
        cursor.execute(
            f"CREATE ROLE {connection.ops.quote_name(role)} LOGIN NOSUPERUSER NOCREATEDB "
            "NOCREATEROLE PASSWORD %s",
            [password or None],
        )
    return True


def grant_after_migrate(using: str = "default") -> str:
    """post_migrate: as the owner, (create and) grant the application role. Returns what was
    done, or why nothing was."""
    application = _application
    if application is None or connections[using].vendor != "postgresql":
        return ""
    role = application["USER"]
    if not role or role == settings.DATABASE_OWNER.get("USER"):
        return "the application connects as the owner: no separate role to grant"
    created = ensure_app_role(role=role, password=application.get("PASSWORD"), using=using)
    grant_app_role(role=role, using=using)
    return f"application role {role} {'created and ' if created else ''}granted"
