"""Evidence files: only JPEG, PNG and PDF, with their metadata removed, or refused.

Images are decoded and re-encoded from their pixels alone, so EXIF (camera, GPS, owner), XMP,
ICC profiles and text chunks are not carried over. PDFs lose their document information
dictionary, every XMP metadata stream and the EXIF/XMP/ICC segments of the JPEG images they
contain; encrypted PDFs and PDFs carrying attached files are refused because their contents
cannot be cleaned. (Text a PDF shows on its pages, such as a name in a footer, is content: the
reporter is warned to check it.)
"""

import io
import warnings
from dataclasses import dataclass

import pikepdf
from PIL import Image, ImageOps

from psd.domain import DomainError

MAX_BYTES = 4 * 1024 * 1024
MAX_PIXELS = 40_000_000
ALLOWED = "Send a photo (JPEG or PNG) or a PDF."


@dataclass(frozen=True)
class CleanFile:
    data: bytes
    content_type: str
    extension: str


def clean(upload) -> CleanFile:
    """Read an uploaded file and return a copy without metadata; DomainError if impossible."""
    if upload.size > MAX_BYTES:
        raise DomainError(
            f"The file is too large: the limit is {MAX_BYTES // (1024 * 1024)} MB.",
            field="evidence",
        )
    data = upload.read()
    if data.startswith(b"%PDF-"):
        return _clean_pdf(data)
    if data.startswith(b"\xff\xd8\xff") or data.startswith(b"\x89PNG\r\n\x1a\n"):
        return _clean_image(data)
    raise DomainError(f"This type of file cannot be accepted. {ALLOWED}", field="evidence")


def _clean_image(data: bytes) -> CleanFile:
    unreadable = DomainError(
        "The picture could not be read, so its hidden details cannot be removed. "
        "Try another copy or leave it out.",
        field="evidence",
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            fmt = image.format
            if fmt not in ("JPEG", "PNG"):
                raise unreadable
            if image.width * image.height > MAX_PIXELS:
                raise DomainError("The picture is too large to process.", field="evidence")
            has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
            image = ImageOps.exif_transpose(image)  # keep the way up before EXIF goes
            image.load()
    except DomainError:
        raise
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError, Warning):
        raise unreadable from None
    modes = {"PNG": "RGBA" if has_alpha else "RGB", "JPEG": "L" if image.mode == "L" else "RGB"}
    mode = modes[fmt]
    pixels = image.convert(mode)
    # A fresh image from raw pixels: nothing of the original file's metadata survives.
    fresh = Image.frombytes(mode, pixels.size, pixels.tobytes())
    out = io.BytesIO()
    if fmt == "PNG":
        fresh.save(out, format="PNG", optimize=True)
        return CleanFile(out.getvalue(), "image/png", "png")
    fresh.save(out, format="JPEG", quality=90)
    return CleanFile(out.getvalue(), "image/jpeg", "jpg")


def _clean_pdf(data: bytes) -> CleanFile:
    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except pikepdf.PasswordError:
        raise DomainError(
            "The PDF is password-protected, so its hidden details cannot be removed.",
            field="evidence",
        ) from None
    except pikepdf.PdfError:
        raise DomainError("The PDF could not be read.", field="evidence") from None
    with pdf:
        if pdf.is_encrypted:
            raise DomainError("The PDF is encrypted and cannot be cleaned.", field="evidence")
        if len(pdf.attachments) or "/EmbeddedFiles" in pdf.Root.get("/Names", {}):
            raise DomainError(
                "The PDF carries attached files, which cannot be cleaned. "
                "Remove the attachments or send them separately.",
                field="evidence",
            )
        if "/Info" in pdf.trailer:
            del pdf.trailer["/Info"]
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
                for key in ("/Metadata", "/PieceInfo"):
                    if key in obj:
                        del obj[key]
            if isinstance(obj, pikepdf.Stream) and obj.get("/Filter") == pikepdf.Name.DCTDecode:
                # A JPEG inside the PDF keeps its own EXIF unless its segments are dropped too.
                obj.write(strip_jpeg_segments(obj.read_raw_bytes()), filter=pikepdf.Name.DCTDecode)
        out = io.BytesIO()
        # A fixed document ID: the original ID may be derived from the author's file or time.
        pdf.save(out, fix_metadata_version=False, static_id=True)
    return CleanFile(out.getvalue(), "application/pdf", "pdf")


# JPEG segments kept when cleaning a JPEG embedded in a PDF: JFIF (APP0) and Adobe's colour
# transform (APP14), which decoding needs. EXIF and XMP (APP1), ICC profiles (APP2: free text
# such as a description or copyright), IPTC (APP13), comments and every other application
# segment go.
_KEEP_APP = {0xE0, 0xEE}


def strip_jpeg_segments(data: bytes) -> bytes:
    """Copy a JPEG without its metadata segments, leaving the compressed image untouched."""
    if not data.startswith(b"\xff\xd8"):
        raise DomainError("The PDF contains an image that could not be read.", field="evidence")
    out, pos = bytearray(b"\xff\xd8"), 2
    while pos + 4 <= len(data):
        if data[pos] != 0xFF:
            raise DomainError("The PDF contains an image that could not be read.", field="evidence")
        marker = data[pos + 1]
        if marker == 0xDA:  # start of scan: the rest is image data
            out += data[pos:]
            return bytes(out)
        length = int.from_bytes(data[pos + 2 : pos + 4], "big")
        segment = data[pos : pos + 2 + length]
        is_metadata = (0xE0 <= marker <= 0xEF and marker not in _KEEP_APP) or marker == 0xFE
        if not is_metadata:
            out += segment
        pos += 2 + length
    raise DomainError("The PDF contains an image that could not be read.", field="evidence")
