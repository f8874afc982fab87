"""PDF documents (notices, agendas, minutes) with ReportLab.

Chinese text uses ReportLab's built-in Adobe-GB1 CID font (STSong-Light): no font file to ship or find;
PDF readers supply the glyphs from their own CJK fonts.
"""

from __future__ import annotations

from collections.abc import Sequence
from io import BytesIO
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))

TITLE = ParagraphStyle("title", fontName=FONT, fontSize=16, leading=22, alignment=1, spaceAfter=6 * mm)
BODY = ParagraphStyle("body", fontName=FONT, fontSize=10.5, leading=16, wordWrap="CJK", spaceAfter=3 * mm)
CELL = ParagraphStyle("cell", fontName=FONT, fontSize=9, leading=12, wordWrap="CJK")
FOOT = ParagraphStyle("foot", parent=BODY, fontSize=9, textColor=colors.grey, alignment=2)


def render_pdf(*, title: str, paragraphs: Sequence[str], table: Sequence[Sequence[str]] = (),
               footer: Sequence[str] = ()) -> bytes:
    """A4 document: centred title, paragraphs (line breaks kept), an optional table whose first row is the
    header (repeated on every page), and right-aligned footer lines (issuer, date)."""
    buffer = BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=A4, title=title, leftMargin=20 * mm, rightMargin=20 * mm,
                                 topMargin=18 * mm, bottomMargin=18 * mm)
    story: list = [Paragraph(escape(title), TITLE)]
    for text in paragraphs:
        if text:
            story.append(Paragraph(escape(text).replace("\n", "<br/>"), BODY))
    if table:
        rows = [[Paragraph(escape(str(cell)), CELL) for cell in row] for row in table]
        grid = Table(rows, repeatRows=1, hAlign="LEFT")
        grid.setStyle(TableStyle([
            ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef2f7")),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]))
        story += [Spacer(1, 3 * mm), grid]
    if footer:
        story.append(Spacer(1, 8 * mm))
        story += [Paragraph(escape(line), FOOT) for line in footer]
    document.build(story)
    return buffer.getvalue()
