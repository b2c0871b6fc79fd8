"""The public complaint form: steps kept in the session, errors that keep what was typed, a
check-your-answers page, throttled sending, and a received complaint in the intake queue."""

import datetime
import importlib

import pytest
from django.apps import apps as django_apps
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Team
from cases.models import Case
from cases.services import case_handle_outside_schedule_3
from correspondence.complaint_views import SESSION_KEY
from correspondence.intake import FORM_USERNAME
from correspondence.models import Letter
from psd.domain import DomainError
from tests.cases.factories import OUTSIDE_NO

pytestmark = pytest.mark.django_db

ANSWERS = {
    "about-you": {
        "name": "Jo Public",
        "for_someone_else": "no",
        "email": "jo@example.org",
        "phone": "",
        "address": "",
    },
    "what-happened": {"what": "An officer pushed me at the bus station."},
    "when-and-where": {"when": "2026-11-20", "where": "Central bus station"},
    "who": {"who": "PC with collar number 1234"},
    "what-you-want": {"wanted": "An apology", "record": "yes"},
}


def step_url(step: str) -> str:
    return reverse("complaint:step", args=[step])


@pytest.fixture(autouse=True)
def intake(team_a, bob):
    cache.clear()  # throttle counters
    team_a.receives_anonymous_reports = True
    team_a.supervisor = bob
    team_a.save()
    return team_a


def fill_all(client: Client) -> None:
    for step, answers in ANSWERS.items():
        response = client.post(step_url(step), answers)
        assert response.status_code == 302, (step, response.content[:2000])


def test_happy_path_lands_in_the_intake_queue_with_an_acknowledgement(
    alice, bob, dave, mailoutbox, django_capture_on_commit_callbacks
):
    client = Client()
    assert client.get(reverse("complaint:start")).status_code == 200
    fill_all(client)
    check = client.get(reverse("complaint:check"))
    assert b"Jo Public" in check.content and b"Central bus station" in check.content
    assert b"20 November 2026" in check.content
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("complaint:check"))
    assert response.status_code == 302 and response["Location"] == reverse("complaint:sent")
    case = Case.objects.get()
    assert case.state == "received" and case.investigator is None and case.team.name == "PSD Team A"
    assert case.source == "public" and case.received_on == timezone.localdate()
    assert "An officer pushed me" in case.summary and "Formally recorded: Yes" in case.summary
    assert case.created_by.username == FORM_USERNAME
    complainant = case.complainants.get()
    assert (complainant.name, complainant.email) == ("Jo Public", "jo@example.org")
    # The complainant's account is the first allegation, about the force until assessed.
    allegation = case.allegations.get()
    assert "An officer pushed me" in allegation.summary and allegation.about_force
    assert allegation.category.name == "Delivery of duties and service"
    letter = Letter.objects.get(case=case)
    assert letter.template.kind == "acknowledgement" and letter.sent_how == "email"
    assert mailoutbox[0].to == ["jo@example.org"]
    sent = client.get(reverse("complaint:sent"))
    assert case.reference.encode() in sent.content
    assert SESSION_KEY not in client.session
    # The intake team sees it; another team's investigator does not.
    for user, status in [(alice, 200), (bob, 200), (dave, 404)]:
        staff = Client()
        staff.force_login(user)
        assert staff.get(case.get_absolute_url()).status_code == status, user


def test_someone_acting_for_the_complainant(db):
    client = Client()
    answers = ANSWERS | {
        "about-you": ANSWERS["about-you"] | {"for_someone_else": "yes", "on_behalf_of": "Lee Kin"}
    }
    for step, data in answers.items():
        client.post(step_url(step), data)
    client.post(reverse("complaint:check"))
    complainant = Case.objects.get().complainants.get()
    assert (complainant.name, complainant.acting_for) == ("Lee Kin", "Jo Public")


def test_bad_input_is_refused_clearly_and_nothing_typed_is_lost(db):
    client = Client()
    response = client.post(
        step_url("about-you"),
        {"name": "Jo Public", "for_someone_else": "yes", "phone": "", "address": "1 High St"},
        follow=True,
    )
    assert response.redirect_chain == [(step_url("about-you"), 302)]
    assert response.status_code == 400
    text = response.content.decode()
    assert "There is a problem" in text
    assert "Enter the full name of the person you complain for." in text
    assert 'value="Jo Public"' in text and "1 High St" in text
    future = (timezone.localdate() + datetime.timedelta(days=2)).isoformat()
    response = client.post(
        step_url("when-and-where"), {"when": future, "where": "Station"}, follow=True
    )
    assert response.status_code == 400 and b"today or in the past" in response.content
    assert b'value="Station"' in response.content
    assert not Case.objects.exists()
    # Coming back to the step later still shows what was typed, with the problem.
    again = client.get(step_url("about-you"))
    assert again.status_code == 400 and "1 High St" in again.content.decode()
    fixed = dict(ANSWERS["about-you"], for_someone_else="yes", on_behalf_of="Lee Kin")
    assert client.post(step_url("about-you"), fixed).status_code == 302
    assert client.get(step_url("about-you")).status_code == 200


