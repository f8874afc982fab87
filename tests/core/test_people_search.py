"""How the people search box reads what a clerk types."""

from __future__ import annotations

import pytest

from commonground.core.people_search import Flat, Search, parse
from commonground.core.services.people import initials_of, search_keys


@pytest.mark.parametrize(("name", "initials"), [
    ("张三", "zs"), ("欧阳小明", "oyxm"), ("吕·阿里木", "lalm"), ("Anna Li", "al"), ("", ""),
])
def test_initials_of__names__first_letters(name, initials):
    assert initials_of(name) == initials


def test_search_keys__landline__last_four_digits():
    assert search_keys("张三", "0571-87654321") == {"name_pinyin": "zhang san", "name_initials": "zs",
                                                    "phone_tail": "4321"}


@pytest.mark.parametrize(("typed", "expected"), [
    ("", Search()),
    ("   ", Search()),
    ("zs", Search(text="zs", initials="zs", name="zs")),
    ("ZS", Search(text="ZS", initials="zs", name="ZS")),
    ("zhang san", Search(text="zhang san", initials="zhangsan", name="zhang san")),
    ("张三", Search(text="张三", name="张三")),
    ("5678", Search(text="5678", phone_tail="5678", flat=Flat(room="5678"))),
    ("５６７８", Search(text="5678", phone_tail="5678", flat=Flat(room="5678"))),  # full-width digits
    ("13800000001", Search(text="13800000001", number="13800000001")),
    ("33010519800101011x", Search(text="33010519800101011x", number="33010519800101011X")),
    ("3幢101", Search(text="3幢101", flat=Flat(room="101", building="3"))),
    ("3-1-101", Search(text="3-1-101", flat=Flat(room="101", building="3", unit="1"))),
    ("3幢1单元101室", Search(text="3幢1单元101室", flat=Flat(room="101", building="3", unit="1"))),
    ("浙工新村3幢101", Search(text="浙工新村3幢101", flat=Flat(room="101", building="3", estate="浙工新村"))),
    ("101室", Search(text="101室", flat=Flat(room="101"))),
    ("101", Search(text="101", flat=Flat(room="101"))),
    ("12345", Search(text="12345", flat=Flat(room="12345"))),
])
def test_parse__what_was_typed__its_reading(typed, expected):
    assert parse(typed) == expected
