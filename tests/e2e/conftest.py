"""End-to-end tests: Playwright drives the Debian chromium against pytest-django's live
server. Screenshots of a failing test are saved under tests/e2e/artifacts/."""

import os
import pathlib

import pytest

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = pathlib.Path(__file__).parent / "artifacts"
ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="module")
def browser():
    """One chromium per test module: Playwright's event loop must be gone before other
    modules run (their own Playwright, Django's serialized rollback)."""
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium; make ci-tools)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; Django's ORM refuses to run in
    # a thread with a running loop unless told it is safe (it is: the loop only drives the
    # browser). Only while these browser tests run, so every other test keeps the check.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def new_page(browser, request):
    """Open pages in fresh browser contexts (one per user); screenshot them all on failure."""
    contexts, pages = [], []

    def open_page(name: str, viewport: tuple[int, int] | None = None):
        size = {"viewport": {"width": viewport[0], "height": viewport[1]}} if viewport else {}
        context = browser.new_context(locale="en-GB", timezone_id="Europe/London", **size)
        context.set_default_timeout(15_000)
        page = context.new_page()
        page.csp_errors = []
        page.on(
            "console",
            lambda msg: (
                page.csp_errors.append(msg.text) if "Content Security Policy" in msg.text else None
            ),
        )
        contexts.append(context)
        pages.append((name, page))
        return page

    yield open_page
    failed = getattr(request.node, "report_call", None)
    if failed is not None and failed.failed:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        for name, page in pages:
            page.screenshot(path=str(ARTIFACTS / f"{request.node.name}-{name}.png"), full_page=True)
    for context in contexts:
        context.close()


@pytest.fixture(scope="session", autouse=True)
def _reference_snapshot(django_db_setup, django_db_blocker):
    """The serialized reference data (roles, categories, deadline kinds...) the migrations
    created, taken before the browser starts."""
    from django.db import connection

    return getattr(connection, "_test_serialized_contents", None)


@pytest.fixture
def reference_data(_reference_snapshot, live_server):
    """Make sure the migrations' reference data is present.

    A transactional test empties the database when it ends; ``serialized_rollback`` should put
    the data back, but once Playwright's event loop runs in this thread Django may hand out a
    new connection object that no longer carries the snapshot. Restore it the way Django does:
    flush without post-migrate signals, then load the snapshot."""
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.db import connection

    if not _reference_snapshot:
        return
    # Let Django's end-of-test flush see the snapshot too, so it skips post-migrate signals
    # and the next serialized-rollback test can load the snapshot without duplicates.
    connection._test_serialized_contents = _reference_snapshot
    if Group.objects.exists():
        return
    call_command(
        "flush", interactive=False, inhibit_post_migrate=True, reset_sequences=False, verbosity=0
    )
    connection.creation.deserialize_db_from_string(_reference_snapshot)
