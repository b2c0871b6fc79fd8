"""Figures over HTTP: what a user's browser waits for (issue 21 item 1).

gunicorn (docker/gunicorn.conf.py, 3 sync workers) serves bench/settings.py: the production
settings from the environment (DEBUG off, PostgreSQL, Redis cache) with the whole middleware
stack, plus the throwaway admin of the baselines. A bounded load generator on 127.0.0.1
requests each page ``requests`` times back to back with 1 and then 4 connections at once
(threads, a new connection per request as a browser without keep-alive to a sync worker
gets), after a warm-up of two requests per worker. Each batch also stops after
``BATCH_SECONDS``. Printed per page and concurrency: median and p95 in milliseconds and
throughput in requests per second; the queries per request come from the in-process figure
of the same page (the same code and settings).
"""

from __future__ import annotations

import http.client
import statistics
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

from .run import Figure
from .soak import BIN, Stack, wait_for

if TYPE_CHECKING:  # Django models load only once the settings are set up
    from .scenarios import Page, Plan

BATCH_SECONDS = 60
WORKERS = 3


def headers_for(plan: Plan, who: str) -> dict[str, str]:
    """The request headers of ``who``: the session cookie, or the API token."""
    from django.conf import settings

    if who in plan.tokens:
        return {"Authorization": f"Token {plan.tokens[who]}"}
    return {"Cookie": f"{settings.SESSION_COOKIE_NAME}={plan.sessions[who]}"}


class Batch:
    """``total`` GETs of one URL by ``concurrency`` threads, each request on a new connection."""

    def __init__(self, port: int, url: str, headers: dict, total: int, concurrency: int):
        self.port, self.url, self.headers = port, url, {"Host": "127.0.0.1", **headers}
        self.total, self.concurrency = total, concurrency
        self.samples: list[float] = []
        self.errors: list[str] = []
        self.issued = 0
        self.lock = threading.Lock()
        self.deadline = 0.0
        self.wall = 0.0

    def _take(self) -> bool:
        with self.lock:
            if self.issued >= self.total or time.monotonic() > self.deadline:
                return False
            self.issued += 1
            return True

    def _worker(self) -> None:
        while self._take():
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
            began = time.perf_counter()
            try:
                connection.request("GET", self.url, headers=self.headers)
                response = connection.getresponse()
                response.read()
                error = "" if response.status == 200 else f"{response.status}"
            except OSError as exc:
                error = type(exc).__name__
            finally:
                connection.close()
            elapsed = (time.perf_counter() - began) * 1000
            with self.lock:
                self.samples.append(elapsed)
                if error:
                    self.errors.append(error)

    def run(self) -> Batch:
        threads = [threading.Thread(target=self._worker) for _ in range(self.concurrency)]
        began = time.monotonic()
        self.deadline = began + BATCH_SECONDS
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.wall = time.monotonic() - began
        return self

    def as_dict(self) -> dict:
        figure = Figure("", self.samples or [0.0], 0)
        return {
            "requests": len(self.samples),
            "errors": len(self.errors),
            "median_ms": round(statistics.median(self.samples), 2) if self.samples else None,
            "p95_ms": round(figure.p95, 2),
            "per_second": round(len(self.samples) / self.wall, 1) if self.wall else 0.0,
        }


def measure_page(port: int, plan: Plan, page: Page, requests: int, levels) -> dict:
    headers = headers_for(plan, page.who)
    Batch(port, page.url, headers, 2 * WORKERS, 1).run()  # warm-up: every worker
    out = {}
    for concurrency in levels:
        n = requests
        if page.group == "statistics" or "OFFSET" in page.name:
            n = max(8, requests // 4)
        batch = Batch(port, page.url, headers, n * max(1, concurrency // 2), concurrency).run()
        out[f"c{concurrency}"] = batch.as_dict()
        print(f"  .. HTTP c={concurrency} {page.name}: {out[f'c{concurrency}']}", flush=True)
    return out


class Server:
    """gunicorn on 127.0.0.1:``port`` with ``env`` (bench/soak.py's Stack), as a context."""

    def __init__(self, env: dict, port: int, logs: Path, workers: int = WORKERS):
        env = {**env, "GUNICORN_WORKERS": str(workers), "GUNICORN_TIMEOUT": "120"}
        self.stack, self.port = Stack(env, logs, port), port

    def __enter__(self) -> Server:
        self.stack.start(
            "gunicorn", [str(BIN / "gunicorn"), "-c", "docker/gunicorn.conf.py", "psd.wsgi"]
        )
        wait_for(f"http://127.0.0.1:{self.port}/healthz", 60)
        return self

    def __exit__(self, *exc) -> None:
        self.stack.stop_all()


def run_http(plan: Plan, env: dict, port: int, logs: Path, requests: int, only=()) -> list:
    """Every page of the plan (and its baseline) over HTTP at concurrency 1 and 4."""
    rows = []
    with Server(env, port, logs):
        for comparison in plan.comparisons:
            if only and comparison.page.group not in only:
                continue
            row = {
                "name": comparison.page.name,
                "url": comparison.page.path,
                **measure_page(port, plan, comparison.page, requests, (1, 4)),
            }
            if comparison.baseline is not None:
                row["baseline"] = {
                    "name": comparison.baseline.name,
                    **measure_page(port, plan, comparison.baseline, requests, (1, 4)),
                }
            rows.append(row)
    return rows


def format_http(rows: list, in_process: list) -> str:
    queries = {f["name"]: f["queries"] for f in in_process}
    queries.update(
        {f["baseline"]["name"]: f["baseline"]["queries"] for f in in_process if f["baseline"]}
    )
    lines = [
        "Over HTTP (gunicorn, 3 sync workers, production settings, whole middleware stack)",
        f"{'page':<52} {'c=1 p50/p95 ms':>16} {'req/s':>7} {'c=4 p50/p95 ms':>16} "
        f"{'req/s':>7} {'errors':>6} {'queries':>7} {'ratio c=1/c=4':>14}",
    ]

    def line(row: dict, indent: str = "", ratio: str = "") -> str:
        one, four = row["c1"], row["c4"]
        return (
            f"{indent + row['name']:<52} {one['median_ms']:>7.1f}/{one['p95_ms']:<8.1f} "
            f"{one['per_second']:>7} {four['median_ms']:>7.1f}/{four['p95_ms']:<8.1f} "
            f"{four['per_second']:>7} {one['errors'] + four['errors']:>6} "
            f"{queries.get(row['name'], ''):>7} {ratio:>14}"
        )

    for row in rows:
        lines.append(line(row))
        base = row.get("baseline")
        if base:
            ratios = "/".join(
                f"{base[c]['median_ms'] / max(row[c]['median_ms'], 1e-9):.1f}x"
                for c in ("c1", "c4")
            )
            lines.append(line(base, "  ", ratios))
    return "\n".join(lines)
