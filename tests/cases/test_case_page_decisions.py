"""What the approver sees (each proposal's per-subject content) and the forms' safe defaults:
no preselected "Not a complaint" result, no preselected "No misconduct" severity."""

import pytest
from django.urls import reverse

from cases import services
from cases.models import Decision, TrackState
from cases.selectors.decisions import describe_payload
from tests.accounts.factories import PersonFactory
from tests.cases.factories import complaint, conduct_matter
from tests.cases.helpers import post_action
from tests.cases.routes import investigating, outcome_approved, report_submitted

pytestmark = pytest.mark.django_db
QUEUE = reverse("cases:approvals")


def test_the_queue_shows_the_case_to_answer_decision_per_officer(client, alice, bob):
    nadia = PersonFactory(forename="Nadia", surname="Okafor")
    ian = PersonFactory(forename="Ian", surname="Vance")
    case = report_submitted(complaint(alice, nadia, ian, supervisor=bob), alice, bob)
    tracks = {t.person_id: t for t in case.tracks.filter(state=TrackState.AWAITING_DECISION)}
    services.case_propose_case_to_answer(
        actor=alice,
        case=case,
        answers={tracks[nadia.pk].pk: True, tracks[ian.pk].pk: False},
        rationale="See the report",
    )
    client.force_login(bob)
    html = client.get(QUEUE).content.decode()
    card = html[html.index("Case to answer, per subject") :]
    nadia_row = card[card.index("Okafor") : card.index("</tr>", card.index("Okafor"))]
    ian_row = card[card.index("Vance") : card.index("</tr>", card.index("Vance"))]
    assert "Case to answer" in nadia_row and "No case to answer" not in nadia_row
    assert "No case to answer" in ian_row
    assert "Misconduct" in nadia_row  # the severity the decision is about


def test_the_queue_shows_the_proposed_result_for_the_complainant(client, alice, bob):
    case = outcome_approved(complaint(alice, supervisor=bob), alice, bob)
    services.case_propose_finalisation(
        actor=alice,
        case=case,
        rationale="Outcome sent",
        result="not_acceptable",
        outcome_sent_on=case.received_on,
    )
    client.force_login(bob)
    assert "Service provided was not acceptable" in client.get(QUEUE).content.decode()


def test_finalising_a_complaint_needs_an_explicit_result(client, alice, bob):
    case = outcome_approved(complaint(alice, supervisor=bob), alice, bob)
    client.force_login(alice)
    html = client.get(case.get_absolute_url()).content.decode()
    assert "Not a complaint" not in html
    assert "Choose the result" in html
    response = post_action(
        client,
        case,
        "propose_finalisation",
        result="",
        outcome_sent_on=case.received_on.isoformat(),
        rationale="Sent",
    )
    assert response.status_code == 400
    assert "Choose the result for the complainant." in response.content.decode()


def test_finalising_a_conduct_matter_asks_no_result(client, alice, bob):
    case = outcome_approved(conduct_matter(alice, supervisor=bob), alice, bob)
    client.force_login(alice)
    [form] = [
        a.form
        for a in client.get(case.get_absolute_url()).context["next_actions"]
        if a.spec.name == "propose_finalisation"
    ]
    assert form.fields["result"].widget.is_hidden


def test_severity_has_no_default_and_must_be_chosen(client, alice, bob):
    case = investigating(complaint(alice, supervisor=bob), alice, bob)
    track = case.tracks.get()
    client.force_login(alice)
    [form] = [
        a.form
        for a in client.get(case.get_absolute_url()).context["next_actions"]
        if a.spec.name == "assess_severity"
    ]
    assert form["severity"].value() in (None, "")
    assert list(form.fields["severity"].choices)[0] == ("", "Choose the severity")
    response = post_action(client, case, "assess_severity", track, rationale="Looked at it")
    assert response.status_code == 400
    assert "Choose the severity." in response.content.decode()
    track.refresh_from_db()
    assert track.state == TrackState.PENDING


def test_a_proposal_names_the_level_and_whether_proceedings_follow():
    decision = Decision(
        kind="case_to_answer",
        payload={
            "answers": {"1": True, "2": True, "3": False},
            "levels": {"1": "gross", "2": "misconduct"},
            "proceedings": {"1": True, "2": False},
        },
    )
    texts = [a.text for a in describe_payload(decision, []).answers]
    assert texts == [
        "Case to answer for gross misconduct",
        "Case to answer for misconduct, no proceedings",
        "No case to answer",
    ]
