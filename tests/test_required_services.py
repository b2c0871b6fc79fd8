"""tests/helpers/required_services.py: under CI=true a skipped test that needs PostgreSQL, a
worker, chromium or docker compose fails and names what was missing; elsewhere it skips.
Each case runs a small inner test file through pytester, with CI set and unset."""

import pytest

pytest_plugins = ["pytester"]

PLUGIN = "tests.helpers.required_services"

INNER = """
import pytest

@pytest.mark.postgres
def test_row_locks():
    pytest.skip("SQLite has a single writer")

@pytest.mark.compose
@pytest.mark.skipif(True, reason="neither docker compose nor docker-compose")
def test_compose_file():
    pass

@pytest.fixture
def browser():
    pytest.skip("/usr/bin/chromium is not installed")

@pytest.mark.e2e
def test_in_a_browser(browser):
    pass

@pytest.mark.worker
def test_on_a_worker(record_property):
    record_property("replay", "PSD_SEED=42")

def test_unmarked():
    pytest.skip("nothing to do with a service")

@pytest.mark.postgres
@pytest.mark.xfail(reason="a known bug")
def test_known_bug():
    assert False
"""

MARKERS = """
[pytest]
markers =
    postgres: needs PostgreSQL
    worker: needs a worker
    e2e: needs chromium
    compose: needs docker compose
"""


@pytest.fixture
def inner(pytester):
    pytester.makeini(MARKERS)
    pytester.makepyfile(test_inner=INNER)
    return lambda: pytester.runpytest("-p", "no:django", "-p", PLUGIN, "-rA")


def table_row(result, marker: str) -> list[str]:
    rows = [line.split() for line in result.outlines if line.split()[:1] == [marker]]
    assert len(rows) == 1, result.outlines
    return rows[0][1:]


@pytest.mark.parametrize("ci", ["true", "1", "TRUE"])
def test_in_ci_a_skipped_service_test_fails_and_names_the_service(inner, monkeypatch, ci):
    monkeypatch.setenv("CI", ci)
    result = inner()
    assert result.ret != 0
    # The test that skipped itself fails; the two skipped in setup (marker, fixture) error.
    result.assert_outcomes(passed=1, failed=1, errors=2, skipped=1, xfailed=1)
    output = result.stdout.str()
    assert "test_row_locks needs PostgreSQL" in output
    assert "SQLite has a single writer" in output
    assert "test_compose_file needs docker compose" in output
    assert "test_in_a_browser needs chromium at /usr/bin/chromium" in output
    assert "CI=true: a skip of any of these tests is a failure." in output
    assert "SKIPPED [1] test_inner.py" in output  # the unmarked skip stays a skip
    # passed, failed, skipped per marker (the xfail is not counted)
    assert table_row(result, "postgres") == ["0", "1", "0"]
    assert table_row(result, "worker") == ["1", "0", "0"]
    assert table_row(result, "e2e") == ["0", "1", "0"]
    assert table_row(result, "compose") == ["0", "1", "0"]


@pytest.mark.parametrize("ci", [None, "", "false", "0"])
def test_outside_ci_they_skip_with_their_reason(inner, monkeypatch, ci):
    if ci is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", ci)
    result = inner()
    assert result.ret == 0
    result.assert_outcomes(passed=1, skipped=4, xfailed=1)
    output = result.stdout.str()
    assert "SQLite has a single writer" in output
    assert "neither docker compose nor docker-compose" in output
    assert "/usr/bin/chromium is not installed" in output
    assert "needs PostgreSQL" not in output
    assert table_row(result, "postgres") == ["0", "0", "1"]
    assert table_row(result, "e2e") == ["0", "0", "1"]


def test_a_recorded_replay_line_is_printed(inner, monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    result = inner()
    result.stdout.fnmatch_lines(["replay test_inner.py::test_on_a_worker: PSD_SEED=42"])


def test_the_table_is_left_out_when_no_test_needs_a_service(pytester, monkeypatch):
    monkeypatch.setenv("CI", "true")
    pytester.makepyfile(test_plain="def test_plain():\n    assert True\n")
    result = pytester.runpytest("-p", "no:django", "-p", PLUGIN)
    assert result.ret == 0
    assert "tests needing a service" not in result.stdout.str()
