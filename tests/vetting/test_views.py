"""The vetting pages: only vetting officers see vetting data (it is sensitive and not for
case investigators); forms refuse bad input with a clear message and save nothing."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.accounts.factories import PersonFactory
from vetting import services
from vetting.models import ApplicationStatus, Clearance, VettingApplication

from .factories import (
    applicant_application,
    barred_entry,
    days_ago,
    granted,
    person_application,
    reason,
    record_checks,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def application(victor):
    return person_application(victor, PersonFactory(surname="Okafor"))


def urls(application) -> list[str]:
    person = application.person
    return [
        reverse("vetting:queue"),
        reverse("vetting:application_new"),
        application.get_absolute_url(),
        reverse("vetting:person", args=[person.pk]),
        reverse("vetting:due"),
        reverse("vetting:due") + "?format=csv",
    ]


@pytest.mark.parametrize("who", ["alice", "bob", "carol", "eve", "ada"])
def test_no_one_but_vetting_officers_opens_vetting_pages(client, request, application, who):
    client.force_login(request.getfixturevalue(who))
    refused = 404 if who == "ada" else 403  # the administrator: 404 on content (issue 12)
    for url in urls(application):
        assert client.get(url).status_code == refused, url
    action = reverse("vetting:application_action", args=[application.pk, "grant"])
    assert client.post(action, {"grant-granted_on": days_ago(0)}).status_code == refused
    assert VettingApplication.objects.get().status == ApplicationStatus.OPEN


def test_vetting_officers_open_every_vetting_page(client, victor, application):
    client.force_login(victor)
    for url in urls(application):
        assert client.get(url).status_code == 200, url


def test_the_person_page_shows_the_vetting_section_to_vetting_officers_only(client, victor, alice):
    officer = PersonFactory()
    granted(victor, officer, code="mv")
    page = reverse("accounts:person_detail", args=[officer.pk])
    client.force_login(alice)
    body = client.get(page).content.decode()
    assert 'id="vetting-section-title"' not in body and "Management vetting" not in body
    client.force_login(victor)
    body = client.get(page).content.decode()
    assert 'id="vetting-section-title"' in body and "Management vetting" in body


def test_the_vetting_nav_entry_is_for_vetting_officers(client, victor, alice):
    client.force_login(victor)
    assert 'href="/vetting/"' in client.get(reverse("accounts:person_list")).content.decode()
    client.force_login(alice)
    assert 'href="/vetting/"' not in client.get(reverse("accounts:person_list")).content.decode()


def test_recording_an_applicant_from_the_form(client, victor):
    client.force_login(victor)
    response = client.post(
        reverse("vetting:application_new"),
        {
            "forename": "Ola",
            "surname": "Nowak",
            "date_of_birth": "1998-02-03",
            "level": "",
            "received_on": days_ago(1),
        },
    )
    assert response.status_code == 200 and "There is a problem" in response.content.decode()
    level = VettingApplication._meta.get_field("level").related_model.objects.get(code="rv")
    response = client.post(
        reverse("vetting:application_new"),
        {
            "forename": "Ola",
            "surname": "Nowak",
            "date_of_birth": "1998-02-03",
            "level": level.pk,
            "received_on": days_ago(1),
        },
    )
    application = VettingApplication.objects.get()
    assert response.status_code == 302 and response.url == application.get_absolute_url()
    assert application.applicant.full_name == "Ola Nowak"


def test_granting_without_the_checks_shows_why_and_saves_nothing(client, victor, application):
    client.force_login(victor)
    response = client.post(
        reverse("vetting:application_action", args=[application.pk, "grant"]),
        {"grant-granted_on": days_ago(0)},
    )
    assert response.status_code == 400
    assert "Record every mandatory check before granting" in response.content.decode()
    assert not Clearance.objects.exists()


def test_a_refusal_without_a_reason_is_refused(client, victor, application):
    client.force_login(victor)
    response = client.post(
        reverse("vetting:application_action", args=[application.pk, "propose_refusal"]),
        {"propose_refusal-details": "Debts"},
    )
    assert response.status_code == 400
    assert "Choose the reason for the refusal." in response.content.decode()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.OPEN


def test_four_eyes_on_the_page(client, victor, vera, application):
    services.application_propose_refusal(
        actor=victor, application=application, reason=reason("honesty")
    )
    approve = reverse("vetting:application_action", args=[application.pk, "approve_refusal"])
    client.force_login(victor)
    page = client.get(application.get_absolute_url()).content.decode()
    assert "A second vetting officer must approve this refusal: you proposed it." in page
    assert 'name="approve_refusal-decided_on"' not in page  # not offered to the proposer
    client.force_login(vera)
    assert (
        'name="approve_refusal-decided_on"'
        in client.get(application.get_absolute_url()).content.decode()
    )
    client.force_login(victor)
    response = client.post(approve, {"approve_refusal-decided_on": days_ago(0)})
    assert "A second vetting officer must approve" in response.content.decode()
    client.force_login(vera)
    assert client.post(approve, {"approve_refusal-decided_on": days_ago(0)}).status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.REFUSED


def test_checks_and_grant_through_the_page(client, victor, application):
    record_checks(victor, application)
    client.force_login(victor)
    response = client.post(
        reverse("vetting:application_action", args=[application.pk, "grant"]),
        {"grant-granted_on": days_ago(0), "grant-expires_on": days_ago(1)},
    )
    assert "must be after the date of grant" in response.content.decode()
    response = client.post(
        reverse("vetting:application_action", args=[application.pk, "grant"]),
        {"grant-granted_on": days_ago(0)},
    )
    assert response.status_code == 302
    assert Clearance.objects.get().person == application.person


def test_due_list_filters_and_exports_csv(client, victor):
    soon = PersonFactory(surname="Soon")
    later = PersonFactory(surname="Later")
    granted(victor, soon, expires_on=days_ago(-20))
    granted(victor, later, expires_on=days_ago(-200))
    client.force_login(victor)
    body = client.get(reverse("vetting:due"), {"within": "30"}).content.decode()
    assert "Soon" in body and "Later" not in body
    response = client.get(reverse("vetting:due"), {"within": "365", "format": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["Due", "Overdue", "Number"]
    assert [row[3] for row in rows[1:]] == ["Soon", "Later"]


def test_dashboard_figures(client, victor, vera):
    officer = PersonFactory()
    granted(victor, officer, expires_on=days_ago(-45))
    refused = person_application(victor)
    services.application_propose_refusal(
        actor=victor, application=refused, reason=reason("financial")
    )
    services.application_approve_refusal(actor=vera, application=refused)
    client.force_login(victor)
    body = client.get(reverse("accounts:dashboard", args=["vetting_officer"])).content.decode()
    assert "Vetting figures" in body
    cell, number = (
        '<td class="govuk-table__cell">',
        '<td class="govuk-table__cell govuk-table__cell--numeric">',
    )
    assert f"{cell}Financial vulnerability</td>{number}1</td>" in body
    assert '?within=90&amp;kind=expiry">1</a>' in body


def test_suspending_a_clearance_needs_a_reason(client, victor):
    officer = PersonFactory()
    granted(victor, officer)
    clearance = Clearance.objects.get()
    url = reverse("vetting:person_action", args=[officer.pk, "clearance_status"])
    client.force_login(victor)
    assert client.get(reverse("vetting:person", args=[officer.pk])).status_code == 200
    data = {
        "clearance_status-clearance": clearance.pk,
        "clearance_status-action": "suspend",
        "clearance_status-on": days_ago(0),
    }
    response = client.post(url, {**data, "clearance_status-reason": ""})
    assert response.status_code == 400
    assert "Give a reason to suspend the clearance." in response.content.decode()
    clearance.refresh_from_db()
    assert clearance.status == "active"
    response = client.post(url, {**data, "clearance_status-reason": "Arrested"})
    assert response.status_code == 302
    clearance.refresh_from_db()
    assert clearance.status == "suspended"


def test_resolving_a_list_match_on_the_page(client, victor):
    entry = barred_entry()
    application = applicant_application(victor)
    client.force_login(victor)
    page = client.get(application.get_absolute_url()).content.decode()
    assert "Possible barred list match: Jamie Fletcher" in page
    assert "Resolve the match with Jamie Fletcher" in page
    response = client.post(
        reverse("vetting:application_action", args=[application.pk, "resolve"]),
        {
            "resolve-entry_type": "barred",
            "resolve-entry_id": entry.pk,
            "resolve-resolution": "not_same",
            "resolve-reason": "Different National Insurance no.",
        },
    )
    assert response.status_code == 302
    page = client.get(application.get_absolute_url()).content.decode()
    assert "Not the same person</strong> — Different National Insurance no." in page


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def test_lists_do_not_query_per_row(client, victor):
    """The queue, the due list and the dashboard figures cost the same for 1 row or 6."""
    pages = [
        reverse("vetting:queue"),
        reverse("vetting:due"),
        reverse("accounts:dashboard", args=["vetting_officer"]),
    ]
    client.force_login(victor)
    counts = []
    for rows in (1, 5):
        for _ in range(rows):
            person_application(victor)
            granted(victor, PersonFactory(), expires_on=days_ago(-20))
        client.get(pages[0])  # warm per-session caches
        counts.append([_queries(client, url) for url in pages])
    assert counts[0] == counts[1]
    assert counts[0][0] <= 12  # the queue: session, user, permissions, one list query
