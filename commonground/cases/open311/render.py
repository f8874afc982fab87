"""Rendering GeoReport v2 documents as JSON or XML, and the spec's error lists."""

from __future__ import annotations

import io
import json
import re
from typing import Any

from django.http import HttpResponse
from django.utils.xmlutils import SimplerXMLGenerator

FORMATS = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}
# The XML element of each item inside a list-valued field (the spec's plural/singular pairs).
LIST_ITEMS = {"endpoints": "endpoint", "formats": "format", "attributes": "attribute", "values": "value"}
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0B-\x0C\x0E-\x1F]")


class Open311Error(Exception):
    """An error the spec names: answered as [{code, description}] with that HTTP status."""

    def __init__(self, status: int, *descriptions: str) -> None:
        super().__init__(*descriptions)
        self.status = status
        self.descriptions = list(descriptions)


def render(data: Any, fmt: str, *, root: str, item: str = "", status: int = 200) -> HttpResponse:
    """`data` (a dict, or a list of dicts whose XML elements are named `item`) in `fmt`."""
    if fmt == "xml":
        body = to_xml(data, root=root, item=item)
    else:
        body = json.dumps(data, ensure_ascii=False).encode()
    return HttpResponse(body, status=status, content_type=FORMATS.get(fmt, FORMATS["json"]))


def render_errors(fmt: str, status: int, descriptions: list[str]) -> HttpResponse:
    errors = [{"code": status, "description": str(text)} for text in descriptions]
    return render(errors, fmt if fmt in FORMATS else "json", root="errors", item="error", status=status)


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
        xml.addQuickElement(name, CONTROL_CHARACTERS.sub("", str(value)))
