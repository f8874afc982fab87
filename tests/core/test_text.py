from __future__ import annotations

import pytest

from commonground.core.text import clean_text, has_unwanted


@pytest.mark.parametrize(("raw", "clean"), [
    ("楼道堆物\u0000", "楼道堆物"),
    ("a\x0bb\x0cc\x1bd\x7fe\x85f", "abcdef"),
    ("lone \ud800 surrogate", "lone  surrogate"),
    ("non\ufffe\uffffchar", "nonchar"),
    ("line one\r\nline two\tend", "line one\r\nline two\tend"),
    ("", ""),
    (None, ""),
])
def test_clean_text__drops_what_no_person_types(raw, clean):
    assert clean_text(raw) == clean


def test_clean_text__single_line__breaks_become_spaces():
    assert clean_text("一号楼\r\n二单元\t101", multiline=False) == "一号楼 二单元 101"


def test_has_unwanted():
    assert has_unwanted("x\x00") and not has_unwanted("正常的文字\n第二行")
