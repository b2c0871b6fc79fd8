"""Tests that need a service may skip on a laptop, never in CI.

A test marked ``postgres``, ``worker``, ``e2e`` or ``compose`` skips with its reason when the
service is missing. Under ``CI=true`` that skip is turned into a failure naming what was
missing, whatever code path skipped it (a ``skipif`` marker, a fixture, the test itself): CI
cannot go green because PostgreSQL, Redis, chromium or docker compose went away.

At the end of the run a table counts the tests of each marker that passed, failed and skipped,
and lines a test recorded with ``record_property("replay", ...)`` are printed (how to replay a
random run). Loaded by tests/conftest.py (``pytest_plugins``).
"""

import os

import pytest

# What each marker needs, as the failure names it.
REQUIRED = {
    "postgres": "PostgreSQL (DATABASE_URL=postgres://...)",
    "worker": "a real Celery worker on Redis (REDIS_URL=redis://...)",
    "e2e": "chromium at /usr/bin/chromium (make ci-tools)",
    "compose": "docker compose or docker-compose (make ci-tools)",
}
OUTCOMES = ("passed", "failed", "skipped")


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}


def _skip_reason(report: pytest.TestReport) -> str:
    longrepr = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        return str(longrepr[2]).removeprefix("Skipped: ")
    return str(longrepr)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    report = yield
    needs = [name for name in REQUIRED if item.get_closest_marker(name)]
    report.required_markers = needs  # read back in pytest_runtest_logreport (xdist-safe)
    if needs and report.skipped and not hasattr(report, "wasxfail") and in_ci():
        missing = "; ".join(REQUIRED[name] for name in needs)
        report.outcome = "failed"
        report.longrepr = (
            f"CI=true: {item.nodeid} needs {missing}, but it was skipped: {_skip_reason(report)}"
        )
    return report


def pytest_configure(config: pytest.Config) -> None:
    config.pluginmanager.register(ServiceTally(), "psd-service-tally")


class ServiceTally:
    """Counts each marked test once (failed if any phase failed, else skipped, else passed)
    and collects the replay lines; prints both at the end of the run."""

    def __init__(self):
        self.counts = {name: dict.fromkeys(OUTCOMES, 0) for name in REQUIRED}
        self.outcome: dict[str, str] = {}
        self.replays: list[str] = []

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if hasattr(report, "wasxfail"):
            self.outcome[report.nodeid] = "xfail"  # expected to fail: not counted
        elif report.failed or (report.skipped and report.when != "teardown"):
            self.outcome[report.nodeid] = "failed" if report.failed else "skipped"
        elif report.when == "call":
            self.outcome.setdefault(report.nodeid, "passed")
        if report.when != "teardown":
            return
        outcome = self.outcome.pop(report.nodeid, None)
        for name in getattr(report, "required_markers", ()):
            if outcome in OUTCOMES:
                self.counts[name][outcome] += 1
        self.replays += [
            f"{report.nodeid}: {v}" for k, v in report.user_properties if k == "replay"
        ]

    def pytest_terminal_summary(self, terminalreporter) -> None:
        if any(sum(row.values()) for row in self.counts.values()):
            write = terminalreporter.write_line
            terminalreporter.section("tests needing a service")
            write(f"{'marker':<10}" + "".join(f"{o:>9}" for o in OUTCOMES))
            for name, row in self.counts.items():
                write(f"{name:<10}" + "".join(f"{row[o]:>9}" for o in OUTCOMES))
            if in_ci():
                write("CI=true: a skip of any of these tests is a failure.")
        for line in self.replays:
            terminalreporter.write_line(f"replay {line}")
