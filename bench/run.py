"""The scale benchmark: generate (or reuse) a dataset, then time each page and sweep beside a
baseline measured in the same run.

    make bench                                   # 20,000 allegations (BENCH_ALLEGATIONS)
    make bench BENCH_ALLEGATIONS=1350000 BENCH_PEOPLE=250000
    .venv/bin/python bench/run.py --allegations N --people M --seed S --runs R

PostgreSQL only. The dataset lives in a database of its own, ``psd_scale_<N>_s<seed>`` on the
server of ``DATABASE_URL`` (default ``postgres://postgres@127.0.0.1:5432``); it is created,
migrated and filled with ``generate_data`` when missing, and reused when its marker
(``datagen.GeneratedDataset``) shows the same scale and seed. Sweeps run inside a transaction
that is rolled back, so every run (and the next benchmark) sees the same data.

Figures (bench/scenarios.py): milliseconds in-process through the whole middleware stack,
median and p95 over ``--runs`` runs after one warm-up, with the number of queries per request,
beside the tuned-admin baselines and hand-written SQL floors; then, with ``REDIS_URL`` set
(the production settings need it), the same pages over HTTP against gunicorn at concurrency 1
and 4 with median, p95 and throughput (bench/overhttp.py). The machine's load average at the
start and the end is printed with them: on a shared machine it says how far to trust them.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess  # nosec B404: runs this project's own manage.py
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _label(n: int) -> str:
    return f"{n // 1000}k" if n % 1000 == 0 else str(n)


def database_url(base: str, name: str) -> str:
    parts = urlsplit(base)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


def ensure_dataset(args) -> str:
    """Create and fill the dataset database unless a matching one exists; return its URL."""
    import psycopg

    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    if not base.startswith("postgres"):
        sys.exit("bench/run.py needs PostgreSQL: set DATABASE_URL=postgres://...")
    name = args.database or f"psd_scale_{_label(args.allegations)}_s{args.seed}"
    url = database_url(base, name)
    admin = database_url(base, "postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and not _marker_matches(url, args):
            print(f"{name}: no complete dataset of this scale and seed; recreating")
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = None
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
    if not exists:
        env = {**os.environ, "DATABASE_URL": url}
        manage = [sys.executable, str(ROOT / "manage.py")]
        print(f"{name}: migrating")
        subprocess.run([*manage, "migrate", "--no-input", "-v0"], env=env, check=True)  # noqa: S603  # nosec B603
        print(f"{name}: generating {args.allegations:,} allegations, {args.people:,} people")
        generate = [
            *manage,
            "generate_data",
            f"--allegations={args.allegations}",
            f"--people={args.people}",
            f"--seed={args.seed}",
        ]
        if args.quiet:
            generate.append("--no-progress")
        subprocess.run(generate, env=env, check=True)  # noqa: S603  # nosec B603
    else:
        print(f"{name}: reusing the generated dataset")
    return url


def _marker_matches(url: str, args) -> bool:
    import psycopg

    try:
        with psycopg.connect(url) as conn:
            row = conn.execute(
                "SELECT allegations, people, seed, generator_version "
                "FROM datagen_generateddataset ORDER BY id DESC LIMIT 1"
            ).fetchone()
    except psycopg.Error:
        return False
    from datagen.version import GENERATOR_VERSION

    return row == (args.allegations, args.people, args.seed, GENERATOR_VERSION)


# --- measuring ------------------------------------------------------------------------------


class Figure:
    def __init__(self, name: str, samples: list[float], queries: int, note: str = ""):
        self.name, self.samples, self.queries, self.note = name, samples, queries, note

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def p95(self) -> float:
        ordered = sorted(self.samples)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]

    def as_dict(self) -> dict:
        return {
            "median_ms": round(self.median, 2),
            "p95_ms": round(self.p95, 2),
            "queries": self.queries,
            "runs": len(self.samples),
            "note": self.note,
        }


def measure(name: str, func, runs: int, note: str = "", warmup: int = 1) -> Figure:
    from django.db import connection

    for _ in range(warmup):
        func()
    samples, queries = [], 0
    for _ in range(runs):
        counter = QueryCounter()
        with connection.execute_wrapper(counter):
            began = time.perf_counter()
            func()
            samples.append((time.perf_counter() - began) * 1000)
        queries = counter.count
    figure = Figure(name, samples, queries, note)
    print(f"  .. {name.strip()}: {figure.median:.1f} ms, {queries} queries", file=sys.stderr)
    return figure


class QueryCounter:
    """Counts every statement sent (no cap, unlike the debug query log)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def rolled_back(func):
    """Run ``func`` in a transaction that is rolled back (sweeps change data)."""
    from django.db import transaction

    class Undo(Exception):
        pass

    def run():
        try:
            with transaction.atomic():
                func()
                raise Undo
        except Undo:
            pass

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--allegations", type=int, default=20_000)
    parser.add_argument("--people", type=int, default=0, help="default: allegations / 5.4")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--sweep-runs", type=int, default=3)
    parser.add_argument(
        "--http-requests",
        type=int,
        default=100,
        help="requests per page and concurrency over HTTP (0: no HTTP figures)",
    )
    parser.add_argument("--database", default="", help="database name (default per scale)")
    parser.add_argument("--json", default="", help="also write the figures to this file")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        choices=("list", "case", "search", "statistics", "api", "sweeps"),
        help="measure only this group of figures (repeatable; default: all)",
    )
    args = parser.parse_args()
    args.people = args.people or max(100, round(args.allegations / 5.4))
    os.environ.setdefault("DEBUG", "1")  # migrate and generate_data, as under make
    url = ensure_dataset(args)
    env, port = measuring_env(url)
    os.environ.update(env)
    import django

    django.setup()
    from bench import overhttp, scenarios

    began = time.perf_counter()
    load_before = os.getloadavg()
    plan = scenarios.build_plan()
    only = tuple(args.only)
    report = scenarios.run_all(runs=args.runs, sweep_runs=args.sweep_runs, only=only, plan=plan)
    report["http"] = []
    if args.http_requests and env["DEBUG"] == "0":
        logs = Path(tempfile.mkdtemp(prefix="psd-bench-"))
        report["http"] = overhttp.run_http(plan, env, port, logs, args.http_requests, only)
    report["scale"] = {"allegations": args.allegations, "people": args.people, "seed": args.seed}
    load_after = os.getloadavg()
    report["machine"] = {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "load": f"{load_before[0]:.1f} -> {load_after[0]:.1f}",
    }
    report["seconds"] = round(time.perf_counter() - began, 1)
    print(scenarios.format_report(report))
    if report["http"]:
        print()
        print(overhttp.format_http(report["http"], report["figures"]))
    elif args.http_requests:
        print("\nNo HTTP figures: set REDIS_URL=redis://127.0.0.1:6379/<db> (production settings)")
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2, default=str))


def measuring_env(url: str) -> tuple[dict, int]:
    """The environment this process and gunicorn measure under: the production settings
    (DEBUG off) with the benchmark's URLconf when a loopback Redis is given (REDIS_URL), else
    the development settings (in-process figures only)."""
    from bench.soak import collectstatic, free_port, production_env

    redis_url = os.environ.get("REDIS_URL", "")
    port = free_port()
    if not redis_url.startswith(("redis://127.0.0.1", "redis://localhost")):
        return {"DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "bench.settings", "DEBUG": "1"}, port
    env = production_env(url, redis_url, port, DJANGO_SETTINGS_MODULE="bench.settings")
    collectstatic(env)
    return env, port


if __name__ == "__main__":
    main()
