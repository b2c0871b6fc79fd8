"""End-to-end tests: Playwright drives the Debian chromium against pytest-django's live
server. Screenshots of a failing test are saved under tests/e2e/artifacts/."""

import os
import pathlib

import pytest

# Playwright's sync API runs an event loop in this thread; Django's ORM refuses to run in a
# thread with a running loop unless told it is safe (it is: the loop only drives the browser).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

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


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium; make ci-tools)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, request):
    """Open pages in fresh browser contexts (one per user); screenshot them all on failure."""
    contexts, pages = [], []

    def open_page(name: str):
        context = browser.new_context(locale="en-GB", timezone_id="Europe/London")
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
