"""Shared fixtures. Users are named for who they are: alice investigates, bob supervises..."""

import pytest

from accounts.roles import Role
from audit import context as audit_context
from tests.accounts.factories import TeamFactory, user_with_role


@pytest.fixture(autouse=True, scope="session")
def _audit_table_flushable():
    """SQLite flushes (transactional tests) with DELETE, which the append-only audit table
    refuses; Django's flush alone may empty it. PostgreSQL flushes with TRUNCATE."""
    from django.db.backends.sqlite3.base import DatabaseOperations

    original = DatabaseOperations.execute_sql_flush

    def execute_sql_flush(self, sql_list):
        with audit_context.maintenance():
            return original(self, sql_list)

    DatabaseOperations.execute_sql_flush = execute_sql_flush
    yield
    DatabaseOperations.execute_sql_flush = original


@pytest.fixture
def team_a(db):
    return TeamFactory(name="PSD Team A")


@pytest.fixture
def team_b(db):
    return TeamFactory(name="PSD Team B")


@pytest.fixture
def alice(team_a):
    """An investigator on team A."""
    return user_with_role(Role.INVESTIGATOR, "alice", team=team_a)


@pytest.fixture
def dave(team_b):
    """An investigator on team B."""
    return user_with_role(Role.INVESTIGATOR, "dave", team=team_b)


@pytest.fixture
def bob(team_a):
    """A supervisor of team A."""
    return user_with_role(Role.SUPERVISOR, "bob", team=team_a)


@pytest.fixture
def carol(db):
    """The appropriate authority."""
    return user_with_role(Role.APPROPRIATE_AUTHORITY, "carol")


@pytest.fixture
def victor(db):
    """A vetting officer."""
    return user_with_role(Role.VETTING_OFFICER, "victor")


@pytest.fixture
def vera(db):
    """A second vetting officer."""
    return user_with_role(Role.VETTING_OFFICER, "vera")


@pytest.fixture
def eve(db):
    """An analyst/auditor."""
    return user_with_role(Role.AUDITOR, "eve")


@pytest.fixture
def ada(db):
    """A system administrator."""
    return user_with_role(Role.ADMINISTRATOR, "ada", is_staff=True)


@pytest.fixture
def role_users(alice, bob, carol, victor, eve, ada):
    return {
        Role.INVESTIGATOR: alice,
        Role.SUPERVISOR: bob,
        Role.APPROPRIATE_AUTHORITY: carol,
        Role.VETTING_OFFICER: victor,
        Role.AUDITOR: eve,
        Role.ADMINISTRATOR: ada,
    }
