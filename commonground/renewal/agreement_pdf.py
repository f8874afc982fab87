"""A household's agreement as a PDF, from the agreement's template text and its frozen figures: the parties, the
flat and its certified area, the option, every line with the clause that produced it, the total in figures and in
Chinese capitals (大写), the entitled area, the conditional clause (RULES §3) and a line per co-owner to sign.

Laid out with deliberation/pdf.py's machinery (the embedded CJK font and its paragraph styles)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from io import BytesIO
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from commonground.core.pdf_fonts import FONT, ensure_font
from commonground.deliberation.pdf import BODY, CELL, SMALL, TITLE

from .models import Agreement, AgreementStatus

DIGITS = "零壹贰叁肆伍陆柒捌玖"
UNITS = ("", "拾", "佰", "仟")
GROUPS = ("", "万", "亿", "万亿")


def yuan_in_capitals(amount: Decimal) -> str:
    """An amount of yuan in the capitals of Chinese financial writing (大写), of its absolute value:
    1234.50 → 壹仟贰佰叁拾肆元伍角整, 100100 → 壹拾万零壹佰元整, 0.05 → 伍分."""
    fen_total = int((abs(amount) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    yuan, rest = divmod(fen_total, 100)
    jiao, fen = divmod(rest, 10)
    out = ""
    if yuan:
        digits = str(yuan)
        pending_zero = group_has = False
        for index, char in enumerate(digits):
            position = len(digits) - 1 - index
            digit = int(char)
            if digit:
                if pending_zero:
                    out += "零"
                out += DIGITS[digit] + UNITS[position % 4]
                pending_zero, group_has = False, True
            elif out:
                pending_zero = True
            if position % 4 == 0 and position and group_has:
                out += GROUPS[position // 4]
                group_has = False
        out += "元"
    if not jiao and not fen:
        return (out or "零元") + "整"
    if jiao:
        out += DIGITS[jiao] + "角"
    if fen:
        out += ("零" if yuan and not jiao else "") + DIGITS[fen] + "分"
    return out if fen else out + "整"


def money(value: object) -> str:
    """An amount of a line as the agreement prints it (12,345.60); what is not a number, as it is."""
    try:
        return f"{Decimal(str(value)):,.2f}"
    except (InvalidOperation, ValueError):
        return str(value or "")


def _grid(rows: list[list[str]], widths: list[float]) -> Table:
    table = Table([[Paragraph(escape(str(cell)), CELL) for cell in row] for row in rows], colWidths=widths,
                  repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef2f7")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]))
    return table


def _footer(canvas, document) -> None:
    canvas.saveState()
    canvas.setFont(FONT, 9)
    canvas.drawCentredString(A4[0] / 2, 10 * mm, f"— {document.page} —")
    canvas.restoreState()


def agreement_paragraphs(agreement: Agreement) -> dict[str, list[str]]:
    """The template text filled with the agreement's figures: the paragraphs before and after the lines."""
    household = agreement.household
    project = household.project
    total = agreement.total
    before = [
        _("Party A: the renewal project office of %(project)s.") % {"project": project.name},
        _("Party B: %(owners)s, owners of %(flat)s (certified area %(area)s m², floor %(floor)s).") % {
            "owners": household.owner_names, "flat": household.flat.name, "area": household.area_m2,
            "floor": household.floor},
        _("Party B chooses %(option)s. The amounts below were computed by version %(version)s of the project's "
          "published compensation rule set; each line names the clause that produced it, and the same inputs "
          "give every household the same result.") % {
            "option": agreement.get_option_display(), "version": agreement.rule_set.version},
    ]
    direction = _("paid to Party B") if total >= 0 else _("paid by Party B")
    after = [_("Total: ¥%(total)s (in capitals: %(words)s), %(direction)s.") % {
        "total": f"{abs(total):,.2f}", "words": yuan_in_capitals(total), "direction": direction}]
    if agreement.entitled_area_m2 is not None:
        after.append(_("Entitled area of the new flat: %(area)s m²; the flat is chosen in signing order.") % {
            "area": agreement.entitled_area_m2})
    rate = (project.effect_threshold * 100).normalize()
    after.append(_(
        "This agreement takes effect on the day the project's signing rate reaches %(rate)s%% within the signing "
        "period (%(start)s to %(end)s). If that rate is not reached by the end of the period, this agreement does "
        "not take effect.") % {
        "rate": f"{rate:f}", "start": f"{project.signing_from:%Y-%m-%d}" if project.signing_from else "—",
        "end": f"{project.signing_until:%Y-%m-%d}" if project.signing_until else "—"})
    return {"before": before, "after": after}


def agreement_pdf_bytes(agreement: Agreement) -> bytes:
    """The agreement as an A4 PDF with the CJK font embedded."""
    ensure_font()
    household = agreement.household
    project = household.project
    title = _("%(project)s: compensation and resettlement agreement") % {"project": project.name}
    buffer = BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=A4, title=title, leftMargin=22 * mm, rightMargin=20 * mm,
                                 topMargin=22 * mm, bottomMargin=20 * mm, initialFontName=FONT, initialFontSize=11)
    width = A4[0] - 42 * mm
    story: list = [Paragraph(escape(title), TITLE)]
    number = _("Signing number %(n)s") % {"n": agreement.sequence} if agreement.sequence else _("Not signed yet")
    story.append(Paragraph(escape(f"{number} · {agreement.get_status_display()}"), SMALL))
    story.append(Spacer(1, 3 * mm))
    text = agreement_paragraphs(agreement)
    story += [Paragraph(escape(p), BODY) for p in text["before"]]
    lines = [[_("Compensation item"), _("Clause"), _("Basis"), _("Amount (yuan)")]]
    lines += [[_(line["label"]) if line.get("label") else "", line.get("clause", ""), line.get("basis", ""), money(line.get("amount"))]
              for line in agreement.lines]
    story += [_grid(lines, [width * 0.3, width * 0.18, width * 0.3, width * 0.22]), Spacer(1, 4 * mm)]
    story += [Paragraph(escape(p), BODY) for p in text["after"]]
    signatures = {s.person_id: s for s in agreement.signatures.all()}
    rows = [[_("Owner (Party B)"), _("Signature"), _("Signed at"), _("Witness")]]
    for owner in household.owners.order_by("pk"):
        signed = signatures.get(owner.pk)
        rows.append([owner.name, "", f"{timezone.localtime(signed.signed_at):%Y-%m-%d %H:%M}" if signed else "",
                     signed.witness if signed else ""])
    story += [Spacer(1, 6 * mm), KeepTogether([
        Paragraph(escape(_("Party A (seal):") + "　" * 12 + _("Date:")), BODY),
        Spacer(1, 3 * mm), _grid(rows, [width * 0.25, width * 0.3, width * 0.25, width * 0.2])])]
    if agreement.status == AgreementStatus.CANCELLED:
        story.append(Paragraph(escape(_("Cancelled: %(reason)s") % {"reason": agreement.cancel_reason}), BODY))
    document.build(story, onFirstPage=_footer, onLaterPages=_footer)
    return buffer.getvalue()
