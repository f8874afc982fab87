"""Unified social credit codes after GB 32100-2015: real-format valid codes of each registration authority, and
each kind of invalid code refused with its own reason."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from commonground.core.validators import (
    USCC_AUTHORITY_TYPES,
    USCC_CHARSET,
    credit_code_check_char,
    validate_credit_code,
)

# Published codes of well-known Hangzhou companies (as printed on their business licences and disclosures):
# 阿里巴巴（中国）有限公司, 阿里巴巴（中国）网络技术有限公司, 杭州海康威视数字技术股份有限公司, 杭州娃哈哈集团有限公司,
# 蚂蚁科技集团股份有限公司. Their check characters verify.
PUBLISHED = ["91330100799655058B", "91330100716105852F", "91330000733796106P", "91330000142916567N",
             "91330106673959654P"]


def _code(first17: str) -> str:
    return first17 + credit_code_check_char(first17)


def _reason(code: str) -> str:
    with pytest.raises(ValidationError) as error:
        validate_credit_code(code)
    return error.value.error_list[0].code


@pytest.mark.parametrize("code", PUBLISHED)
def test_validate_credit_code__published_hangzhou_companies__accepted(code):
    validate_credit_code(code)


@pytest.mark.parametrize("first17", [
    "91330105MA2KDW8L5",   # 工商 · 企业 (a company registered in Gongshu)
    "92330105MA2H1PQ37",   # 工商 · 个体工商户
    "93330105MA2CX0A11",   # 工商 · 农民专业合作社
    "12330105470000000",   # 机构编制 · 事业单位
    "11330105002500000",   # 机构编制 · 机关
    "51330105MJ9000000",   # 民政 · 社会团体
    "52330105MJ8000001",   # 民政 · 民办非企业单位
    "53330000MJ7000002",   # 民政 · 基金会
    "31330000MD0000001",   # 司法行政 · 律师执业机构
    "81330105MC0000001",   # 工会 · 基层工会
    "N2330105MF0000001",   # 农业 · 村级集体经济组织
    "Y1330105MG0000001",   # 其他
])
def test_validate_credit_code__each_authority_and_kind__accepted(first17):
    validate_credit_code(_code(first17))
    validate_credit_code(_code(first17).lower())  # typed in lower case: the same code


@pytest.mark.parametrize(("code", "reason"), [
    ("91330105MA2KDW8L", "uscc_length"),
    (_code("91330105MA2KDW8L5") + "0", "uscc_length"),
    ("", "uscc_length"),
    ("91330105MA2KDW8LI" + "0", "uscc_chars"),        # I is never used
    ("91330105MA2KDWSL50", "uscc_chars"),             # nor S
    ("Z1330105MA2KDW8L50", "uscc_chars"),             # nor Z
    (_code("B1330105MA2KDW8L5"), "uscc_authority"),   # B is no registration authority
    (_code("01330105MA2KDW8L5"), "uscc_authority"),
    (_code("94330105MA2KDW8L5"), "uscc_type"),        # 工商 registers only types 1, 2, 3
    (_code("99330105MA2KDW8L5"), "uscc_type"),
    (_code("54330105MJ9000000"), "uscc_type"),        # 民政: 1, 2, 3, 9
    (_code("Y2330105MG0000001"), "uscc_type"),        # 其他: 1 only
    (_code("9133A105MA2KDW8L5"), "uscc_region"),
    ("91330105MA2KDW8L5" + ("0" if credit_code_check_char("91330105MA2KDW8L5") != "0" else "1"), "uscc_checksum"),
])
def test_validate_credit_code__invalid__refused_with_its_reason(code, reason):
    assert _reason(code) == reason


def test_validate_credit_code__bad_kind__message_names_the_allowed_kinds():
    with pytest.raises(ValidationError) as error:
        validate_credit_code(_code("94330105MA2KDW8L5"))
    assert error.value.messages == [
        "The second character of a credit code is the kind of organisation; with registration authority “9” it is "
        "one of 1, 2, 3, not “4”."]


@given(st.sampled_from(sorted(USCC_AUTHORITY_TYPES)), st.data(),
       st.text(alphabet="0123456789", min_size=6, max_size=6),
       st.text(alphabet=USCC_CHARSET, min_size=9, max_size=9))
def test_validate_credit_code__any_wrong_check_char__refused(authority, data, region, body):
    kind = data.draw(st.sampled_from(USCC_AUTHORITY_TYPES[authority]))
    first17 = authority + kind + region + body
    right = credit_code_check_char(first17)
    validate_credit_code(first17 + right)
    wrong = data.draw(st.sampled_from([c for c in USCC_CHARSET if c != right]))
    with pytest.raises(ValidationError):
        validate_credit_code(first17 + wrong)
