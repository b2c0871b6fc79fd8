"""The case page (issue 22): the identity bar, the Next step panel (the offered actions the
case waits for), the Other actions menu (offered, not expected), deadlines per subject with
the time left, notes and documents as tables, the timeline's filters and folding, and the
early-intervention warning. What is offered stays the guards' decision (test_agreement)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cases import services
from cases.models import Severity
from cases.services.notes import case_add_document, case_add_note
from deadlines.calendar import add_working_days
from deadlines.models import Deadline
from tests.accounts.factories import PersonFactory
from tests.cases.factories import complaint, days_ago, to_handling_decided
from tests.cases.routes import investigating
from tests.cases.test_views_documents import PDF, private_storage  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db


def names(actions) -> set[str]:
    return {a.spec.name for a in actions}


def page(client, case, **params):
    return client.get(case.get_absolute_url(), params)


def test_identity_bar_names_reference_type_state_and_investigator(client, alice):
    case = complaint(alice)
    client.force_login(alice)
    html = page(client, case).content.decode()
    bar = html[html.index("moj-identity-bar") : html.index('id="next-step"')]
    assert case.reference in bar and "Complaint" in bar and "Received" in bar
    assert alice.get_full_name() in bar


def test_next_step_of_a_new_complaint_is_recording_it_and_the_rest_is_in_the_menu(client, alice):
    case = complaint(alice)
    client.force_login(alice)
    response = page(client, case)
    assert names(response.context["next_actions"]) == {"record", "handle_outside"}
    assert names(response.context["other_actions"]) == {
        "add_allegation",
        "correct_received_on",
        "recording_wish",  # only when the complainant asks
        "note",
        "document",
    }
    html = response.content.decode()
    # The menu links to each action's own page; the next step's form is on the page.
    assert reverse("cases:action_form", args=[case.reference, "note", 0]) in html
    assert html.index('id="next-step"') < html.index('id="timeline"')
    assert html.index('id="deadlines"') < html.index('id="timeline"')


def test_a_second_referral_assessment_is_possible_but_not_the_next_step(client, alice, bob):
    case = complaint(alice, supervisor=bob)
    services.case_record(actor=alice, case=case)
    client.force_login(alice)
    assert "assess_referral" in names(page(client, case).context["next_actions"])
    services.case_assess_referral(actor=alice, case=case, criteria=[], rationale="None met")
    response = page(client, case)
    assert names(response.context["next_actions"]) == {"propose_no_referral"}
    assert "assess_referral" in names(response.context["other_actions"])


def test_twelve_month_report_is_not_offered_on_day_one_and_is_the_next_step_when_due(
    client, alice, bob
):
    # C&M Regs 2020 reg 13(1): the report is made once the 12-month period (starting with the
    # day the complaint was received) has ended, so on day one it is offered nowhere.
    case = to_handling_decided(complaint(alice, supervisor=bob, received=1), alice, bob)
    client.force_login(alice)
    response = page(client, case)
    offered = names(response.context["other_actions"]) | names(response.context["next_actions"])
    assert "twelve_month_report" not in offered
    old = to_handling_decided(complaint(alice, supervisor=bob, received=370), alice, bob)
    assert "twelve_month_report" in names(page(client, old).context["next_actions"])


def test_every_offered_action_is_in_the_panel_or_the_menu_exactly_once(client, alice, bob):
    case = investigating(complaint(alice, PersonFactory(), supervisor=bob), alice, bob)
    client.force_login(alice)
    response = page(client, case)
    shown = [(a.spec.name, a.target.pk) for a in response.context["next_actions"]]
    shown += [(a.spec.name, a.target.pk) for a in response.context["other_actions"]]
    assert len(shown) == len(set(shown))
    assert "assess_severity" in names(response.context["next_actions"])
    offered = {a.spec.name for a in response.context["case_actions"]}
    assert offered <= {name for name, _ in shown}


def test_the_action_page_shows_an_offered_form_and_refuses_the_rest(client, alice):
    case = complaint(alice)
    client.force_login(alice)
    url = reverse("cases:action_form", args=[case.reference, "note", 0])
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Add a note" in html and 'name="on" value="action-page"' in html
    # Not possible now: back to the case with the guard's sentence.
    refused = client.get(reverse("cases:action_form", args=[case.reference, "submit_report", 0]))
    assert refused.status_code == 302 and refused.url == case.get_absolute_url()
    gone = reverse("cases:action_form", args=[case.reference, "no_such_action", 0])
    assert client.get(gone).status_code == 404


def test_errors_posted_from_the_action_page_come_back_on_that_page(client, alice):
    case = complaint(alice)
    client.force_login(alice)
    url = reverse("cases:action", args=[case.reference, "note", 0])
    response = client.post(url, {"on": "action-page", f"note-{case.pk}-text": ""})
    assert response.status_code == 400
    assert response.templates[0].name == "cases/action_page.html"


def test_deadlines_name_the_subject_and_the_working_days_left(client, alice, bob):
    officer = PersonFactory(forename="Nadia", surname="Okafor")
    case = investigating(complaint(alice, officer, supervisor=bob), alice, bob)
    track = case.tracks.get()
    services.track_assess_severity(
        actor=alice, track=track, severity=Severity.MISCONDUCT, rationale="Misconduct"
    )
    services.track_serve_notice(actor=alice, track=track, served_on=days_ago(0))
    client.force_login(alice)
    response = page(client, case)
    [row] = [r for r in response.context["deadlines"] if r.subject is not None]
    assert row.subject.pk == track.pk
    assert row.time_left == "10 working days left"  # CR 2020 reg 18
    html = response.content.decode()
    assert "10 working days left" in html and "Okafor" in html


def test_an_overdue_deadline_says_so(client, alice, bob):
    case = investigating(complaint(alice, supervisor=bob), alice, bob)
    track = case.tracks.get()
    services.track_assess_severity(
        actor=alice, track=track, severity=Severity.MISCONDUCT, rationale="Misconduct"
    )
    services.track_serve_notice(actor=alice, track=track, served_on=days_ago(40))
    client.force_login(alice)
    html = page(client, case).content.decode()
    assert "Overdue by" in html and "working days" in html


def test_notes_and_documents_are_listed_in_tables(client, alice, private_storage):  # noqa: F811
    case = complaint(alice)
    case_add_note(actor=alice, case=case, text="Spoke to the complainant")
    upload = SimpleUploadedFile("statement.pdf", PDF, content_type="application/pdf")
    case_add_document(actor=alice, case=case, upload=upload, description="Witness statement")
    client.force_login(alice)
    html = page(client, case).content.decode()
    notes = html[html.index('id="notes"') : html.index('id="documents"')]
    documents = html[html.index('id="documents"') : html.index('id="timeline"')]
    assert "govuk-table" in notes and "Spoke to the complainant" in notes
    assert "govuk-table" in documents and "statement.pdf" in documents
    assert "Witness statement" in documents


def test_timeline_filters_show_only_the_kinds_chosen(client, alice):
    case = complaint(alice)
    case_add_note(actor=alice, case=case, text="Only notes please")
    client.force_login(alice)
    response = page(client, case, show="notes")
    assert {e.group for e in response.context["timeline"]} == {"notes"}
    assert response.context["filtered"]
    everything = page(client, case)
    assert {"history", "notes"} <= {e.group for e in everything.context["timeline"]}


def test_a_long_timeline_folds_its_older_entries(client, alice):
    case = complaint(alice)
    for n in range(15):
        case_add_note(actor=alice, case=case, text=f"Note {n}")
    client.force_login(alice)
    response = page(client, case)
    assert len(response.context["timeline"]) == 10
    assert len(response.context["timeline_earlier"]) >= 6
    assert "earlier entries" in response.content.decode()


def test_early_intervention_warning_on_the_case_page(client, alice, settings):
    settings.PSD_EARLY_INTERVENTION_ALLEGATIONS = 2
    officer = PersonFactory(forename="Ian", surname="Vance")
    complaint(alice, officer)
    case = complaint(alice, officer)
    quiet = complaint(alice)
    client.force_login(alice)
    html = page(client, case).content.decode()
    assert "Early intervention" in html and "2 allegations in the last 12 months" in html
    assert "Early intervention" not in page(client, quiet).content.decode()


def test_reg_18_deadline_is_open_until_met(client, alice, bob):
    """The reg 18 window is listed while open; once representations are received it leaves
    the deadlines panel (it stays on the timeline as met)."""
    case = investigating(complaint(alice, supervisor=bob), alice, bob)
    track = case.tracks.get()
    services.track_assess_severity(
        actor=alice, track=track, severity=Severity.MISCONDUCT, rationale="Misconduct"
    )
    services.track_serve_notice(actor=alice, track=track, served_on=days_ago(1))
    services.track_representations_received(actor=alice, track=track)
    client.force_login(alice)
    response = page(client, case)
    assert all(r.subject is None for r in response.context["deadlines"])
    assert any(e.title.startswith("Deadline met") for e in response.context["timeline"])
    met = Deadline.objects.get(kind__code="reg17_representations")
    assert met.status == "met" and met.due_date == add_working_days(days_ago(1), 10)


def test_the_wizard_warns_at_the_subject_step(client, alice, settings):
    settings.PSD_EARLY_INTERVENTION_ALLEGATIONS = 2
    officer = PersonFactory(forename="Ian", surname="Vance")
    complaint(alice, officer)
    complaint(alice, officer)
    calm = PersonFactory(forename="Sue", surname="Vancey")
    client.force_login(alice)
    client.post(
        reverse("cases:new"),
        {
            "case_type": "conduct",
            "source": "internal",
            "received_on": days_ago(1).isoformat(),
            "summary": "Seen on CCTV",
        },
    )
    url = reverse("cases:new_allegations")
    found = client.get(url, {"q": "Vance"}).content.decode()
    assert "Early intervention: 2 allegations in 12 months" in found
    client.post(url, {"do": "pick", "person": calm.pk, "q": ""})
    assert "Early intervention" not in client.get(url).content.decode()
    client.post(url, {"do": "pick", "person": officer.pk, "q": ""})
    html = client.get(url).content.decode()
    assert "Ian Vance is the subject of 2 allegations in the last 12 months" in html


def test_only_the_five_newest_notes_are_listed_before_a_fold(client, alice):
    case = complaint(alice)
    for n in range(7):
        case_add_note(actor=alice, case=case, text=f"Call {n}")
    client.force_login(alice)
    html = page(client, case).content.decode()
    notes = html[html.index('id="notes"') : html.index('id="documents"')]
    assert "Show 2 older notes" in notes
    assert notes.index("Call 6") < notes.index("Show 2 older notes") < notes.index("Call 0")
