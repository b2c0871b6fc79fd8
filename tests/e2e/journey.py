"""A signed-in browser page that checks every page it lands on: accessibility (axe-core), the
Content Security Policy, no sideways scrolling (the page is no wider than the window) and the
tab title ("<page> – PSD"); shared by the end-to-end tests. With ``shots`` set it also saves a
screenshot of each page there."""

import re

from tests.accounts.factories import PASSWORD
from tests.helpers.otp import confirmed_device, totp_for

SERIOUS = {"serious", "critical"}
TITLE = re.compile(r"^(Error: )?\S.* – PSD$")
# Pages not drawn by psd's templates (Swagger UI, DRF's browsable API) keep their own titles.
OWN_TITLES = ("/api/",)


class Journey:
    """A signed-in browser page that checks accessibility and CSP on every page it lands on."""

    def __init__(self, page, live_server, checked: dict, shots=None):
        from axe_playwright_python.sync_playwright import Axe

        self.page, self.base, self.axe, self.checked = page, live_server.url, Axe(), checked
        self.shots, self.shot, self.viewport = shots, 0, None

    def check(self):
        page = self.page
        page.wait_for_load_state("load")
        results = self.axe.run(page)
        bad = [
            f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
            for v in results.response["violations"]
            if v["impact"] in SERIOUS
        ]
        assert not bad, f"axe on {page.url}: {bad}"
        assert not page.csp_errors, page.csp_errors
        wide, window = page.evaluate(
            "() => [document.documentElement.scrollWidth, window.innerWidth]"
        )
        assert wide <= window, f"{page.url} is {wide}px wide in a {window}px window"
        path = page.url.removeprefix(self.base)
        if not path.startswith(OWN_TITLES):
            assert TITLE.match(page.title()), f"{page.url}: title {page.title()!r}"
        self.checked[page.url.split("?")[0]] = True
        if self.shots is not None:
            self.shot += 1
            slug = re.sub(r"[^a-z0-9]+", "-", path.split("?")[0].lower()).strip("-") or "home"
            page.screenshot(path=str(self.shots / f"{self.shot:02d}-{slug}.png"), full_page=True)

    def go(self, path: str):
        self.page.goto(self.base + path)
        self.check()

    def click(self, locator):
        locator.click()
        self.check()

    def sign_in(self, user):
        page = self.page
        confirmed_device(user)  # an enrolled authenticator: sign-in asks for its code
        page.goto(self.base + "/login/")
        self.check()
        page.fill("#id_username", user.username)
        page.fill("#id_password", PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        if "/account/2fa/verify/" in page.url:
            self.check()
            page.fill("#id_token", totp_for(user))
            page.get_by_role("button", name="Continue").click()
        self.check()
        assert "/login/" not in page.url and "/2fa/" not in page.url, page.url

    def act(self, label: str, fields: dict | None = None, button: str = "Save", within=None):
        """Open the action's <details> (``within``: among these), fill its fields by label,
        submit, expect success."""
        details = (within or self.page.locator("details")).filter(
            has=self.page.locator("summary", has_text=label)
        )
        details = details.first
        if details.get_attribute("open") is None:
            details.locator("summary").click()
        for name, value in (fields or {}).items():
            field = details.get_by_label(name, exact=False).first
            tag = field.evaluate("e => e.tagName + ':' + (e.type || '')")
            if tag.startswith("SELECT"):
                field.select_option(label=value)
            elif tag.endswith(("checkbox", "radio")):
                field.check()
            else:
                field.fill(value)
        details.get_by_role("button", name=button).click()
        self.check()
        notice = self.page.locator(".govuk-notification-banner--success")
        assert notice.count(), self.page.locator(
            ".govuk-error-summary, .govuk-notification-banner"
        ).all_inner_texts()

    def subject(self, surname: str):
        """The case page's actions for one subject (their labels name the subject)."""
        return self.page.locator("details", has=self.page.locator("summary", has_text=surname))
