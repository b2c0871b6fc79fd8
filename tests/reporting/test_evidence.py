"""Evidence keeps its pixels or pages but loses camera, location, author and software details."""

import io

import pikepdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image, PngImagePlugin

from psd.domain import DomainError
from reporting import evidence, services
from reporting.models import Evidence, ReportEvent
from tests.reporting.helpers import assert_anonymous_headers, submit_report

pytestmark = pytest.mark.django_db

AUTHOR = "Detective Sergeant Marker-Author"


def jpeg_with_exif() -> bytes:
    image = Image.new("RGB", (40, 30), (200, 10, 10))
    exif = Image.Exif()
    exif[0x010F] = "CanaryCam"  # Make
    exif[0x013B] = AUTHOR  # Artist
    exif[0x0131] = "MarkerSoft 1.0"  # Software
    exif[0x8825] = {1: "N", 2: (51.0, 30.0, 0.0)}  # GPS latitude
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif, icc_profile=b"ICC-" + AUTHOR.encode())
    return out.getvalue()


def png_with_text() -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", AUTHOR)
    info.add_itxt("XML:com.adobe.xmp", f"<x:xmpmeta>{AUTHOR}</x:xmpmeta>")
    out = io.BytesIO()
    Image.new("RGBA", (20, 20), (0, 0, 255, 128)).save(out, format="PNG", pnginfo=info)
    return out.getvalue()


def pdf_with_metadata(*, encrypt: bool = False, attach: bool = False) -> bytes:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.docinfo["/Author"] = AUTHOR
    pdf.docinfo["/Producer"] = "MarkerSoft PDF"
    with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
        meta["dc:creator"] = [AUTHOR]
    if attach:
        pdf.attachments["notes.txt"] = pikepdf.AttachedFileSpec(pdf, b"hello")
    out = io.BytesIO()
    kwargs = {"encryption": pikepdf.Encryption(owner="o", user="u")} if encrypt else {}
    pdf.save(out, **kwargs)
    return out.getvalue()


def pdf_with_exif_jpeg() -> bytes:
    jpeg = jpeg_with_exif()
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(40, 30))
    image = pdf.make_stream(jpeg)
    image.Type, image.Subtype = pikepdf.Name.XObject, pikepdf.Name.Image
    image.Width, image.Height, image.BitsPerComponent = 40, 30, 8
    image.ColorSpace, image.Filter = pikepdf.Name.DeviceRGB, pikepdf.Name.DCTDecode
    page = pdf.pages[0]
    page.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=image))
    page.Contents = pdf.make_stream(b"q 40 0 0 30 0 0 cm /Im0 Do Q")
    out = io.BytesIO()
    pdf.save(out, compress_streams=False)
    return out.getvalue()


def upload(data: bytes, name: str = "file.bin") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def test_jpeg_loses_exif_gps_and_icc_but_keeps_its_pixels():
    original = jpeg_with_exif()
    assert AUTHOR.encode() in original
    cleaned = evidence.clean(upload(original, "IMG_0001.jpg"))
    assert cleaned.content_type == "image/jpeg"
    assert AUTHOR.encode() not in cleaned.data and b"CanaryCam" not in cleaned.data
    image = Image.open(io.BytesIO(cleaned.data))
    assert image.size == (40, 30)
    assert not image.getexif() and "icc_profile" not in image.info and "exif" not in image.info
    red, green, _ = image.getpixel((20, 15))
    assert red > 180 and green < 40


def test_png_loses_text_and_xmp_and_keeps_transparency():
    cleaned = evidence.clean(upload(png_with_text(), "shot.png"))
    assert cleaned.content_type == "image/png"
    assert AUTHOR.encode() not in cleaned.data
    image = Image.open(io.BytesIO(cleaned.data))
    assert image.mode == "RGBA" and image.getpixel((5, 5))[3] == 128
    assert not {k for k in image.info if k not in ("dpi",)} - {"transparency"}


