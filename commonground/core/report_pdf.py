"""The district report as a PDF (ReportLab, the platform's embedded Chinese font): the title, the period, then each
section's heading, sentences, a bar chart of each table of records and the tables themselves — what the page
shows, laid out for A4."""

from __future__ import annotations

from io import BytesIO
from typing import Any
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from .pdf_fonts import FONT, ensure_font
from .report_render import CHART_COLOUR, Chart, report_context
from .report_render import Table as ReportTable

TITLE = ParagraphStyle("report-title", fontName=FONT, fontSize=18, leading=26, alignment=1, spaceAfter=3 * mm,
                       wordWrap="CJK")
META = ParagraphStyle("report-meta", fontName=FONT, fontSize=10, leading=14, alignment=1, spaceAfter=6 * mm,
                      textColor=colors.grey, wordWrap="CJK")
HEADING = ParagraphStyle("report-heading", fontName=FONT, fontSize=13.5, leading=20, spaceBefore=5 * mm,
                         spaceAfter=2 * mm, wordWrap="CJK")
BODY = ParagraphStyle("report-body", fontName=FONT, fontSize=10, leading=17, firstLineIndent=20, spaceAfter=1.5 * mm,
                      wordWrap="CJK")
CAPTION = ParagraphStyle("report-caption", fontName=FONT, fontSize=9.5, leading=13, spaceBefore=3 * mm,
                         spaceAfter=1 * mm, wordWrap="CJK")
CELL = ParagraphStyle("report-cell", fontName=FONT, fontSize=8.5, leading=11, wordWrap="CJK")
NUMBER = ParagraphStyle("report-number", parent=CELL, alignment=2)
WIDTH = A4[0] - 36 * mm
BAR_HEIGHT = 4.2 * mm


def _table(table: ReportTable) -> list[Any]:
    if not table.columns:  # an empty list: nothing to lay out
        return []
    header = [Paragraph(escape(column), CELL) for column in table.columns]
    rows = [[Paragraph(escape(c.text), NUMBER if c.numeric else CELL) for c in row] for row in table.rows]
    if table.figures:
        widths = [WIDTH * 0.62, WIDTH * 0.24, WIDTH * 0.14]
    else:
        first = min(WIDTH * 0.34, WIDTH / max(len(table.columns), 1) * 1.6)
        rest = (WIDTH - first) / max(len(table.columns) - 1, 1)
        widths = [first] + [rest] * (len(table.columns) - 1)
    grid = Table([header, *rows], colWidths=widths, repeatRows=1)
    grid.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), FONT),  # the cells are paragraphs, but the table sets its own font too
        ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#c8ccd2")),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef1f5")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]))
    caption = [Paragraph(escape(table.title), CAPTION)] if table.title else [Spacer(1, 2 * mm)]
    return [*caption, grid]


def _chart(chart: Chart) -> Drawing:
    height = BAR_HEIGHT * len(chart.values) + 14 * mm
    drawing = Drawing(WIDTH, height)
    drawing.initialFontName = FONT  # else the renderer starts every drawing in Helvetica (not embedded)
    bars = HorizontalBarChart()
    bars.x, bars.y = 42 * mm, 6 * mm
    bars.width, bars.height = WIDTH - 58 * mm, height - 12 * mm
    bars.data = [list(reversed(chart.values))]
    bars.categoryAxis.categoryNames = [label[:14] for label in reversed(chart.labels)]
    bars.categoryAxis.labels.fontName = FONT
    bars.categoryAxis.labels.fontSize = 7.5
    bars.categoryAxis.labels.boxAnchor = "e"
    bars.valueAxis.labels.fontName = FONT
    bars.valueAxis.labels.fontSize = 7
    bars.valueAxis.valueMin = 0
    bars.bars[0].fillColor = colors.HexColor(CHART_COLOUR)
    bars.bars[0].strokeColor = None
    bars.barLabelFormat = "%.2f%%" if chart.percent else _plain
    bars.barLabels.fontName = FONT
    bars.barLabels.fontSize = 6.5
    bars.barLabels.boxAnchor = "w"
    bars.barLabels.dx = 2
    drawing.add(bars)
    drawing.add(String(0, height - 4 * mm, chart.title, fontName=FONT, fontSize=9))
    return drawing


def _plain(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def report_pdf(report: dict[str, Any]) -> bytes:
    """The report as an A4 PDF with the Chinese font embedded."""
    ensure_font()
    context = report_context(report)
    scope = report["scope"]["name"]
    story: list[Any] = [
        Paragraph(escape(_("%(name)s co-governance report") % {"name": scope}), TITLE),
        Paragraph(escape(_("%(first)s to %(last)s, %(days)d days") % {
            "first": context["first"].isoformat(), "last": context["last"].isoformat(), "days": context["days"]}),
            META),
    ]
    for section in context["sections"]:
        story.append(Paragraph(escape(section.heading), HEADING))
        story += [Paragraph(escape(sentence), BODY) for sentence in section.sentences]
        story += [KeepTogether([Spacer(1, 2 * mm), _chart(chart)]) for chart in section.charts]
        for table in section.tables:
            story += _table(table)
    if not context["sections"]:
        story.append(Paragraph(escape(_("The report has no sections yet.")), BODY))
    buffer = BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=16 * mm,
                                 bottomMargin=16 * mm, initialFontName=FONT, initialFontSize=10,
                                 title=_("%(name)s co-governance report") % {"name": scope},
                                 author="CommonGround")
    document.build(story, onFirstPage=_page_number, onLaterPages=_page_number)
    return buffer.getvalue()


def _page_number(canvas: Any, document: Any) -> None:
    canvas.saveState()
    canvas.setFont(FONT, 8)
    canvas.setFillColor(colors.grey)
    canvas.drawCentredString(A4[0] / 2, 9 * mm, f"— {document.page} —")
    canvas.restoreState()
