"""PDF documents (notices, agendas, minutes) with ReportLab, laid out as official notices are: the title centred,
the body with indented paragraphs, the issuer and the date at the bottom right over a place for the seal.

The Chinese font is core's (`core/pdf_fonts.py`: embedded, found by `CG_PDF_FONT` or among Debian's).
"""

from __future__ import annotations

from collections.abc import Sequence
from io import BytesIO
from xml.sax.saxutils import escape

import segno
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from commonground.core.pdf_fonts import FONT, ensure_font

TITLE = ParagraphStyle("title", fontName=FONT, fontSize=18, leading=26, alignment=1, spaceAfter=7 * mm,
                       wordWrap="CJK")
BODY = ParagraphStyle("body", fontName=FONT, fontSize=11, leading=19, wordWrap="CJK", spaceAfter=2.5 * mm,
                      firstLineIndent=22)  # two characters, as Chinese paragraphs start
CELL = ParagraphStyle("cell", fontName=FONT, fontSize=9, leading=12, wordWrap="CJK")
SIGN = ParagraphStyle("sign", fontName=FONT, fontSize=11, leading=19, alignment=1, wordWrap="CJK")
SMALL = ParagraphStyle("small", fontName=FONT, fontSize=7.5, leading=10, wordWrap="CJK", textColor=colors.grey)

SEAL_DIAMETER = 40 * mm  # the round seal of a residents' committee or an owners' committee is 38-42 mm
SIGN_WIDTH = 70 * mm
QR_SIZE = 26 * mm


class SignatureBlock(Flowable):
    """The foot of an official notice: issuer and date at the right, with a dashed circle centred on them where
    the seal is pressed; optionally a QR code of the notice's public page at the left."""

    def __init__(self, *, issuer: str, dated: str, seal: bool, link: str = "", link_caption: str = ""):
        super().__init__()
        self.issuer, self.dated, self.seal, self.link, self.link_caption = issuer, dated, seal, link, link_caption
        self.lines = [Paragraph(escape(text), SIGN) for text in (issuer, dated) if text]

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        self.text_height = sum(line.wrap(SIGN_WIDTH, available_height)[1] for line in self.lines)
        self.height = max(self.text_height + 6 * mm, QR_SIZE + 12 * mm if self.link else 0,
                          (4 * mm + self.text_height / 2 + SEAL_DIAMETER / 2 + 2 * mm) if self.seal else 0)
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        left = self.width - SIGN_WIDTH
        y = self.height - 4 * mm
        for line in self.lines:
            _w, h = line.wrap(SIGN_WIDTH, self.height)
            y -= h
            line.drawOn(canvas, left, y)
        if self.seal:
            centre_y = self.height - 4 * mm - self.text_height / 2  # the seal sits over issuer and date
            canvas.saveState()
            canvas.setStrokeColor(colors.HexColor("#c62828"))
            canvas.setLineWidth(0.6)
            canvas.setDash(3, 3)
            canvas.circle(left + SIGN_WIDTH / 2, centre_y, SEAL_DIAMETER / 2, stroke=1, fill=0)
            canvas.setFillColor(colors.HexColor("#c62828"))
            canvas.setFont(FONT, 8)
            canvas.drawCentredString(left + SIGN_WIDTH / 2, centre_y - SEAL_DIAMETER / 2 + 3 * mm, _("(seal)"))
            canvas.restoreState()
        if self.link:
            _draw_qr(canvas, self.link, 0, self.height - QR_SIZE)
            caption = Paragraph(escape(self.link_caption) + "<br/>" + escape(self.link), SMALL)
            _w, h = caption.wrap(left - 6 * mm, self.height)
            caption.drawOn(canvas, 0, self.height - QR_SIZE - h - 1 * mm)


def _draw_qr(canvas, data: str, x: float, y: float) -> None:
    """The QR code of `data` as filled squares, `QR_SIZE` wide with its quiet zone (no image to embed)."""
    code = segno.make(data, error="m")
    matrix = list(code.matrix_iter(border=2))
    module = QR_SIZE / len(matrix)
    canvas.saveState()
    canvas.setFillColor(colors.black)
    for row, bits in enumerate(matrix):
        for col, dark in enumerate(bits):
            if dark:
                canvas.rect(x + col * module, y + QR_SIZE - (row + 1) * module, module, module, stroke=0, fill=1)
    canvas.restoreState()


def _page_number(canvas, document) -> None:
    canvas.saveState()
    canvas.setFont(FONT, 9)
    canvas.drawCentredString(A4[0] / 2, 10 * mm, f"— {document.page} —")
    canvas.restoreState()


def render_pdf(*, title: str, paragraphs: Sequence[str], table: Sequence[Sequence[str]] = (), issuer: str = "",
               dated: str = "", seal: bool = False, link: str = "", link_caption: str = "") -> bytes:
    """An A4 document with the CJK font embedded: centred title, paragraphs (line breaks kept), an optional
    table whose first row is the header (repeated on every page), then issuer and date at the bottom right
    (over a place for the seal when `seal`), and with `link` a QR code of it at the bottom left."""
    ensure_font()
    buffer = BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=A4, title=title, author=issuer, leftMargin=25 * mm,
                                 rightMargin=22 * mm, topMargin=25 * mm, bottomMargin=20 * mm,
                                 initialFontName=FONT, initialFontSize=11)
    story: list = [Paragraph(escape(title), TITLE)]
    for text in paragraphs:
        if text:
            story.append(Paragraph(escape(text).replace("\n", "<br/>"), BODY))
    if table:
        rows = [[Paragraph(escape(str(cell)), CELL) for cell in row] for row in table]
        grid = Table(rows, repeatRows=1, hAlign="LEFT")
        grid.setStyle(TableStyle([
            ("FONTNAME", (0, 0), (-1, -1), FONT),  # the cells' own default is Helvetica, which is not embedded
            ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef2f7")),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]))
        story += [Spacer(1, 3 * mm), grid]
    if issuer or dated or link:
        story += [Spacer(1, 10 * mm), KeepTogether(SignatureBlock(issuer=issuer, dated=dated, seal=seal, link=link,
                                                                  link_caption=link_caption))]
    document.build(story, onFirstPage=_page_number, onLaterPages=_page_number)
    return buffer.getvalue()
