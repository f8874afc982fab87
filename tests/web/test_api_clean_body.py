"""The API's JSON bodies lose the characters no person types, whether raw or escaped, and a clean body is parsed
without walking its strings one by one."""

from __future__ import annotations

import json

import pytest
from django.test import RequestFactory

from commonground.config.api import CleanParser, may_hold_unwanted


def parse(text: str) -> object:
    request = RequestFactory().post("/api/x", text.encode(), content_type="application/json")
    return CleanParser().parse_body(request)


@pytest.mark.parametrize("value", ["a\x00b", "a\x85b", "a\ud800b", "a\uffffb", "a\x7fb", "a\x1bb"])
@pytest.mark.parametrize("ascii_only", [True, False])
def test_parse_body__unwanted_character_raw_or_escaped__dropped(value, ascii_only):
    text = json.dumps({"name": value, "list": [value]}, ensure_ascii=ascii_only)
    assert may_hold_unwanted(text.encode("utf-8", "surrogatepass"))
    if "\ud800" in value and not ascii_only:
        return  # a lone surrogate cannot travel as UTF-8 at all
    assert parse(text) == {"name": "ab", "list": ["ab"]}


def test_parse_body__clean_chinese_and_escapes__unchanged_and_not_walked():
    text = json.dumps({"sensor": "客流-1", "at": "2024-05-06T09:00:00+08:00", "note": "第一行\n第二行"},
                      ensure_ascii=False)
    assert not may_hold_unwanted(text.encode())
    assert parse(text) == {"sensor": "客流-1", "at": "2024-05-06T09:00:00+08:00", "note": "第一行\n第二行"}
    escaped = json.dumps({"name": "中文"})  # \u4e2d\u6587: no escape of an unwanted range
    assert not may_hold_unwanted(escaped.encode())
    assert parse(escaped) == {"name": "中文"}
