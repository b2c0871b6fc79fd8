"""A report becomes a conduct matter in the triager's words, linked and audited."""

import pytest
from django.urls import reverse

from cases.models import Case, CaseType
from reporting import selectors, services
from reporting.models import ReportEvent, ReportEventAction, ReportStatus
from tests.reporting.factories import SubmittedReportFactory

pytestmark = pytest.mark.django_db

WORDS = "I saw PC Lane pocket the cash at the Elm Street search on Friday."


@pytest.fixture
def report(db):
    return SubmittedReportFactory(what=WORDS).report


def test_conduct_matter_carries_the_link_summary_and_an_audit_entry(client, report, carol):
    client.force_login(carol)
    response = client.post(
        reverse("reporting:triage_conduct_matter", args=[report.pk]),
        {"summary": "Alleged theft of seized cash during a search.", "reason": "Credible detail"},
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
