"""Settings come from the environment and refuse to start when production config is missing."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent


def start(**env):
    """Start Django in a fresh process with exactly these variables; return (code, stderr)."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "DEBUG",
            "SECRET_KEY",
            "DATABASE_URL",
            "REDIS_URL",
            "ALLOWED_HOSTS",
            "AUDIT_HMAC_KEY",
        }
    }
    clean.update(env)
    clean["DJANGO_SETTINGS_MODULE"] = "psd.settings"
    proc = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); print('started')"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )
    return proc.returncode, proc.stdout + proc.stderr


def test_production_without_secret_key_stops_with_one_line_naming_it():
    code, output = start(DEBUG="0", DATABASE_URL="postgres://u@localhost/db")
    assert code != 0
    assert output.strip().splitlines() == [
        "psd: configuration error: SECRET_KEY must be set when DEBUG is off"
    ]


def test_production_without_database_url_stops_naming_it():
    code, output = start(DEBUG="0", SECRET_KEY="x" * 50)
    assert code != 0
    lines = output.strip().splitlines()
    assert len(lines) == 1 and "DATABASE_URL" in lines[0]


@pytest.mark.parametrize("url", ["mysql://root@localhost/db", "not a url", "postgres://"])
def test_malformed_database_url_stops_naming_it(url):
    code, output = start(DEBUG="0", SECRET_KEY="x" * 50, DATABASE_URL=url)
    assert code != 0
    lines = output.strip().splitlines()
    assert len(lines) == 1 and "DATABASE_URL" in lines[0]


def test_malformed_debug_flag_is_named():
    code, output = start(DEBUG="perhaps")
    assert code != 0 and "DEBUG" in output


def test_production_without_audit_key_stops_naming_it():
    code, output = start(
        DEBUG="0",
        SECRET_KEY="x" * 50,
        DATABASE_URL="postgres://u@localhost:5432/db",
        REDIS_URL="redis://127.0.0.1:6379/3",
    )
    assert code != 0
    lines = output.strip().splitlines()
    assert len(lines) == 1 and "AUDIT_HMAC_KEY" in lines[0]


def test_migration_url_must_name_the_same_database():
    code, output = start(
        DEBUG="1",
        DATABASE_URL="postgres://psd_app@localhost:5432/psd",
        MIGRATION_DATABASE_URL="postgres://psd_owner@localhost:5432/other",
    )
    assert code != 0 and "MIGRATION_DATABASE_URL" in output


def test_complete_production_config_starts():
    code, output = start(
        DEBUG="0",
        SECRET_KEY="x" * 50,
        AUDIT_HMAC_KEY="k" * 64,
        DATABASE_URL="postgres://u@localhost:5432/db",
        ALLOWED_HOSTS="psd.example.police.uk",
        REDIS_URL="redis://127.0.0.1:6379/3",
    )
    assert code == 0, output
    assert "started" in output


def test_development_defaults_to_sqlite_and_eager_celery():
    code, output = start(DEBUG="1")
    assert code == 0, output


def test_time_zone_is_london_with_aware_datetimes():
    assert settings.TIME_ZONE == "Europe/London"
    assert settings.USE_TZ is True


def test_redis_url_selects_broker_and_cache():
    if settings.REDIS_URL:
        assert settings.CELERY_BROKER_URL == settings.REDIS_URL
        assert "Redis" in settings.CACHES["default"]["BACKEND"]
        assert settings.CELERY_TASK_ALWAYS_EAGER is False
    else:
        assert settings.CELERY_TASK_ALWAYS_EAGER is True


@pytest.mark.django_db
def test_no_model_changes_without_migrations():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


@pytest.mark.django_db
def test_migrations_applied_on_this_database():
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    assert plan == []


def test_passwords_are_hashed_with_argon2_in_production():
    from psd import settings as project_settings

    assert project_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
