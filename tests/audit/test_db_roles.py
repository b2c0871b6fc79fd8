"""PostgreSQL: the application's database role cannot rewrite, empty or un-trigger the trail.

``migrate`` runs as the owner (MIGRATION_DATABASE_URL) and creates and grants the application
role (DATABASE_URL); the test then connects as that role with psycopg and tries every way the
red team used to rewrite the trail. CI's superuser plays the owner.
"""

import secrets

import psycopg
import pytest
from django.core.checks import Tags, run_checks
from django.core.management import call_command
from django.db import connection

from audit.dbroles import RoleError, connected_as, grant_app_role
from audit.sealer import seal_pending
from audit.services import audit_event
from audit.triggers import APPEND_ONLY_TABLES
from audit.verify import verify_chain

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

FORBIDDEN = [
    "UPDATE {table} SET hash = 'rewritten'",
    "DELETE FROM {table}",
    "TRUNCATE {table}",
    "ALTER TABLE {table} ADD COLUMN covered_up text",
    "ALTER TABLE {table} DISABLE TRIGGER psd_audit_append_only",
    "ALTER TABLE {table} DISABLE TRIGGER ALL",
    "DROP TRIGGER psd_audit_append_only ON {table}",
]


@pytest.fixture
def app_role(settings):
    """A fresh application role, created and granted by ``migrate`` run as the owner."""
    if connection.vendor != "postgresql":
        pytest.skip("database roles are a PostgreSQL feature")
    owner = {key: connection.settings_dict[key] for key in ("USER", "PASSWORD", "HOST", "PORT")}
    role = {**owner, "USER": f"psd_app_{secrets.token_hex(4)}", "PASSWORD": secrets.token_hex(12)}
    settings.DATABASE_OWNER = {**owner, "NAME": connection.settings_dict["NAME"]}
    try:
        with connected_as("default", role):
            call_command("migrate", verbosity=0)
        yield role
    finally:
        connection.close()
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role["USER"]])
            if cursor.fetchone():
                cursor.execute(f'DROP OWNED BY "{role["USER"]}"')
                cursor.execute(f'DROP ROLE "{role["USER"]}"')


def connect(role) -> psycopg.Connection:
    return psycopg.connect(
        dbname=connection.settings_dict["NAME"],
        user=role["USER"],
        password=role["PASSWORD"],
        host=role["HOST"] or None,
        port=role["PORT"] or None,
        autocommit=True,
    )


def test_the_application_role_cannot_rewrite_the_trail(app_role, alice):
    """UPDATE, DELETE, TRUNCATE, ALTER TABLE and DISABLE/DROP TRIGGER on the trail and its
    seals: each refused for lack of privilege (not merely by a trigger the role could lift)."""
    allowed = []
    with connect(app_role) as db:
        assert db.execute("SELECT current_user").fetchone()[0] == app_role["USER"]
        for table in APPEND_ONLY_TABLES:
            for statement in FORBIDDEN:
                sql = statement.format(table=table)
                try:
                    db.execute(sql)
                except psycopg.errors.InsufficientPrivilege:
                    continue
                allowed.append(sql)
        assert db.execute("SELECT count(*) FROM audit_auditentry").fetchone()[0] > 0
    assert allowed == []


def test_the_application_role_writes_reads_and_seals_the_trail(app_role, alice):
    """Everything the application does with the trail works as the restricted role."""
    with connect(app_role) as db:
        db.execute(  # an ordinary table: normal DML
            "UPDATE accounts_user SET first_name = 'Alice' WHERE id = %s", [alice.pk]
        )
    with connected_as("default", app_role):
        assert role_warnings() == []  # manage.py check --database default is content
        audit_event(actor=alice, action="case.referred", target_label="CO/2026/0001")
        assert seal_pending() > 0
        report = verify_chain()
        assert report.ok, report.problem
        assert report.pending == 0


def role_warnings() -> list[str]:
    messages = run_checks(databases=["default"], tags=[Tags.database])
    return [message.msg for message in messages if message.id == "audit.W001"]


def test_a_superuser_is_refused_as_the_application_role_and_the_check_says_so(db):
    if connection.vendor != "postgresql":
        pytest.skip("database roles are a PostgreSQL feature")
    with pytest.raises(RoleError, match="superuser"):
        grant_app_role(role=connection.settings_dict["USER"])
    (warning,) = role_warnings()
    assert "can rewrite the audit trail" in warning and "superuser" in warning
