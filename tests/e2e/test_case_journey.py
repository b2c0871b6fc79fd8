"""An investigator logs a complaint with two allegations against two officers through the
wizard and takes it to an outcome proposal through the case page forms; a supervisor approves
from the queue; the officer's page shows the outcome. axe-core checks every page visited."""

import datetime

import pytest
from django.utils import timezone

from cases.models import Case, State
from psd.roles import Role
from tests.accounts.factories import PersonFactory, TeamFactory, user_with_role
from tests.cases.factories import complaint, conduct_matter, criterion
from tests.e2e.journey import Journey

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# The README's screenshots are taken by tests/e2e/test_acceptance.py (both viewports).


def day(offset: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=offset)).isoformat()


def test_complaint_from_wizard_to_approved_outcome(live_server, reference_data, new_page):
    team = TeamFactory(name="PSD Team A")
    alice = user_with_role(Role.INVESTIGATOR, "alice", team=team, first_name="Alice")
    bob = user_with_role(Role.SUPERVISOR, "bob", team=team, first_name="Bob", last_name="Stone")
    okafor = PersonFactory(forename="Nadia", surname="Okafor", number="PC41001")
    PersonFactory(forename="Tom", surname="Brennan", number="PC41002")
    checked: dict = {}

    me = Journey(new_page("investigator"), live_server, checked)
    me.sign_in(alice)
    page = me.page

    # --- the wizard -------------------------------------------------------------------------
    me.go("/cases/new/")
    page.get_by_label("Complaint", exact=True).check()
    page.get_by_label("Date received").fill(day(-3))
    page.get_by_label("Short summary").fill("Two officers were rude and rough at a stop")
    page.get_by_label("Supervisor (optional)").select_option(value=str(bob.pk))
    me.click(page.get_by_role("button", name="Continue"))
    page.get_by_label("Name").fill("Sam Rivers")
    page.get_by_label("Email").fill("sam@example.org")
    me.click(page.get_by_role("button", name="Add complainant"))
    me.click(page.get_by_role("link", name="Continue to allegations"))
    for surname, summary in [("Okafor", "Swore at the complainant"), ("Brennan", "Pushed him")]:
        page.get_by_label("Find a person by surname or number").fill(surname)
        me.click(page.locator("#main-content").get_by_role("button", name="Search"))
        me.click(
            page.get_by_role("button", name=f"Add {'Nadia' if surname == 'Okafor' else 'Tom'}")
        )
        page.get_by_label("What is alleged").fill(summary)
        page.get_by_label("Category").select_option(label="Individual behaviours")
        page.get_by_label("Authority, respect and courtesy").check()
        me.click(page.get_by_role("button", name="Add allegation"))
    me.click(page.get_by_role("link", name="Continue to check your answers"))
    assert not Case.objects.exists()  # nothing saved before confirmation
    me.click(page.get_by_role("button", name="Log the case"))
    case = Case.objects.get()
    assert page.url.endswith(case.get_absolute_url())
    assert case.allegations.count() == 2 and case.tracks.count() == 2

    # --- the case page forms -------------------------------------------------------------------
    me.act("Record the case", button="Record")
    me.act(
        "Assess for IOPC referral",
        {criterion("serious_assault").description: True, "Reasons for the assessment": "Push"},
    )
    me.act("Refer to the IOPC", {"IOPC reference": "2026/0042"}, button="Refer")
    me.act("Record the IOPC's decision", {"IOPC decision": "Local investigation"})
    me.act("Start the investigation", button="Start")
    me.act(
        "Assess severity",
        {"Severity": "Misconduct", "Reasons": "Swearing at a member of the public"},
        within=me.subject("Okafor"),
    )
    me.act(
        "Assess severity",
        {"Severity": "No misconduct", "Reasons": "Body-worn video shows a lawful push"},
        within=me.subject("Brennan"),
    )
    me.act(
        "Serve a regulation 17 notice", {"Notice served on": day(-30)}, within=me.subject("Okafor")
    )
    me.act("No further action", {"Reason": "No misconduct"}, within=me.subject("Brennan"))
    me.act("Record the investigation report", {"Summary of the report": "Report complete"})
    me.act(
        "Propose case-to-answer decisions",
        {"Case to answer for misconduct: bring proceedings": True, "Reasons": "The evidence"},
        button="Propose",
    )

    boss = Journey(new_page("supervisor"), live_server, checked)
    boss.sign_in(bob)
    approve_from_queue(boss, case)

    me.go(case.get_absolute_url())
    me.act(
        "Refer to a meeting or hearing",
        {
            "Forum": "Misconduct meeting",
            "Date fixed for the meeting or hearing": day(0),
            "Notice and documents given on": day(-30),
        },
        button="Refer",
        within=me.subject("Okafor"),
    )
    me.act("Proceedings concluded", {"Held on": day(0)}, within=me.subject("Okafor"))
    allegation_1 = "Allegation 1, PC Nadia Okafor"
    me.act(
        "Propose the outcome",
        {
            f"{allegation_1}: finding": "Misconduct proven",
            f"{allegation_1}: action": "Written warning",
            "Allegation 2, PC Tom Brennan: finding": "No misconduct identified",
            "Reasons": "The meeting found misconduct; no misconduct by PC Brennan",
        },
        button="Propose outcome",
    )
    case.refresh_from_db()
    assert case.state == State.OUTCOME_PROPOSED

    approve_from_queue(boss, case)
    case.refresh_from_db()
    assert case.state == State.OUTCOME_APPROVED

    # --- the officer's page shows the outcome ------------------------------------------------
    boss.go(okafor.get_absolute_url())
    history = boss.page.locator("section", has_text="Professional standards history").first
    assert "Written warning" in history.inner_text()
    assert "live until" in history.inner_text()

    for days, surname in [(12, "Hale"), (40, "Moss"), (75, "Iqbal")]:
        complaint(alice, PersonFactory(surname=surname), received=days, supervisor=bob)
    conduct_matter(alice, PersonFactory(surname="Reyes"), received=20)
    me.go("/cases/")
    me.go("/")
    assert len(checked) >= 10, checked


def approve_from_queue(journey: Journey, case):
    journey.go("/cases/approvals/")
    panel = journey.page.locator(".govuk-summary-card", has_text=case.reference).first
    panel.locator("summary", has_text="Approve").click()
    panel.get_by_label("Comments").fill("Agreed")
    journey.click(panel.get_by_role("button", name="Approve"))
    assert journey.page.locator(".govuk-notification-banner--success").count()
