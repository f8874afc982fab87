from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from commonground.core.validators import (
    credit_code_check_char,
    id_number_birth_date,
    id_number_check_char,
    id_number_gender,
    parse_decimal,
    validate_credit_code,
    validate_id_number,
    validate_mobile,
    validate_non_negative_money,
    validate_phone,
    validate_positive_area,
)

# ID numbers are checked against the clock's today, which a deployment keeps in the database.
pytestmark = pytest.mark.django_db

# Published specimen numbers: GB 11643's example and well-known valid credit codes.
VALID_ID_NUMBERS = ["11010519491231002X", "110105194912310046"]
VALID_CREDIT_CODES = ["91350100M000100Y43", "91110000600037341L"]


def _codes(error: pytest.ExceptionInfo[ValidationError]) -> list[str]:
    return [e.code for e in error.value.error_list]


@pytest.mark.parametrize("number", VALID_ID_NUMBERS[:2])
def test_validate_id_number__published_examples__accepted(number):
    validate_id_number(number)


def test_validate_id_number__lowercase_x__accepted():
    validate_id_number("11010519491231002x")


def test_id_number_helpers__birth_date_and_gender():
    assert id_number_birth_date("11010519491231002X").isoformat() == "1949-12-31"
    assert id_number_gender("11010519491231002X") == "F"
    assert id_number_gender("110105194912310046") == "F"
    assert id_number_gender("110105194912310038") == "M"


@pytest.mark.parametrize(
    ("number", "code"),
    [
        ("11010519491231002", "id_length"),
        ("1101051949123100211", "id_length"),
        ("11010519491231002Y", "id_chars"),
        ("A1010519491231002X", "id_chars"),
        ("910105194912310025", "id_region"),
        ("110105194913310028", "id_birth"),
        ("110105189912310026", "id_birth"),
        ("110105194912310021", "id_checksum"),
    ],
)
def test_validate_id_number__invalid__rejected_with_reason(number, code):
    with pytest.raises(ValidationError) as error:
        validate_id_number(number)
    assert _codes(error) == [code]


@given(st.from_regex(r"\A[1-8]\d{5}(19[0-9]{2}|200[0-9])(0[1-9]|1[0-2])(0[1-9]|1[0-9]|2[0-8])\d{3}\Z"))
def test_validate_id_number__any_wrong_check_char__rejected(first17):
    right = id_number_check_char(first17)
    validate_id_number(first17 + right)
    for wrong in "0123456789X":
        if wrong != right:
            with pytest.raises(ValidationError):
                validate_id_number(first17 + wrong)


@pytest.mark.parametrize("code", VALID_CREDIT_CODES[:2])
def test_validate_credit_code__published_examples__accepted(code):
    validate_credit_code(code)


def test_credit_code_check_char__computed():
    assert credit_code_check_char("91350100M000100Y4") == "3"


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("91350100M000100Y4", "uscc_length"),
        ("91350100M000100Y4I", "uscc_chars"),
        ("91350100M000100S43", "uscc_chars"),
        ("91AB0100M000100Y43", "uscc_region"),
        ("91350100M000100Y44", "uscc_checksum"),
    ],
)
def test_validate_credit_code__invalid__rejected_with_reason(code, reason):
    with pytest.raises(ValidationError) as error:
        validate_credit_code(code)
    assert _codes(error) == [reason]


@pytest.mark.parametrize("number", ["13800138000", "19912345678"])
def test_validate_mobile__valid(number):
    validate_mobile(number)


@pytest.mark.parametrize("number", ["12800138000", "1380013800", "138001380001", "138-0013-8000", ""])
def test_validate_mobile__invalid(number):
    with pytest.raises(ValidationError):
        validate_mobile(number)


@pytest.mark.parametrize("number", ["0571-87654321", "057187654321", "13800138000"])
def test_validate_phone__mobile_or_landline(number):
    validate_phone(number)


def test_validate_positive_area__zero_and_negative__rejected():
    validate_positive_area(Decimal("0.01"))
    for bad in (Decimal("0"), Decimal("-3.5")):
        with pytest.raises(ValidationError):
            validate_positive_area(bad)


def test_validate_non_negative_money__zero_allowed_negative_rejected():
    validate_non_negative_money(Decimal("0"))
    with pytest.raises(ValidationError):
        validate_non_negative_money(Decimal("-0.01"))


def test_parse_decimal__exact_and_refusing_garbage():
    assert parse_decimal("1,234.50") == Decimal("1234.50")
    for bad in ("abc", "NaN", "Infinity", "1.234"):
        with pytest.raises(ValidationError):
            parse_decimal(bad)


def test_messages__chinese_by_default_english_on_request():
    for language, expected in (("zh-hans", "居民身份证号码应为18位。"), ("en", "A resident ID number has 18 characters.")):
        with translation.override(language):
            with pytest.raises(ValidationError) as error:
                validate_id_number("123")
            assert error.value.messages == [expected]
