"""The case page on a phone (390×844) and a laptop (1366×900) in Chromium: nothing scrolls
sideways, and the next step and the deadlines come before the timeline. axe and the CSP are
checked on every page (Journey)."""

import pytest

from tests.e2e.journey import Journey

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def top(page, selector: str) -> float:
    return page.locator(selector).first.bounding_box()["y"]


@pytest.mark.parametrize("width,height", [(390, 844), (1366, 900)])
def test_case_page_fits_the_screen_and_puts_the_next_step_first(
    live_server, reference_data, new_page, width, height
):
    from cases import services
    from cases.models import Severity
    from cases.services.notes import case_add_note
    from psd.roles import Role
    from tests.accounts.factories import PersonFactory, TeamFactory, user_with_role
    from tests.cases.factories import complaint, days_ago
    from tests.cases.routes import investigating

    team = TeamFactory(name="PSD Team A")
    bob = user_with_role(Role.SUPERVISOR, "bob", team=team)
    alice = user_with_role(Role.INVESTIGATOR, "alice", team=team, first_name="Alice")
    officer = PersonFactory(forename="Nadia", surname="Okafor-Wrightington-Smythe")
    case = investigating(complaint(alice, officer, supervisor=bob), alice, bob)
    track = case.tracks.get()
    services.track_assess_severity(
        actor=alice, track=track, severity=Severity.MISCONDUCT, rationale="Swore at a member"
    )
    services.track_serve_notice(actor=alice, track=track, served_on=days_ago(2))
    for n in range(12):
        case_add_note(actor=alice, case=case, text=f"Call {n}: " + "word " * 40)

    me = Journey(new_page(f"case-{width}"), live_server, {})
    page = me.page
    page.set_viewport_size({"width": width, "height": height})
    me.sign_in(alice)
    me.go(case.get_absolute_url())
    wide = page.evaluate("document.documentElement.scrollWidth")
    assert wide <= page.evaluate("window.innerWidth"), f"{wide}px wide at {width}"
    timeline = top(page, "#timeline")
    assert top(page, "#next-step") < timeline
    assert top(page, "#deadlines") < timeline
    assert "working days left" in page.locator("#deadlines").inner_text()
    # The other actions' pages fit too.
    me.go(case.get_absolute_url() + "actions/note/0/form/")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
