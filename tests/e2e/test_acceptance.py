"""Issue 22 acceptance, in Chromium at a laptop's 1366×900 and a phone's 390×844: every page
of the journeys (intake to finalisation, approvals, vetting, the anonymous report, statistics,
the audit trail) passes axe with no serious or critical violation, is no wider than the window,
blocks nothing under the CSP and has the title "<page> – PSD" (tests/e2e/journey.py checks
each page). A screenshot of every page is written under var/screenshots/ (PSD_SCREENSHOT_DIR to
move it; CI keeps var/), and the path is printed. A keyboard-only run of the new-case wizard
proves it needs no mouse."""

import datetime
import os
import pathlib

import pytest
from django.utils import timezone

from tests.e2e.journey import Journey

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

VIEWPORTS = {"desktop": (1366, 900), "phone": (390, 844)}
ROOT = pathlib.Path(__file__).resolve().parents[2]
SHOTS = pathlib.Path(os.environ.get("PSD_SCREENSHOT_DIR", ROOT / "var" / "screenshots"))
# README pictures are refreshed only on request: PSD_SCREENSHOTS=1 pytest -m e2e ...
README_SHOTS = ROOT / "docs" / "screenshots"


def _shots(viewport: str, who: str) -> pathlib.Path:
    path = SHOTS / viewport / who
    path.mkdir(parents=True, exist_ok=True)
    return path


def _readme(me: Journey, name: str) -> None:
    """The README's pictures (docs/screenshots/), only with PSD_SCREENSHOTS=1: the first screen
    at each viewport ("-phone" for the phone's)."""
    if os.environ.get("PSD_SCREENSHOTS") == "1":
        suffix = "-phone" if me.viewport == "phone" else ""
        me.page.screenshot(path=str(README_SHOTS / f"{name}{suffix}.png"))


def _day(offset: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=offset)


def _people():
    from tests.accounts.factories import PersonFactory

    return {
        "okafor": PersonFactory(forename="Nadia", surname="Okafor", number="PC41001"),
        "brennan": PersonFactory(forename="Tom", surname="Brennan", number="PC41002"),
        "shah": PersonFactory(forename="Priya", surname="Shah", number="DC3312", detective=True),
    }


def _world():
    """Users of every role, cases at the start, middle and end of their life, a proposal
    waiting for approval, an overdue deadline, vetting records and a year of statistics."""
    from cases import services
    from deadlines.models import DeadlineKind
    from psd.roles import Role
    from tests.accounts.factories import TeamFactory, user_with_role
    from tests.cases.factories import (
        complaint,
        conduct_matter,
        to_finalised_otbi,
        to_handling_decided,
    )
    from tests.deadlines.factories import DeadlineFactory
    from tests.stats.conftest import build_fy2025
    from tests.vetting.factories import applicant_application, granted

    team = TeamFactory(name="PSD Team A", receives_anonymous_reports=True)
    alice = user_with_role(Role.INVESTIGATOR, "alice", team=team, first_name="Alice")
    bob = user_with_role(Role.SUPERVISOR, "bob", team=team, first_name="Bob", last_name="Stone")
    world = {
        "team": team,
        "alice": alice,
        "bob": bob,
        "vera": user_with_role(Role.VETTING_OFFICER, "vera", first_name="Vera"),
        "eve": user_with_role(Role.AUDITOR, "eve", first_name="Eve"),
        "ada": user_with_role(Role.ADMINISTRATOR, "ada", first_name="Ada"),
        **_people(),
    }
    final = complaint(alice, world["brennan"], supervisor=bob)
    world["final"] = to_finalised_otbi(to_handling_decided(final, alice, bob), alice, bob)
    world["middle"] = to_handling_decided(
        complaint(alice, world["okafor"], supervisor=bob), alice, bob
    )
    waiting = complaint(alice, world["shah"], supervisor=bob)
    services.case_record(actor=alice, case=waiting)
    services.case_assess_referral(actor=alice, case=waiting, criteria=[], rationale="None met")
    services.case_propose_no_referral(actor=alice, case=waiting, rationale="None met")
    world["waiting"] = waiting
    conduct_matter(alice, world["okafor"], supervisor=bob, received=12)
    DeadlineFactory(
        kind=DeadlineKind.objects.get(code="proceedings_fixed"),
        owner=alice,
        escalate_to=bob,
        label="Hearing notice for PC Okafor",
        due_date=_day(-3),
    )
    world["clearance"] = granted(world["vera"], world["okafor"])
    world["application"] = applicant_application(world["vera"])
    build_fy2025()
    return world


