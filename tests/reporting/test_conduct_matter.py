"""A report becomes a conduct matter in the triager's words, linked and audited."""

import pytest
from django.urls import reverse

from cases.models import Case, CaseType
from reporting import selectors, services
from reporting.models import ReportEvent, ReportEventAction, ReportStatus
from tests.accounts.factories import PersonFactory
from tests.cases.factories import category
from tests.reporting.factories import SubmittedReportFactory

pytestmark = pytest.mark.django_db

WORDS = "I saw PC Lane pocket the cash at the Elm Street search on Friday."


@pytest.fixture
def report(db):
    return SubmittedReportFactory(what=WORDS).report


def test_conduct_matter_carries_the_link_summary_and_an_audit_entry(client, report, carol):
    lane = PersonFactory(surname="Lane")
    client.force_login(carol)
    response = client.post(
        reverse("reporting:triage_conduct_matter", args=[report.pk]),
        {
            "summary": "Alleged theft of seized cash during a search.",
            "reason": "Credible detail",
            "category": category().pk,
            "subjects": f" {lane.number.lower()} ",
        },
    )
    assert response.status_code == 302
    report = selectors.report_get(pk=report.pk)
    case = Case.objects.get()
    assert report.conduct_matter == case
    assert report.status == ReportStatus.CONDUCT_MATTER
    assert case.case_type == CaseType.CONDUCT_MATTER
    assert case.source == "anonymous_report"
    assert case.received_on == report.received_on
    assert case.summary == "Alleged theft of seized cash during a search."
    assert WORDS not in case.summary  # not the reporter's words unless chosen
    allegation = case.allegations.get()  # a conduct matter has its allegation (issue 17)
    assert allegation.summary == case.summary and list(allegation.subjects.all()) == [lane]
    assert case.tracks.get().person == lane
    event = ReportEvent.objects.get(action=ReportEventAction.CONDUCT_MATTER_CREATED)
    assert event.actor == carol and case.reference in event.reason
    page = client.get(reverse("reporting:triage_detail", args=[report.pk])).content.decode()
    assert case.get_absolute_url() in page


def test_reporter_text_is_copied_only_when_chosen(report, bob):
    case = services.report_create_conduct_matter(
        actor=bob,
        report=report,
        summary="Alleged theft of seized cash.",
        reason="Credible",
        copy_reporter_text=True,
        category=category(),
        about_force=True,
    )
    assert WORDS in case.summary
    assert "copied" in ReportEvent.objects.get(action="conduct_matter_created").reason


def test_a_closed_report_cannot_become_a_conduct_matter(report, bob):
    services.report_close(actor=bob, report=report, reason="Not misconduct.")
    with pytest.raises(services.DomainError, match="closed"):
        services.report_create_conduct_matter(
            actor=bob, report=report, summary="x", reason="y", copy_reporter_text=False
        )
    assert not Case.objects.exists()


def test_summary_is_required(client, report, bob):
    client.force_login(bob)
    response = client.post(
        reverse("reporting:triage_conduct_matter", args=[report.pk]), {"summary": "", "reason": ""}
    )
    assert response.status_code == 200 and "There is a problem" in response.content.decode()
    assert not Case.objects.exists()


def test_a_conduct_matter_needs_its_allegation_from_triage_too(client, report, bob):
    with pytest.raises(services.DomainError, match="category of the allegation"):
        services.report_create_conduct_matter(actor=bob, report=report, summary="x", reason="y")
    with pytest.raises(services.DomainError, match="at least one subject, or must be about"):
        services.report_create_conduct_matter(
            actor=bob, report=report, summary="x", reason="y", category=category()
        )
    client.force_login(bob)
    page = client.post(
        reverse("reporting:triage_conduct_matter", args=[report.pk]),
        {"summary": "x", "reason": "y", "category": category().pk, "subjects": "NOPE1"},
    ).content.decode()
    assert "No one in the register has the number NOPE1." in page
    assert not Case.objects.exists()
