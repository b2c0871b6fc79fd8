"""Notes and documents: allow-list by extension and content, 10 MB, private storage, served
only to those who may see the case, always as a download."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cases.models import CaseDocument, CaseNote
from tests.cases.factories import complaint
from tests.cases.helpers import post_action

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.fixture
def private_storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path), "base_url": None},
        },
    }
    return tmp_path


def upload(client, case, name, content, description="Statement"):
    return post_action(
        client,
        case,
        "document",
        description=description,
        files={"file": SimpleUploadedFile(name, content)},
    )


@pytest.mark.parametrize(
    "name,content",
    [
        ("s.pdf", PDF),
        ("p.png", PNG),
        ("p.jpg", b"\xff\xd8\xff\xe0" + b"0" * 20),
        ("w.docx", docx()),
        ("n.txt", "Witness said — café".encode()),
    ],
)
def test_allowed_documents_are_stored_privately_and_downloaded(
    client, alice, private_storage, name, content
):
    case = complaint(alice)
    client.force_login(alice)
    assert upload(client, case, name, content).status_code == 302
    document = CaseDocument.objects.get(case=case)
    assert document.original_name == name and document.size == len(content)
    stored = private_storage / document.file.name
    assert stored.exists() and name not in stored.name  # random stored name
    response = client.get(document.get_absolute_url())
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == content


@pytest.mark.parametrize(
    "name,content,message",
    [
        ("evil.exe", b"MZ\x90\x00", "must be a PDF, PNG"),
        ("fake.pdf", b"<html><script>alert(1)</script>", "not a valid PDF"),
        ("page.txt", b"<!DOCTYPE html><html></html>", "not a valid TXT"),
        ("fake.docx", b"PK\x03\x04not a zip", "not a valid DOCX"),
        ("empty.txt", b"", "empty"),
    ],
)
def test_disallowed_documents_are_refused_with_a_message(
    client, alice, private_storage, name, content, message
):
    case = complaint(alice)
    client.force_login(alice)
    response = upload(client, case, name, content)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not CaseDocument.objects.exists()


def test_oversize_document_is_refused(client, alice, private_storage):
    case = complaint(alice)
    client.force_login(alice)
    response = upload(client, case, "big.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024))
    assert response.status_code == 400
    assert "10 MB or smaller" in response.content.decode()
    assert not CaseDocument.objects.exists()


def test_documents_of_invisible_cases_are_404(client, alice, dave, private_storage):
    case = complaint(alice)
    other = complaint(alice)
    client.force_login(alice)
    upload(client, case, "s.pdf", PDF)
    document = CaseDocument.objects.get()
    client.force_login(dave)
    assert client.get(document.get_absolute_url()).status_code == 404
    client.force_login(alice)
    wrong_case = reverse("cases:document", args=[other.reference, document.pk])
    assert client.get(wrong_case).status_code == 404


def test_note_is_added_and_shown_on_the_timeline(client, alice):
    case = complaint(alice)
    client.force_login(alice)
    assert post_action(client, case, "note", text="Called the complainant").status_code == 302
    assert CaseNote.objects.get().author == alice
    assert "Called the complainant" in client.get(case.get_absolute_url()).content.decode()
    response = post_action(client, case, "note", text="   ")
    assert response.status_code == 400
