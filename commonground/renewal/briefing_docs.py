"""The daily briefing (每日通报) as documents: an A4 PDF laid out as an official bulletin (deliberation's PDF
machinery: the embedded CJK font, the title, indented paragraphs, the issuer and date at the foot) and an XLSX
workbook (the one table writer)."""

from __future__ import annotations

from io import BytesIO
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from commonground.core.pdf_fonts import FONT, ensure_font
from commonground.core.tables import Sheet, Styled, xlsx_book
from commonground.deliberation.pdf import BODY, CELL, TITLE, SignatureBlock

from .progress_selectors import Briefing
from .progress_text import briefing_paragraphs

HEADING = ParagraphStyle("heading", fontName=FONT, fontSize=12, leading=18, spaceBefore=4 * mm, spaceAfter=2 * mm,
                         wordWrap="CJK")


def briefing_title(item: Briefing) -> str:
    return _("Daily briefing of %(project)s") % {"project": item.project.name}


def issuer(item: Briefing) -> str:
    return _("Office of %(project)s") % {"project": item.project.name}


def group_table(item: Briefing) -> list[list[object]]:
    return [[_("Rank"), _("Work group"), _("Buildings"), _("Households"), _("Signed"), _("Signing rate")]] + [
        [n, g.name, g.buildings, g.households, g.signed, g.percent] for n, g in enumerate(item.groups, 1)]


def holdout_table(item: Briefing) -> list[list[object]]:
    return [[_("Flat"), _("Owners"), _("Work group"), _("Visits"), _("Last visit"), _("Last outcome")]] + [
        [h.flat.name, h.owner_names, h.group.name if h.group else "—", h.visits_count,
         h.last_visit_at.strftime("%Y-%m-%d") if h.last_visit_at else "—", h.get_last_outcome_display() or "—"]
        for h in item.holdouts]


def _grid(rows: list[list[object]]) -> Table:
    grid = Table([[Paragraph(escape(str(cell)), CELL) for cell in row] for row in rows], repeatRows=1, hAlign="LEFT")
    grid.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef2f7")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]))
    return grid


def _page_number(canvas, document) -> None:
    canvas.saveState()
    canvas.setFont(FONT, 9)
    canvas.drawCentredString(A4[0] / 2, 10 * mm, f"— {document.page} —")
    canvas.restoreState()


def briefing_pdf(item: Briefing) -> bytes:
    """The bulletin: title, the day, the paragraphs, the work groups' ranking, the holdouts listed, the office
    and the date at the foot."""
    ensure_font()
    buffer = BytesIO()
    title = briefing_title(item)
    document = SimpleDocTemplate(buffer, pagesize=A4, title=title, author=issuer(item), leftMargin=25 * mm,
                                 rightMargin=22 * mm, topMargin=25 * mm, bottomMargin=20 * mm,
                                 initialFontName=FONT, initialFontSize=11)
    story: list = [Paragraph(escape(title), TITLE),
                   Paragraph(escape(item.day.isoformat()), ParagraphStyle("day", parent=BODY, alignment=1,
                                                                          firstLineIndent=0))]
    story += [Paragraph(escape(text), BODY) for text in briefing_paragraphs(item)]
    if item.groups:
        story += [Paragraph(escape(_("Work groups by signing rate")), HEADING), _grid(group_table(item))]
    if item.holdouts:
        story += [Paragraph(escape(_("Households not signed yet")), HEADING), _grid(holdout_table(item))]
    story += [Spacer(1, 10 * mm), KeepTogether(SignatureBlock(issuer=issuer(item), dated=item.day.isoformat(),
                                                              seal=False))]
    document.build(story, onFirstPage=_page_number, onLaterPages=_page_number)
    return buffer.getvalue()


def briefing_xlsx(item: Briefing) -> bytes:
    """The workbook: the figures and sentences, the work groups' ranking, the holdouts."""
    totals = item.totals
    figures = [
        [Styled(briefing_title(item), bold=True)],
        [_("Day"), item.day],
        [_("Signed that day"), item.signed_today],
        [_("Signed in all"), totals.signed],
        [_("Households"), totals.households],
        [_("Signing rate"), Styled(totals.rate, number_format="0.00%")],
        [_("Needed for effect"), totals.needed],
        [_("Still needed"), totals.left],
        [_("Buildings fully signed"), item.completed],
        [_("Visits that day"), item.visits],
        [_("Households not signed yet"), totals.unsigned],
        [],
        *([text] for text in briefing_paragraphs(item)),
    ]
    groups = group_table(item)
    holdouts = holdout_table(item)
    return xlsx_book([
        Sheet(_("Briefing"), figures, widths=(28, 80)),
        Sheet(_("Work groups"), [[Styled(c, bold=True) for c in groups[0]], *groups[1:]], widths=(8, 16, 10, 12, 10, 12)),
        Sheet(_("Not signed yet"), [[Styled(c, bold=True) for c in holdouts[0]], *holdouts[1:]],
              widths=(16, 24, 12, 8, 12, 16)),
    ])
