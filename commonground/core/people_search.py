"""What a search box for people or households means: a name, pinyin initials, a phone's last four digits, a longer
number (ID number or phone, matched only where the user sees them in full) or a flat ("3幢101", "3-1-101",
"浙工新村3幢1单元101室"). Pure: no database here; the selectors turn a `Search` into conditions.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .models.people import PHONE_TAIL_LENGTH

FLAT_RE = re.compile(
    r"^(?P<estate>[^\d\-]*?)"
    r"(?:(?P<building>\d+)(?:幢|栋|棟|号楼|號樓|号|-))?"
    r"(?:(?P<unit>\d+)(?:单元|單元|-))?"
    r"(?P<room>\d+)(?:室|号)?$"
)
INITIALS_RE = re.compile(r"^[a-z ]+$")
NUMBER_RE = re.compile(r"^\d{6,17}[\dX]?$")
MIN_NUMBER_LENGTH = 6


@dataclass(frozen=True)
class Flat:
    """A flat as typed: the room, and the building, unit (corridor) and estate when given."""

    room: str
    building: str = ""
    unit: str = ""
    estate: str = ""


@dataclass(frozen=True)
class Search:
    """One reading of the search box; the fields that apply are set, the others empty."""

    text: str = ""
    name: str = ""
    initials: str = ""
    phone_tail: str = ""
    number: str = ""
    flat: Flat | None = None

    def __bool__(self) -> bool:
        return bool(self.text)


def normalised(text: str) -> str:
    """Full-width digits and letters as ASCII (a Chinese keyboard types "３幢１０１"), spaces squeezed."""
    return " ".join(unicodedata.normalize("NFKC", text or "").split())


def parse(text: str) -> Search:
    """How to read the search box. Four digits are a phone tail (and a room); letters are pinyin initials or
    the start of the pinyin; a building and room ("3幢101", "3-101") is a flat; anything else is a name."""
    text = normalised(text)[:100]
    if not text:
        return Search()
    compact = text.replace(" ", "")
    if INITIALS_RE.match(text.lower()):
        return Search(text=text, initials=compact.lower(), name=text)
    if compact.isdigit() and len(compact) == PHONE_TAIL_LENGTH:
        return Search(text=text, phone_tail=compact, flat=Flat(room=compact))
    if NUMBER_RE.match(compact.upper()):
        return Search(text=text, number=compact.upper())
    match = FLAT_RE.match(compact)
    if match and (match["building"] or match["unit"] or compact != match["room"] or match["estate"]):
        return Search(text=text, flat=Flat(room=match["room"], building=match["building"] or "",
                                           unit=match["unit"] or "", estate=match["estate"]))
    if compact.isdigit():  # two or three digits: a room number
        return Search(text=text, flat=Flat(room=compact))
    return Search(text=text, name=text)
