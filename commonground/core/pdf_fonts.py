"""The Chinese font every PDF of the platform embeds (notices, agreements, certificates, the district report).

ReportLab subsets a TrueType font (only the glyphs used), so a document prints the same on every machine. It embeds
TrueType outlines only, not the CFF outlines of Noto CJK; the font is the file named by `CG_PDF_FONT`, or the first
of Debian's TrueType CJK fonts that is installed (fonts-wqy-microhei, installed by setup and CI).
"""

from __future__ import annotations

import functools
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT = "CommonGroundCJK"
# TrueType-outline CJK fonts of Debian, in order of preference (the first is what setup and CI install).
FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
)


def font_path() -> Path | None:
    """The CJK TrueType font to embed: `CG_PDF_FONT` if set, else the first of Debian's that is installed."""
    configured = getattr(settings, "CG_PDF_FONT", "")
    if configured:
        return Path(configured)
    return next((Path(p) for p in FONT_CANDIDATES if Path(p).is_file()), None)


@functools.cache
def _register_font(path: Path) -> None:
    if not path.is_file():
        raise ImproperlyConfigured(
            f"The CJK font for PDFs is missing: {path}. Install Debian's fonts-wqy-microhei, or set CG_PDF_FONT "
            "to a TrueType (.ttf or .ttc) font with Chinese glyphs.")
    try:
        pdfmetrics.registerFont(TTFont(FONT, str(path), subfontIndex=0))
    except Exception as error:  # ReportLab refuses CFF (PostScript-outline) OpenType fonts such as Noto CJK
        raise ImproperlyConfigured(
            f"{path} cannot be embedded in a PDF ({error}). Use a font with TrueType outlines, such as Debian's "
            "fonts-wqy-microhei.") from error


def ensure_font() -> None:
    """Register the CJK font once, or raise ImproperlyConfigured saying what to install."""
    path = font_path()
    if path is None:
        raise ImproperlyConfigured(
            "No CJK font for PDFs: install Debian's fonts-wqy-microhei, or set CG_PDF_FONT to a TrueType "
            "(.ttf or .ttc) font with Chinese glyphs.")
    _register_font(path)
