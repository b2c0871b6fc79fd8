"""Safe substitution of a template's $placeholders, and the PDF and Word files of a letter.

Substitution is ``string.Template``: it replaces ``$name`` / ``${name}`` with text and can run
no code, reach no attribute and call nothing, whoever wrote the template. A template may only
name the placeholders its kind declares (``context.PLACEHOLDERS``): anything else is refused
when the template is saved, and again when it is rendered.

PDF: fpdf2 (pure Python). It uses DejaVu Sans when the system has it (any script); otherwise
the PDF core font Helvetica, which covers Latin-1 only, with other characters replaced.
Word: python-docx.
"""

import io
import logging
import pathlib
import string
from dataclasses import dataclass

from docx import Document
from fpdf import FPDF

from .context import PLACEHOLDERS

# fontTools logs every glyph it subsets at INFO: keep that out of the application log.
logging.getLogger("fontTools").setLevel(logging.WARNING)

FONT_DIRS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu")
# Typographic characters mapped for the Latin-1 core font.
LATIN1 = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "…": "..."})


class TemplateProblem(ValueError):
    pass


def template_problem(kind: str, subject: str, body: str) -> str | None:
    """Why this template text cannot be saved for ``kind``, or None."""
    allowed = PLACEHOLDERS[kind]
    for label, text in (("subject", subject), ("body", body)):
        template = string.Template(text)
        if not template.is_valid():
            return (
                f"The {label} has a $ that is not a placeholder: write $$ for a dollar sign, "
                "or $name / ${name} for a value."
            )
        unknown = sorted(set(template.get_identifiers()) - set(allowed))
        if unknown:
            return (
                f"The {label} uses {', '.join('$' + n for n in unknown)}, which this kind of "
                f"letter does not have. Available: {', '.join('$' + n for n in sorted(allowed))}."
            )
    if not body.strip():
        return "Write the body of the letter."
    return None


def substitute(text: str, values: dict[str, str]) -> str:
    try:
        return string.Template(text).substitute(values)
    except (KeyError, ValueError) as error:
        raise TemplateProblem(f"The template cannot be filled in: {error}") from None


@dataclass
class Rendered:
    recipient: str
    address: str
    date: str
    subject: str
    body: str
    force_name: str

    @property
    def paragraphs(self) -> list[str]:
        return [p.strip("\n") for p in self.body.replace("\r\n", "\n").split("\n\n") if p.strip()]


def _font_dir() -> pathlib.Path | None:
    for directory in FONT_DIRS:
        path = pathlib.Path(directory)
        if (path / "DejaVuSans.ttf").exists() and (path / "DejaVuSans-Bold.ttf").exists():
            return path
    return None


class _Pdf:
    """A small layer over FPDF: one font family, text that always fits the font."""

    def __init__(self, title: str):
        self.pdf = FPDF(format="A4")
        self.pdf.set_title(title)
        self.pdf.set_creator("psd")
        self.pdf.set_auto_page_break(auto=True, margin=20)
        self.pdf.set_margins(20, 20, 20)
        fonts = _font_dir()
        if fonts:
            self.pdf.add_font("body", "", str(fonts / "DejaVuSans.ttf"))
            self.pdf.add_font("body", "B", str(fonts / "DejaVuSans-Bold.ttf"))
            self.family, self.unicode = "body", True
        else:
            self.family, self.unicode = "helvetica", False
        self.pdf.add_page()

    def text(self, value: str) -> str:
        if self.unicode:
            return value
        return value.translate(LATIN1).encode("latin-1", "replace").decode("latin-1")

    def write(self, value: str, *, size: int = 11, bold: bool = False, gap: float = 3) -> None:
        self.pdf.set_font(self.family, "B" if bold else "", size)
        self.pdf.multi_cell(0, size * 0.5, self.text(value), new_x="LMARGIN", new_y="NEXT")
        self.pdf.ln(gap)

    def output(self) -> bytes:
        return bytes(self.pdf.output())


def letter_pdf(letter: Rendered) -> bytes:
    pdf = _Pdf(letter.subject)
    pdf.write(letter.force_name, size=14, bold=True, gap=1)
    pdf.write("Professional Standards Department", size=10, gap=6)
    pdf.write("\n".join(filter(None, [letter.recipient, letter.address])), gap=4)
    pdf.write(letter.date, gap=6)
    pdf.write(letter.subject, bold=True, gap=4)
    for paragraph in letter.paragraphs:
        pdf.write(paragraph)
    return pdf.output()


def letter_docx(letter: Rendered) -> bytes:
    document = Document()
    document.core_properties.title = letter.subject
    document.add_heading(letter.force_name, level=1)
    document.add_paragraph("Professional Standards Department")
    for line in filter(None, [letter.recipient, *letter.address.splitlines()]):
        document.add_paragraph(line)
    document.add_paragraph(letter.date)
    document.add_heading(letter.subject, level=2)
    for paragraph in letter.paragraphs:
        document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def index_pdf(title: str, lines: list[tuple[str, str]]) -> bytes:
    """A bundle's index page(s): a title, then one line per entry (label, detail)."""
    pdf = _Pdf(title)
    pdf.write(title, size=14, bold=True, gap=6)
    for label, detail in lines:
        pdf.write(label, bold=True, gap=0.5)
        pdf.write(detail, size=10, gap=3)
    return pdf.output()