def test_pdf_loses_docinfo_and_xmp():
    original = pdf_with_metadata()
    assert AUTHOR.encode() in original
    cleaned = evidence.clean(upload(original, "minutes.pdf"))
    assert cleaned.content_type == "application/pdf"
    assert AUTHOR.encode() not in cleaned.data and b"MarkerSoft" not in cleaned.data
    with pikepdf.open(io.BytesIO(cleaned.data)) as pdf:
        assert len(pdf.pages) == 1
        assert "/Info" not in pdf.trailer and "/Metadata" not in pdf.Root


def test_jpeg_inside_a_pdf_loses_its_exif_but_still_decodes():
    original = pdf_with_exif_jpeg()
    assert AUTHOR.encode() in original and b"CanaryCam" in original
    cleaned = evidence.clean(upload(original, "scan.pdf"))
    assert AUTHOR.encode() not in cleaned.data and b"CanaryCam" not in cleaned.data
    with pikepdf.open(io.BytesIO(cleaned.data)) as pdf:
        stream = pdf.pages[0].Resources.XObject.Im0
        assert stream.Filter == pikepdf.Name.DCTDecode
        assert AUTHOR.encode() not in stream.read_raw_bytes()  # stripped, not just compressed
        image = pikepdf.PdfImage(stream).as_pil_image()
    assert image.size == (40, 30) and image.getpixel((20, 15))[0] > 180


def test_jpeg_segment_stripper_keeps_the_picture():
    stripped = evidence.strip_jpeg_segments(jpeg_with_exif())
    assert AUTHOR.encode() not in stripped
    assert Image.open(io.BytesIO(stripped)).size == (40, 30)
    with pytest.raises(DomainError):
        evidence.strip_jpeg_segments(b"\xff\xd8\x00garbage")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (pdf_with_metadata(encrypt=True), "password-protected"),
        (pdf_with_metadata(attach=True), "attached files"),
        (b"%PDF-1.7 not really a pdf", "could not be read"),
        (b"\xff\xd8\xff\xe0 broken jpeg", "could not be read"),
        (b"MZ\x90\x00 an executable", "cannot be accepted"),
        (b"plain text notes", "cannot be accepted"),
    ],
)
def test_files_that_cannot_be_cleaned_are_refused(data, message):
    with pytest.raises(DomainError, match=message):
        evidence.clean(upload(data))


def test_oversized_file_is_refused(monkeypatch):
    monkeypatch.setattr(evidence, "MAX_BYTES", 1000)
    with pytest.raises(DomainError, match="too large"):
        evidence.clean(upload(jpeg_with_exif() + b"\0" * 1000))


def test_refused_file_is_explained_on_the_form_and_nothing_is_stored(client):
    response, code = submit_report(client, {"evidence": upload(b"just text", "notes.txt")})
    assert response.status_code == 400 and code is None
    assert "This type of file cannot be accepted" in response.content.decode()
    assert_anonymous_headers(response)
    assert not Evidence.objects.exists()


def test_evidence_is_stored_sealed_and_opened_only_by_triage_with_an_audit_entry(client, bob):
    response, code = submit_report(client, {"evidence": upload(jpeg_with_exif(), "me.jpg")})
    assert code is not None
    item = Evidence.objects.get()
    assert b"\xff\xd8\xff" not in bytes(item.sealed_data)[:8]
    assert b"me.jpg" not in bytes(item.sealed_name)
    client.force_login(bob)
    detail = client.get(reverse("reporting:triage_detail", args=[item.report_id]))
    assert "me.jpg" in detail.content.decode()
    url = reverse("reporting:evidence", args=[item.report_id, item.pk])
    download = client.get(url)
    assert download.status_code == 200 and download["Content-Type"] == "image/jpeg"
    assert download.content.startswith(b"\xff\xd8\xff") and AUTHOR.encode() not in download.content
    assert "attachment" in download["Content-Disposition"]
    assert ReportEvent.objects.filter(action="evidence_opened", actor=bob).count() == 1
    data, name = services.evidence_open(actor=bob, evidence=item)
    assert name == "me.jpg" and data == download.content


def test_other_roles_cannot_download_evidence(client, alice, eve):
    submit_report(client, {"evidence": upload(png_with_text(), "a.png")})
    item = Evidence.objects.get()
    for user in (alice, eve):
        client.force_login(user)
        url = reverse("reporting:evidence", args=[item.report_id, item.pk])
        assert client.get(url).status_code == 403
