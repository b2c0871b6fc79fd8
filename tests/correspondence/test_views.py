"""The staff pages: a case's letters and bundle, and the template editor."""

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from correspondence.bundle import bundle_build
from correspondence.models import Bundle, Letter, LetterTemplate
from tests.cases.factories import complaint

pytestmark = pytest.mark.django_db


def letters_url(case) -> str:
    return reverse("correspondence:case_letters", args=[case.reference])


def test_generate_a_letter_from_the_case_page(client, alice, bob):
    case = complaint(alice, supervisor=bob)
    client.force_login(alice)
    page = client.get(letters_url(case))
    assert page.status_code == 200 and b"Generate a letter" in page.content
    response = client.post(
        letters_url(case),
        {"kind": "update", "progress": "", "sent_on": timezone.localdate(), "sent_how": "post"},
    )
    assert response.status_code == 400
    assert "what has happened since the last update" in response.content.decode()
    assert not Letter.objects.exists()
    response = client.post(
        letters_url(case),
        {
            "kind": "update",
            "progress": "CCTV obtained.",
            "sent_on": timezone.localdate(),
            "sent_how": "post",
        },
    )
    assert response.status_code == 302
    letter = Letter.objects.get()
    page = client.get(letters_url(case)).content.decode()
    assert letter.subject in page and letter.pdf.get_absolute_url() in page
    assert client.get(letter.pdf.get_absolute_url()).status_code == 200


def test_bundle_download_for_the_team_and_404_for_another_team(client, alice, bob, dave):
    case = complaint(alice, supervisor=bob)
    bundle = Bundle.objects.create(case=case, requested_by=alice)
    bundle_build(bundle_id=bundle.pk)
    url = reverse("correspondence:bundle_download", args=[case.reference, bundle.pk])
    client.force_login(dave)
    assert client.get(url).status_code == 404
    assert client.get(letters_url(case)).status_code == 404
    assert (
        client.post(reverse("correspondence:bundle_request", args=[case.reference])).status_code
        == 404
    )
    client.force_login(alice)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert AuditEntry.objects.filter(action="read.export", actor=alice).exists()


def test_a_supervisor_edits_a_template_and_an_investigator_may_only_read(client, alice, bob):
    url = reverse("correspondence:template_edit", args=["update"])
    client.force_login(alice)
    page = client.get(url)
    assert page.status_code == 200 and b"Save as a new version" not in page.content
    client.post(url, {"subject": "x $reference", "body": "y", "change_note": "z"})
    assert LetterTemplate.objects.filter(kind="update").count() == 1
    client.force_login(bob)
    response = client.post(
        url, {"subject": "Update $reference", "body": "$nope", "change_note": "n"}
    )
    assert response.status_code == 400 and b"$nope" in response.content
    response = client.post(
        url, {"subject": "Update $reference", "body": "News: $progress", "change_note": "Shorter"}
    )
    assert response.status_code == 302
    assert LetterTemplate.objects.filter(kind="update").count() == 2
    assert b"v2" in client.get(reverse("correspondence:templates")).content