def _intake(me: Journey, world) -> None:
    """The new-case wizard with the mouse (the keyboard-only run is below): an error first."""
    page = me.page
    me.go("/cases/new/")
    me.click(page.get_by_role("button", name="Continue"))
    assert page.locator(".govuk-error-summary").is_visible()
    page.get_by_label("Complaint", exact=True).check()
    page.get_by_label("Date received").fill(_day(-2).isoformat())
    page.get_by_label("Short summary").fill("Officer swore at a driver on Market Street")
    me.click(page.get_by_role("button", name="Continue"))
    page.get_by_label("Name").fill("Sam Rivers")
    page.get_by_label("Email").fill("sam@example.org")
    me.click(page.get_by_role("button", name="Add complainant"))
    me.click(page.get_by_role("link", name="Continue to allegations"))
    page.get_by_label("Find a person by surname or number").fill("Okafor")
    me.click(page.locator("#main-content").get_by_role("button", name="Search"))
    me.click(page.get_by_role("button", name="Add Nadia Okafor"))
    page.get_by_label("What is alleged").fill("Swore at the driver")
    page.get_by_label("Category").select_option(label="Individual behaviours")
    me.click(page.get_by_role("button", name="Add allegation"))
    me.click(page.get_by_role("link", name="Continue to check your answers"))
    me.click(page.get_by_role("button", name="Log the case"))


def _investigator(me: Journey, world) -> None:
    me.sign_in(world["alice"])
    _intake(me, world)
    for case in ("middle", "final", "waiting"):
        me.go(world[case].get_absolute_url())
        if case == "middle":
            _readme(me, "case-page")
    me.go(f"/correspondence/cases/{world['final'].reference}/")
    me.go("/cases/")
    _readme(me, "case-list")
    me.go("/cases/?q=Market")
    me.go("/deadlines/")
    me.go("/notifications/")
    me.go("/personnel/")
    me.go(world["okafor"].get_absolute_url())
    me.go(world["shah"].get_absolute_url())
    assert "DC Priya Shah" in me.page.locator("h1").inner_text()


def _supervisor(me: Journey, world) -> None:
    me.sign_in(world["bob"])
    assert "Workload: open cases by investigator" in me.page.content()
    me.go("/cases/approvals/")
    assert world["waiting"].reference in me.page.content()
    me.go(f"/cases/teams/{world['team'].pk}/")
    me.go("/deadlines/?scope=escalated")


def _vetting(me: Journey, world) -> None:
    me.sign_in(world["vera"])
    me.go("/vetting/")
    me.go(world["application"].get_absolute_url())
    me.go(f"/vetting/people/{world['okafor'].pk}/")
    me.go("/vetting/due/")
    me.go("/vetting/applications/new/")
    me.go("/cases/lists/")


def _anonymous(me: Journey) -> None:
    page = me.page
    me.go("/login/")
    me.click(page.get_by_role("link", name="report wrongdoing anonymously"))
    assert "every read" not in page.locator("footer").inner_text()
    page.get_by_label("What happened").fill("A sergeant keeps seized cash in his locker.")
    me.click(page.get_by_role("button", name="Send the report"))
    code = page.locator(".psd-receipt-code").inner_text()
    me.click(page.get_by_role("link", name="the follow-up page"))
    page.get_by_label("Receipt code").fill(code)
    me.click(page.get_by_role("button", name="Continue"))
    assert "Your report" in page.locator("h1").inner_text()
    me.go("/complaint/")


def _analyst(me: Journey, world) -> None:
    me.sign_in(world["eve"])
    me.go("/statistics/?year=2025")
    me.go("/audit/")
    me.go("/reports/")


