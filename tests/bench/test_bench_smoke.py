"""CI smoke test of the benchmark scripts: ``bench/run.py`` creates its own database, generates
20,000 allegations, times every figure twice in-process and a few requests over HTTP (with
REDIS_URL), and prints the report; ``bench/load.py`` then runs a few users for a few seconds.
Nothing is asserted about time, only that the harnesses work end to end without an error (and
reuse the dataset on a second run).
PostgreSQL only (the harness needs COPY and its own database); skipped on SQLite."""

import json
import os
import subprocess  # nosec B404: runs this project's own script
import sys
from pathlib import Path

import psycopg
import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db,
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="the benchmark runs on PostgreSQL",
    ),
]


def run_script(script: str, database: str, report: Path, *args: str):
    """``bench/<script>`` on the benchmark's 20,000-allegation dataset, its JSON to ``report``."""
    command = [
        sys.executable,
        str(ROOT / "bench" / script),
        "--allegations=20000",
        *args,
        f"--database={database}",
        f"--json={report}",
    ]
    return subprocess.run(  # noqa: S603  # nosec B603
        command, capture_output=True, text=True, timeout=300, cwd=ROOT, check=False
    )


def run_bench(database: str, report: Path) -> subprocess.CompletedProcess:
    args = ("--runs=2", "--sweep-runs=1", "--http-requests=4", "--quiet")
    return run_script("run.py", database, report, *args)


def run_load(database: str, report: Path) -> subprocess.CompletedProcess:
    """bench/load.py briefly (a few users for a few seconds)."""
    return run_script("load.py", database, report, "--users=4", "--seconds=6", "--think=0.2")


def drop(database: str) -> None:
    settings = connection.settings_dict
    with psycopg.connect(
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
        user=settings["USER"] or None,
        password=settings["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    ) as server:
        server.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def test_bench_runs_end_to_end_and_reuses_its_dataset(tmp_path):
    database = f"{connection.settings_dict['NAME']}_bench"[:63]
    drop(database)  # left over from an interrupted run
    try:
        first = run_bench(database, tmp_path / "first.json")
        assert first.returncode == 0, first.stderr[-3000:]
        assert "generating 20,000 allegations" in first.stdout
        report = json.loads((tmp_path / "first.json").read_text())
        names = [figure["name"] for figure in report["figures"]]
        for expected in [
            "case list, first page",
            "case page",
            "personnel search",
            "statistics page",
            "deadline sweep",
            "re-vetting sweep",
        ]:
            assert any(name.startswith(expected) for name in names), expected
        assert all(figure["median_ms"] > 0 for figure in report["figures"])
        admin = [f for f in report["figures"] if f["name"].startswith("case list, first")][0]
        assert admin["baseline"]["name"].startswith("admin changelist")
        if os.environ.get("REDIS_URL", "").startswith("redis://127.0.0.1"):
            # Over HTTP too: every page and baseline answered, at both concurrencies.
            pages = report["http"]
            assert {"case list, first page (view-all user)", "API cases, 25"} <= {
                page["name"] for page in pages
            }
            for page in pages + [page["baseline"] for page in pages if "baseline" in page]:
                for level in ("c1", "c4"):
                    assert page[level]["errors"] == 0 and page[level]["requests"] > 0, page
        second = run_bench(database, tmp_path / "second.json")
        assert second.returncode == 0, second.stderr[-3000:]
        assert "reusing the generated dataset" in second.stdout
        if os.environ.get("REDIS_URL", "").startswith("redis://127.0.0.1"):
            load = run_load(database, tmp_path / "load.json")
            assert load.returncode == 0, load.stdout[-3000:] + load.stderr[-3000:]
            actions = json.loads((tmp_path / "load.json").read_text())["actions"]
            assert set(actions) == {"list", "case", "search", "statistics", "action"}
    finally:
        drop(database)
