"""Rendering GeoReport v2 documents as JSON or XML, and the spec's error lists."""

from __future__ import annotations

import io
import json
from typing import Any

from django.http import HttpResponse
from django.utils.xmlutils import SimplerXMLGenerator

from commonground.core.text import clean_text

FORMATS = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}
# The XML element of each item inside a list-valued field (the spec's plural/singular pairs).
LIST_ITEMS = {"endpoints": "endpoint", "formats": "format", "attributes": "attribute", "values": "value"}


class Open311Error(Exception):
    """An error the spec names: answered as [{code, description}] with that HTTP status."""

    def __init__(self, status: int, *descriptions: str) -> None:
        super().__init__(*descriptions)
        self.status = status
        self.descriptions = list(descriptions)


def render(data: Any, fmt: str, *, root: str, item: str = "", status: int = 200) -> HttpResponse:
    """`data` (a dict, or a list of dicts whose XML elements are named `item`) in `fmt`. Text loses what XML
    forbids and UTF-8 cannot encode (control characters, lone surrogates, U+FFFE/U+FFFF), in both formats, so
    an echoed parameter or an old row cannot make a document unreadable."""
    data = _cleaned(data)
    if fmt == "xml":
        body = to_xml(data, root=root, item=item)
    else:
        body = json.dumps(data, ensure_ascii=False).encode()
    return HttpResponse(body, status=status, content_type=FORMATS.get(fmt, FORMATS["json"]))


def render_errors(fmt: str, status: int, descriptions: list[str]) -> HttpResponse:
    errors = [{"code": status, "description": str(text)} for text in descriptions]
    return render(errors, fmt if fmt in FORMATS else "json", root="errors", item="error", status=status)


def _cleaned(value: Any) -> Any:
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list):
        return [_cleaned(item) for item in value]
    if isinstance(value, dict):
        return {key: _cleaned(item) for key, item in value.items()}
    return value


def to_xml(data: Any, *, root: str, item: str = "") -> bytes:
    stream = io.StringIO()
    xml = SimplerXMLGenerator(stream, "UTF-8")
    xml.startDocument()
    if isinstance(data, list):
        xml.startElement(root, {})
        for entry in data:
            _element(xml, item, entry)
        xml.endElement(root)
    else:
        _element(xml, root, data)
    xml.endDocument()
    return stream.getvalue().encode()


def _element(xml: SimplerXMLGenerator, name: str, value: Any) -> None:
    if isinstance(value, dict):
        xml.startElement(name, {})
        for key, child in value.items():
            _element(xml, key, child)
        xml.endElement(name)
    elif isinstance(value, list):
        xml.startElement(name, {})
        for child in value:
            _element(xml, LIST_ITEMS.get(name, "item"), child)
        xml.endElement(name)
    elif value is None:
        xml.addQuickElement(name)
    elif isinstance(value, bool):
        xml.addQuickElement(name, "true" if value else "false")
    else:
        xml.addQuickElement(name, clean_text(str(value)))