def _administrator(me: Journey, world) -> None:
    me.sign_in(world["ada"])
    me.go("/audit/")
    records = me.page.locator("tbody td:nth-child(5)").all_inner_texts()
    assert records and not any("accounts_user" in text for text in records)
    me.go("/grants/")


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_every_page_of_the_journeys_fits_and_passes_axe(
    viewport, live_server, reference_data, new_page
):
    world = _world()
    checked: dict = {}
    size = VIEWPORTS[viewport]
    for who, journey in [
        ("investigator", _investigator),
        ("supervisor", _supervisor),
        ("vetting", _vetting),
        ("analyst", _analyst),
        ("administrator", _administrator),
    ]:
        me = Journey(new_page(who, size), live_server, checked, shots=_shots(viewport, who))
        me.viewport = viewport
        journey(me, world)
    _anonymous(
        Journey(new_page("anonymous", size), live_server, checked, _shots(viewport, "anonymous"))
    )
    print(f"\nscreenshots ({viewport}): {SHOTS / viewport}")
    assert len(checked) >= 30, sorted(checked)


def test_the_new_case_wizard_by_keyboard_alone(live_server, reference_data, new_page):
    """Tab, type, space and enter only: no click, no fill."""
    from cases.models import Case
    from psd.roles import Role
    from tests.accounts.factories import TeamFactory, user_with_role

    team = TeamFactory(name="PSD Team A")
    alice = user_with_role(Role.INVESTIGATOR, "alice", team=team)
    _people()
    me = Journey(new_page("keyboard", VIEWPORTS["desktop"]), live_server, {})
    me.sign_in(alice)
    keys = Keyboard(me)
    me.go("/cases/new/")
    keys.focus("#id_case_type_0")  # the first radio: "Complaint"
    keys.press("Space")
    keys.focus("#id_source")
    keys.type("Member")  # typeahead picks "Member of the public" in a <select>
    keys.focus("#id_received_on")
    keys.type(_day(-1).strftime("%d%m%Y"))
    keys.focus("#id_summary")
    keys.type("Rude at a roadside stop")
    keys.submit("Continue")
    keys.focus("#id_name")
    keys.type("Sam Rivers")
    keys.submit("Add complainant")
    keys.focus_link("Continue to allegations")
    keys.press("Enter", then_check=True)
    keys.focus("#id_q")
    keys.type("Okafor")
    keys.press("Enter", then_check=True)
    keys.submit("Add Nadia Okafor")
    keys.focus("#id_summary")
    keys.type("Swore at the driver")
    keys.focus("#id_category")
    keys.type("Individual")
    keys.submit("Add allegation")
    keys.focus_link("Continue to check your answers")
    keys.press("Enter", then_check=True)
    keys.submit("Log the case")
    case = Case.objects.get()
    assert me.page.url.endswith(case.get_absolute_url())
    assert case.allegations.get().subjects.get().surname == "Okafor"


class Keyboard:
    """Moves through a page with the Tab key only, the way a keyboard user does."""

    LIMIT = 120

    def __init__(self, journey: Journey):
        self.journey, self.page = journey, journey.page

    def _active(self, script: str, arg: str) -> bool:
        return self.page.evaluate(f"(arg) => {{ const e = document.activeElement; {script} }}", arg)

    def _tab_until(self, script: str, arg: str, what: str) -> None:
        for _ in range(self.LIMIT):
            self.page.keyboard.press("Tab")
            if self._active(script, arg):
                return
        raise AssertionError(f"Tab never reached {what} on {self.page.url}")

    def focus(self, selector: str) -> None:
        self._tab_until("return e && e.matches(arg);", selector, selector)

    def focus_link(self, text: str) -> None:
        script = "return e && e.tagName === 'A' && e.textContent.trim() === arg;"
        self._tab_until(script, text, f"the link {text!r}")

    def submit(self, text: str) -> None:
        script = "return e && e.tagName === 'BUTTON' && e.textContent.trim().startsWith(arg);"
        self._tab_until(script, text, f"the button {text!r}")
        self.press("Enter", then_check=True)

    def type(self, text: str) -> None:
        self.page.keyboard.type(text)

    def press(self, key: str, then_check: bool = False) -> None:
        """Press a key; with ``then_check`` the key loads a page, which is then checked."""
        if not then_check:
            self.page.keyboard.press(key)
            return
        with self.page.expect_navigation():
            self.page.keyboard.press(key)
        self.journey.check()
