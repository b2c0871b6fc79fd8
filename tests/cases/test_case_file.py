"""The case file (issue 22): a printable page and a PDF with an index, summary, allegations,
subjects, decisions, outcomes and timeline, for hearings and the IOPC; internal notes left
out; each a logged read (the PDF as an export); hidden cases answer 404."""

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from cases.services.notes import case_add_note
from tests.accounts.factories import PersonFactory
from tests.cases.factories import complaint
from tests.cases.routes import outcome_approved

pytestmark = pytest.mark.django_db


def test_case_file_page_has_every_section_in_order(client, alice, bob):
    officer = PersonFactory(forename="Nadia", surname="Okafor")
    case = outcome_approved(complaint(alice, officer, supervisor=bob), alice, bob)
    case_add_note(actor=alice, case=case, text="Internal only: do not disclose")
    client.force_login(alice)
    response = client.get(reverse("cases:file", args=[case.reference]))
    assert response.status_code == 200
    html = response.content.decode()
    headings = ["Index", "Summary", "Allegations", "Subjects", "Decisions", "Outcomes", "Timeline"]
    positions = [html.index(f">{h}<") if h == "Index" else html.index(f". {h}<") for h in headings]
    assert positions == sorted(positions)
    assert "Okafor" in html and "written warning" in html.lower()
    assert "Case to answer" in html  # the case-to-answer decision, per officer
    assert "Internal only" not in html
    assert reverse("cases:file_pdf", args=[case.reference]) in html


def test_case_file_pdf_is_a_logged_export(client, alice, bob):
    case = outcome_approved(complaint(alice, supervisor=bob), alice, bob)
    client.force_login(alice)
    response = client.get(reverse("cases:file_pdf", args=[case.reference]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert f"case-file-{case.reference}.pdf" in response["Content-Disposition"]
    assert AuditEntry.objects.filter(object_pk=str(case.pk), action="read.export").exists()


def test_case_file_of_a_hidden_case_is_404(client, alice, dave):
    case = complaint(alice)
    client.force_login(dave)
    assert client.get(reverse("cases:file", args=[case.reference])).status_code == 404
    assert client.get(reverse("cases:file_pdf", args=[case.reference])).status_code == 404
