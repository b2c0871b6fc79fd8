"""What a case document may be: an allow-list by extension AND by content (magic bytes), so a
renamed executable or HTML page is refused whatever it is called."""

import io
import pathlib
import zipfile

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024

# extension -> the content type we serve it with
ALLOWED = {
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".txt": "text/plain; charset=utf-8",
}


def _is_docx(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError):
        return False
    return "[Content_Types].xml" in names and any(n.startswith("word/") for n in names)


def _is_text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    head = data[:512].lstrip().lower()
    # Refuse markup a browser would run if it ever sniffed it, even though we send nosniff.
    return not head.startswith((b"<!doctype", b"<html", b"<script", b"<svg", b"<?xml"))


def _content_matches(extension: str, data: bytes) -> bool:
    if extension == ".pdf":
        return data.startswith(b"%PDF-")
    if extension == ".png":
        return data.startswith(b"\x89PNG\r\n\x1a\n")
    if extension in (".jpg", ".jpeg"):
        return data.startswith(b"\xff\xd8\xff")
    if extension == ".docx":
        return data.startswith(b"PK\x03\x04") and _is_docx(data)
    if extension == ".txt":
        return _is_text(data)
    return False


def document_problem(name: str, size: int, data: bytes) -> str | None:
    """Why this upload is refused, or None. ``data`` is the whole file (≤ 10 MB)."""
    if size > MAX_DOCUMENT_BYTES:
        return "The file must be 10 MB or smaller."
    if size == 0:
        return "The file is empty."
    extension = pathlib.Path(name).suffix.lower()
    if extension not in ALLOWED:
        return "The file must be a PDF, PNG, JPEG, Word (.docx) or text (.txt) file."
    if not _content_matches(extension, data):
        return f"The file's contents are not a valid {extension[1:].upper()} file."
    return None


def content_type_for(name: str) -> str:
    return ALLOWED.get(pathlib.Path(name).suffix.lower(), "application/octet-stream")
