"""Text as it may be stored, exported and sent: what no person types is dropped at the edge.

Control characters (but tab, line feed and carriage return), lone surrogates and the noncharacters
U+FFFE/U+FFFF have no meaning in a description or a name; they break XLSX files (openpyxl refuses them),
XML feeds (XML 1.0 forbids them) and JSON encoders. Intake (web, API, Open311) and every export pass text
through `clean_text`.
"""

from __future__ import annotations

import re

UNWANTED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
LINE_BREAKS = re.compile(r"[\t\r\n]+")


def clean_text(value: str | None, *, multiline: bool = True) -> str:
    """`value` without control characters; single-line text has its tabs and line breaks turned into spaces."""
    if not value:
        return ""
    text = UNWANTED.sub("", value)
    if not multiline:
        text = LINE_BREAKS.sub(" ", text)
    return text


def has_unwanted(value: str) -> bool:
    """Whether `value` holds a character `clean_text` would drop."""
    return bool(UNWANTED.search(value))
