"""The public complaint form in Chromium: accessible (axe-core) and CSP-clean on every page,
errors that keep what was typed, answers kept going back and forward, and the complaint sent."""

import pytest

from tests.e2e.journey import Journey

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def intake_team(reference_data):
    from tests.accounts.factories import TeamFactory

    return TeamFactory(name="Intake", receives_anonymous_reports=True)


def test_complaint_form_errors_back_and_forward_and_sending(live_server, intake_team, new_page):
    from cases.models import Case

    me = Journey(new_page("public"), live_server, {})
    page = me.page
    me.go("/complaint/")
    me.click(page.get_by_role("button", name="Start now"))

    # Step 1 with a mistake: no contact details; what was typed stays.
    page.fill("#id_name", "Jo Public")
    page.get_by_label("No").check()
    me.click(page.get_by_role("button", name="Continue"))
    assert page.locator(".govuk-error-summary").is_visible()
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "Give at least one way to contact you" in summary
    assert page.input_value("#id_name") == "Jo Public"
    assert page.get_by_label("No").is_checked()
    page.fill("#id_email", "jo@example.org")
    me.click(page.get_by_role("button", name="Continue"))

    page.fill("#id_what", "An officer pushed me at the bus station.")
    me.click(page.get_by_role("button", name="Continue"))

    # Browser back and forward: the answers are still there.
    page.go_back()
    me.check()
    assert page.input_value("#id_what") == "An officer pushed me at the bus station."
    page.go_back()
    me.check()
    assert page.input_value("#id_name") == "Jo Public"
    assert page.input_value("#id_email") == "jo@example.org"
    page.go_forward()
    page.go_forward()
    me.check()

    page.fill("#id_when", "2099-01-01")
    page.fill("#id_where", "Central bus station")
    me.click(page.get_by_role("button", name="Continue"))
    assert "today or in the past" in page.locator(".govuk-error-summary").inner_text()
    assert page.input_value("#id_where") == "Central bus station"
    page.fill("#id_when", "2026-11-20")
    me.click(page.get_by_role("button", name="Continue"))

    page.fill("#id_who", "PC 1234")
    me.click(page.get_by_role("button", name="Continue"))
    page.fill("#id_wanted", "An apology")
    page.get_by_label("Yes, I want it formally recorded").check()
    me.click(page.get_by_role("button", name="Continue"))

    assert "Check your answers" in page.locator("h1").inner_text()
    assert "20 November 2026" in page.content()
    me.click(page.get_by_role("button", name="Send complaint"))
    assert "Complaint sent" in page.locator("h1").inner_text()
    case = Case.objects.get()
    assert case.reference in page.locator(".govuk-panel").inner_text()
    assert case.team == intake_team and case.investigator is None
    # The answer on recording is kept on the case (PRA 2002 Sch 3 para 2(6A)(a)).
    assert case.handling_answers["recording_wish"]["answer"] == "yes"