def test_going_back_shows_the_saved_answers(db):
    client = Client()
    fill_all(client)
    page = client.get(step_url("what-happened")).content.decode()
    assert "An officer pushed me at the bus station." in page
    # A change from the check page returns to it.
    response = client.post(step_url("who") + "?change=1", {"who": "Two officers", "change": "1"})
    assert response["Location"] == reverse("complaint:check")
    assert b"Two officers" in client.get(reverse("complaint:check")).content


def test_check_page_says_what_is_missing(db):
    client = Client()
    client.post(step_url("about-you"), ANSWERS["about-you"])
    response = client.get(reverse("complaint:check"))
    assert b"Your complaint is not finished" in response.content
    assert client.post(reverse("complaint:check")).status_code == 200
    assert not Case.objects.exists()


def test_sending_is_throttled_and_keeps_the_answers(db, settings):
    settings.COMPLAINT_SUBMIT_CEILING = 5
    client = Client()
    for _ in range(5):
        fill_all(client)
        assert client.post(reverse("complaint:check")).status_code == 302
    fill_all(client)
    response = client.post(reverse("complaint:check"))
    assert response.status_code == 429 and b"Too many complaints" in response.content
    assert Case.objects.count() == 5
    assert client.session[SESSION_KEY]["who"] == ANSWERS["who"]


def test_csrf_is_enforced(db):
    client = Client(enforce_csrf_checks=True)
    assert client.post(step_url("about-you"), ANSWERS["about-you"]).status_code == 403


def test_no_intake_team_means_a_clear_refusal(db, intake):
    Team.objects.filter(pk=intake.pk).update(receives_anonymous_reports=False)
    client = Client()
    fill_all(client)
    response = client.post(reverse("complaint:check"))
    assert response.status_code == 503 and b"cannot take complaints" in response.content
    assert not Case.objects.exists()


def _send(client: Client, record: str) -> Case:
    for step, answers in ANSWERS.items():
        if step == "what-you-want":
            answers = answers | {"record": record}
        assert client.post(step_url(step), answers).status_code == 302
    assert client.post(reverse("complaint:check")).status_code == 302
    return Case.objects.latest("pk")


def test_the_form_asks_about_recording_as_a_fieldset_with_a_legend(db):
    html = Client().get(step_url("what-you-want")).content.decode()
    fieldset = html[html.index('<fieldset class="govuk-fieldset"') :]
    fieldset = fieldset[: fieldset.index("</fieldset>")]
    assert "<legend" in fieldset and "Do you want your complaint formally recorded?" in fieldset
    assert fieldset.count('type="radio"') == 3 and "at any time" in fieldset


def test_a_yes_on_the_form_is_kept_on_the_case_and_refuses_handling_outside(alice):
    case = _send(Client(), "yes")
    today = timezone.localdate()
    assert case.handling_answers == {
        "recording_wish": {"answer": "yes", "on": today.isoformat(), "channel": "public_form"}
    }
    with pytest.raises(DomainError) as err:
        case_handle_outside_schedule_3(actor=alice, case=case, reason="Quick", answers=OUTSIDE_NO)
    assert "PRA 2002 Sch 3 para 2(6A)(a)" in err.value.message
    assert err.value.message.endswith(
        "the complainant asked for it to be recorded on the public complaint form on "
        f"{today.day} {today:%B %Y}."
    )
    assert Case.objects.get(pk=case.pk).state == "received"


@pytest.mark.parametrize("record", ["no", "unsure"])
def test_a_no_on_the_form_leaves_the_caseworker_to_decide(alice, record):
    case = _send(Client(), record)
    assert case.handling_answers["recording_wish"]["answer"] == record
    case_handle_outside_schedule_3(actor=alice, case=case, reason="Apology", answers=OUTSIDE_NO)
    assert Case.objects.get(pk=case.pk).state == "outside_sch3"


def test_complaints_sent_before_the_answer_was_kept_get_it_from_their_summary(alice):
    migration = importlib.import_module("cases.migrations.0012_recording_wish_from_public_form")
    yes, unsure = _send(Client(), "yes"), _send(Client(), "unsure")
    Case.objects.update(handling_answers={})  # as stored before
    migration.forwards(django_apps, None)
    assert Case.objects.get(pk=yes.pk).handling_answers == yes.handling_answers
    assert Case.objects.get(pk=unsure.pk).handling_answers == unsure.handling_answers
