"""The compose file describes the production stack; `docker compose config` validates it."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

DOCKER = Path(__file__).resolve().parent.parent / "docker"


def test_compose_has_web_worker_beat_postgres_and_redis():
    compose = yaml.safe_load((DOCKER / "compose.yml").read_text())
    assert set(compose["services"]) == {"migrate", "web", "worker", "beat", "db", "redis"}
    assert compose["services"]["db"]["image"].startswith("postgres:15")
    for name in ("web", "worker", "beat"):
        env = compose["services"][name]["environment"]
        assert env["DATABASE_URL"].startswith("postgres://")
        assert env["REDIS_URL"].startswith("redis://")
    assert "celery -A psd worker" in compose["services"]["worker"]["command"]
    assert "celery -A psd beat" in compose["services"]["beat"]["command"]


def test_only_the_migration_holds_the_database_owner():
    """The running processes connect as the application role; the owner only migrates."""
    services = yaml.safe_load((DOCKER / "compose.yml").read_text())["services"]
    migrate = services["migrate"]["environment"]
    assert migrate["MIGRATION_DATABASE_URL"].startswith("postgres://psd:")
    assert "manage.py migrate" in services["migrate"]["command"]
    for name in ("web", "worker", "beat"):
        env = services[name]["environment"]
        assert "MIGRATION_DATABASE_URL" not in env
        assert env["DATABASE_URL"].startswith("postgres://psd_app:")
        assert env["AUDIT_HMAC_KEY"]
        assert services[name]["depends_on"]["migrate"]["condition"] == (
            "service_completed_successfully"
        )


def test_dockerfile_runs_gunicorn_as_non_root():
    dockerfile = (DOCKER / "Dockerfile").read_text()
    assert "\nUSER psd\n" in dockerfile
    assert "gunicorn" in dockerfile


def compose_command() -> list[str] | None:
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    if (
        shutil.which("docker")
        and subprocess.run(["docker", "compose", "version"], capture_output=True).returncode == 0
    ):
        return ["docker", "compose"]
    return None


@pytest.mark.compose
@pytest.mark.skipif(compose_command() is None, reason="neither docker compose nor docker-compose")
def test_docker_compose_config_validates():
    result = subprocess.run(
        [*compose_command(), "-f", str(DOCKER / "compose.yml"), "config", "--quiet"],
        capture_output=True,
        text=True,
        env={"SECRET_KEY": "x", "AUDIT_HMAC_KEY": "k", "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr


def test_gunicorn_settings_turn_off_the_shared_control_socket_and_bound_workers():
    """Checked by the installed gunicorn itself (--print-config resolves the file)."""
    result = subprocess.run(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "-c",
            str(DOCKER / "gunicorn.conf.py"),
            "--print-config",
            "psd.wsgi:application",
        ],
        capture_output=True,
        text=True,
        cwd=DOCKER.parent,
        env={**os.environ, "GUNICORN_CONTROL_SOCKET": ""},
    )
    assert result.returncode == 0, result.stderr
    printed = {
        name.strip(): value.strip()
        for name, _, value in (line.partition("=") for line in result.stdout.splitlines())
    }
    assert printed["control_socket_disable"] == "True"
    assert printed["timeout"] == "60" and printed["graceful_timeout"] == "30"


def test_compose_stops_gracefully():
    compose = yaml.safe_load((DOCKER / "compose.yml").read_text())
    web = compose["services"]["web"]
    # gunicorn is the container's process (no shell in between), so SIGTERM reaches it.
    assert web["command"].startswith("gunicorn -c docker/gunicorn.conf.py ")
    assert web["stop_grace_period"] == "40s"  # longer than gunicorn's graceful_timeout
    assert compose["services"]["worker"]["stop_grace_period"] == "150s"
    dockerfile = (DOCKER / "Dockerfile").read_text()
    assert 'CMD ["gunicorn", "-c", "docker/gunicorn.conf.py"' in dockerfile
