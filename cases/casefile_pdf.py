"""The case file as a PDF (fpdf2): a cover with the index, then one section per part, each
item a bold heading, its facts as a two-column table and its text; the timeline last, oldest
first. DejaVu Sans when the system has it (any script), else Helvetica with the text reduced
to Latin-1, as for the letters (correspondence.rendering)."""

import pathlib

from django.utils import timezone
from fpdf import FPDF
from fpdf.fonts import FontFace

from .casefile import CaseFile

DEJAVU = [pathlib.Path(d) for d in ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu")]
TYPOGRAPHY = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "→": "->"})


class CaseFilePdf(FPDF):
    def __init__(self, case_file: CaseFile):
        super().__init__(format="A4")
        self.case_file = case_file
        self.set_title(case_file.title)
        self.set_creator("psd")
        self.set_margins(18, 18, 18)
        self.set_auto_page_break(auto=True, margin=18)
        regular = next((d for d in DEJAVU if (d / "DejaVuSans.ttf").exists()), None)
        if regular is not None and (regular / "DejaVuSans-Bold.ttf").exists():
            self.add_font("dejavu", "", str(regular / "DejaVuSans.ttf"))
            self.add_font("dejavu", "B", str(regular / "DejaVuSans-Bold.ttf"))
            self.family_name = "dejavu"
        else:
            self.family_name = "helvetica"

    def clean(self, text: str) -> str:
        if self.family_name == "dejavu":
            return text
        return text.translate(TYPOGRAPHY).encode("latin-1", "replace").decode("latin-1")

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(self.family_name, "", 8)
        label = f"{self.case_file.case.reference} · Official-Sensitive · page {self.page_no()}"
        self.cell(0, 5, self.clean(label), align="C")

    def heading(self, text: str, size: int) -> None:
        self.set_font(self.family_name, "B", size)
        self.multi_cell(0, size * 0.55, self.clean(text), new_x="LMARGIN", new_y="NEXT")
        self.ln(2)

    def paragraph(self, text: str, size: int = 10) -> None:
        self.set_font(self.family_name, "", size)
        self.multi_cell(0, size * 0.5, self.clean(text), new_x="LMARGIN", new_y="NEXT")
        self.ln(2)

    def facts(self, rows: list[tuple[str, str]]) -> None:
        if not rows:
            return
        self.set_font(self.family_name, "", 9)
        bold = FontFace(emphasis="BOLD")
        with self.table(col_widths=(35, 65), first_row_as_headings=False, line_height=5) as table:
            for label, value in rows:
                row = table.row()
                row.cell(self.clean(label), style=bold)
                row.cell(self.clean(value))
        self.ln(3)


def case_file_pdf(case_file: CaseFile) -> bytes:
    pdf = CaseFilePdf(case_file)
    pdf.add_page()
    pdf.heading(case_file.title, 16)
    made_at = timezone.localtime(case_file.made_at)
    made = f"Made {made_at:%d/%m/%Y %H:%M} by {case_file.made_by.get_full_name()}"
    pdf.paragraph(made, 9)
    pdf.heading("Index", 12)
    for number, (anchor, title, items) in enumerate(case_file.sections(), start=1):
        count = "" if anchor == "summary" else f" ({len(items)})"
        pdf.paragraph(f"{number}. {title}{count}")
    for number, (anchor, title, items) in enumerate(case_file.sections(), start=1):
        pdf.add_page()
        pdf.heading(f"{number}. {title}", 14)
        if anchor == "summary":
            pdf.facts(items)
        elif anchor == "timeline":
            for entry in items:
                who = f" – {entry.who.get_full_name() or entry.who}" if entry.who else ""
                at = timezone.localtime(entry.at)
                pdf.heading(f"{at:%d/%m/%Y %H:%M} · {entry.title}{who}", 9)
                if entry.detail:
                    pdf.paragraph(entry.detail, 9)
        else:
            for item in items:
                pdf.heading(item.title, 11)
                pdf.facts(item.facts)
                if item.text:
                    pdf.paragraph(item.text)
        if not items:
            pdf.paragraph("None.")
    return bytes(pdf.output())
