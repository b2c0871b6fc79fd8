"""Shared fixtures. Users are named for who they are: alice investigates, bob supervises..."""

import os
from urllib.parse import urlsplit

import pytest

from audit import context as audit_context
from psd.roles import Role
from tests.accounts.factories import TeamFactory, user_with_role

# Under CI=true a skipped postgres/worker/e2e/compose test fails; the run ends with their counts.
pytest_plugins = ["tests.helpers.required_services"]


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "no_auto_otp: client.force_login/login leave the session unverified (2FA tests)"
    )
    _own_redis_database_per_xdist_worker()


def _own_redis_database_per_xdist_worker():
    """`make test` runs the suite in parallel (pytest-xdist). pytest-django gives each worker
    process its own test database; this gives each its own Redis database as well, for the
    cache and the Celery broker, so one worker's cached permissions or queued tasks never
    reach the other's (user ids repeat across the test databases). gw0 takes the database
    after REDIS_URL's own, gw1 the next, and so on; Celery workers and other subprocesses a
    test starts inherit it through the environment."""
    from django.conf import settings

    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not worker.startswith("gw") or not settings.REDIS_URL:
        return
    url = urlsplit(settings.REDIS_URL)
    database = int(url.path.strip("/") or 0) + 1 + int(worker.removeprefix("gw"))
    if database > 15:
        raise pytest.UsageError(f"{worker}: Redis has 16 databases; REDIS_URL leaves too few")
    own = url._replace(path=f"/{database}").geturl()
    settings.REDIS_URL = own
    settings.CACHES["default"]["LOCATION"] = own
    settings.CELERY_BROKER_URL = own
    os.environ["REDIS_URL"] = own


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Argon2 (about 0.7 s a user on these machines) would dominate the run: test users'
    passwords use the cheapest hasher. Production keeps Argon2 (tests/test_settings.py)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _auto_otp(request, monkeypatch):
    """Every test sign-in is also two-factor verified, as after entering a code.

    ``client.force_login(user)``, ``client.login(...)`` and a POST to the sign-in page give
    the user a confirmed authenticator (tests/helpers/otp.py) and mark the session verified
    with it. Tests of the two-factor flow itself opt out with ``@pytest.mark.no_auto_otp``.
    """
    from django.contrib.auth.signals import user_logged_in
    from django.http import HttpRequest
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY

    from tests.helpers.otp import confirmed_device

    original_login = Client.login

    def login(self, **credentials):
        # django-axes needs the request that carries the attempt; tests have none.
        attempt = HttpRequest()
        attempt.META["REMOTE_ADDR"] = "127.0.0.1"
        credentials.setdefault("request", attempt)
        return original_login(self, **credentials)

    monkeypatch.setattr(Client, "login", login)
    if request.node.get_closest_marker("no_auto_otp"):
        yield
        return

    def verify_session(sender, request, user, **kwargs):
        if request is not None and hasattr(request, "session"):
            request.session[DEVICE_ID_SESSION_KEY] = confirmed_device(user).persistent_id

    user_logged_in.connect(verify_session, dispatch_uid="tests_auto_otp")
    yield
    user_logged_in.disconnect(dispatch_uid="tests_auto_otp")


@pytest.fixture(autouse=True, scope="session")
def _audit_table_flushable():
    """Transactional tests end with a flush, which the append-only audit tables refuse:
    SQLite flushes with DELETE (allowed inside audit.context.maintenance()), PostgreSQL with
    TRUNCATE (its guard trigger is switched off inside the flush's own transaction, which the
    test database's owner may do). Django's flush alone may empty the trail."""
    from django.db import transaction
    from django.db.backends.postgresql.operations import DatabaseOperations as PostgresOps
    from django.db.backends.sqlite3.base import DatabaseOperations

    from audit.triggers import APPEND_ONLY_TABLES

    original = DatabaseOperations.execute_sql_flush
    original_pg = PostgresOps.execute_sql_flush

    def execute_sql_flush(self, sql_list):
        with audit_context.maintenance():
            return original(self, sql_list)

    def execute_sql_flush_pg(self, sql_list):
        guards = [
            f"ALTER TABLE {table} %s TRIGGER psd_audit_append_only" for table in APPEND_ONLY_TABLES
        ]
        with transaction.atomic(using=self.connection.alias), self.connection.cursor() as cursor:
            for guard in guards:
                cursor.execute(guard % "DISABLE")
            original_pg(self, sql_list)
            for guard in guards:
                cursor.execute(guard % "ENABLE")

    DatabaseOperations.execute_sql_flush = execute_sql_flush
    PostgresOps.execute_sql_flush = execute_sql_flush_pg
    yield
    DatabaseOperations.execute_sql_flush = original
    PostgresOps.execute_sql_flush = original_pg


@pytest.fixture(autouse=True)
def _audit_checkpoints_per_test(settings, tmp_path):
    """Each test has its own (empty) audit checkpoint file: a checkpoint written by one test
    must not be held against the trail of the next."""
    settings.AUDIT_CHECKPOINT_PATH = tmp_path / "audit-checkpoints.jsonl"


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
