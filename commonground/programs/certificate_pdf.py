"""A course certificate as a PDF (A4 landscape), with the Chinese font the deliberation documents embed."""

from __future__ import annotations

from io import BytesIO
from xml.sax.saxutils import escape

from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from commonground.core.pdf_fonts import FONT, ensure_font

from .models import Certificate

HEAD = ParagraphStyle("certificate-head", fontName=FONT, fontSize=30, leading=40, alignment=1, spaceAfter=12 * mm)
TEXT = ParagraphStyle("certificate-text", fontName=FONT, fontSize=15, leading=28, wordWrap="CJK",
                      firstLineIndent=30)
RIGHT = ParagraphStyle("certificate-sign", fontName=FONT, fontSize=13, leading=22, alignment=2, wordWrap="CJK")


def certificate_pdf(certificate: Certificate) -> bytes:
    ensure_font()
    activity = certificate.activity
    issued = localtime(certificate.issued_at).date()
    buffer = BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=landscape(A4), leftMargin=30 * mm, rightMargin=30 * mm,
                            topMargin=28 * mm, bottomMargin=20 * mm, title=certificate.number)
    text = _("%(name)s took part in the course “%(course)s” and attended %(attended)s of its %(total)s sessions. "
             "This certifies that the course was completed.") % {
        "name": certificate.person.name, "course": activity.title, "attended": certificate.sessions_attended,
        "total": certificate.sessions_total}
    doc.build([
        Paragraph(escape(_("Certificate of completion")), HEAD),
        Paragraph(escape(text), TEXT),
        Spacer(1, 18 * mm),
        Paragraph(escape(activity.organiser.name), RIGHT),
        Paragraph(escape(issued.strftime("%Y-%m-%d")), RIGHT),
        Paragraph(escape(_("Certificate number %(number)s") % {"number": certificate.number}), RIGHT),
    ])
    return buffer.getvalue()
