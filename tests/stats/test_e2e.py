"""The statistics and import pages in a real browser: axe-core finds no serious problem and
the strict Content Security Policy blocks nothing (the charts are inline SVG without styles)."""

import os

import pytest

from tests.accounts.factories import PASSWORD
from tests.helpers.otp import confirmed_device, totp_for
from tests.stats.conftest import build_fy2025

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
CHROMIUM = "/usr/bin/chromium"
SERIOUS = {"serious", "critical"}


@pytest.fixture
def page(monkeypatch):
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium; make ci-tools)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM is safe here (the loop
    # only drives the browser). Set for this test only, so no other test sees it.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--headless=new", "--no-sandbox", "--disable-gpu"]
        )
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
        yield page
        browser.close()


def check(page) -> None:
    from axe_playwright_python.sync_playwright import Axe

    page.wait_for_load_state("load")
    violations = Axe().run(page).response["violations"]
    serious = [
        f"{v['id']}: {v['nodes'][0]['target']}" for v in violations if v["impact"] in SERIOUS
    ]
    assert not serious, f"axe on {page.url}: {serious}"
    assert not page.csp_errors, page.csp_errors


def sign_in(page, base: str, user) -> None:
    confirmed_device(user)
    page.goto(base + "/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    if "/2fa/verify/" in page.url:
        page.fill("#id_token", totp_for(user))
        page.get_by_role("button", name="Continue").click()
    assert "/login/" not in page.url and "/2fa/" not in page.url, page.url


def test_statistics_pages_are_accessible_and_csp_clean(live_server, page, eve):
    build_fy2025()
    sign_in(page, live_server.url, eve)
    page.goto(live_server.url + "/statistics/?year=2025")
    check(page)
    assert page.locator("svg[role=img]").count() == 2
    assert page.locator("#table-outcomes tfoot").inner_text().split() == ["Total", "8", "100.0"]
    page.fill("#id_start", "2025-06-01")
    page.fill("#id_end", "2025-05-01")
    page.get_by_role("button", name="Show statistics").click()
    check(page)
    assert "The end date must be the same as or after the start date." in page.content()
    page.goto(live_server.url + "/statistics/import/")
    check(page)
