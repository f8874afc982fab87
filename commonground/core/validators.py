"""Validators for Chinese identifiers and quantities, with zh/en messages.

Resident ID numbers follow GB 11643-1999 (18 characters, ISO 7064 MOD 11-2 check);
unified social credit codes follow GB 32100-2015 (18 characters, MOD 31 check).
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import clock

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARS = "10X98765432"

USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
# GB 32100-2015 table 1 (with its later additions): the registration authority (character 1) and the kinds of
# organisation it registers (character 2). 1 机构编制: 1 机关, 2 事业单位, 3 中央编办直接管理机构编制的群众团体,
# 9 其他; 2 外交: 1 外国常驻新闻机构, 9 其他; 3 司法行政: 1 律师执业机构, 2 公证处, 3 基层法律服务所, 4 司法鉴定机构,
# 5 仲裁委员会, 9 其他; 4 文化: 1 外国在华文化中心, 9 其他; 5 民政: 1 社会团体, 2 民办非企业单位, 3 基金会, 9 其他;
# 6 旅游: 1 外国旅游部门常驻代表机构, 2 港澳台地区旅游部门常驻内地（大陆）代表机构, 9 其他; 7 宗教: 1 宗教活动场所,
# 2 宗教院校, 9 其他; 8 工会: 1 基层工会, 9 其他; 9 工商: 1 企业, 2 个体工商户, 3 农民专业合作社;
# A 中央军委改革和编制办公室: 1 军队事业单位, 9 其他; N 农业: 1 组级、2 村级、3 乡镇级集体经济组织, 9 其他; Y 其他: 1.
USCC_AUTHORITY_TYPES = {
    "1": "1239", "2": "19", "3": "123459", "4": "19", "5": "1239", "6": "129", "7": "129", "8": "19",
    "9": "123", "A": "19", "N": "1239", "Y": "1",
}

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE_RE = re.compile(r"^0\d{2,3}-?\d{7,8}$")


def id_number_check_char(first17: str) -> str:
    """The GB 11643 check character for the first 17 digits."""
    total = sum(int(digit) * weight for digit, weight in zip(first17, ID_WEIGHTS, strict=True))
    return ID_CHECK_CHARS[total % 11]


def normalise_id_number(value: str) -> str:
    return (value or "").strip().upper()


def validate_id_number(value: str) -> None:
    """Raise ValidationError unless `value` is a valid 18-character resident ID number."""
    number = normalise_id_number(value)
    if len(number) != 18:
        raise ValidationError(_("A resident ID number has 18 characters."), code="id_length")
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise ValidationError(
            _("A resident ID number is 17 digits followed by a digit or X."), code="id_chars"
        )
    if number[0] not in "12345678":
        raise ValidationError(_("The region code of this ID number does not exist."), code="id_region")
    try:
        born = datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise ValidationError(_("The birth date in this ID number is not a real date."), code="id_birth") from None
    if born.year < 1900 or born > clock.today():
        raise ValidationError(_("The birth date in this ID number is out of range."), code="id_birth")
    if id_number_check_char(number[:17]) != number[17]:
        raise ValidationError(
            _("The check character of this ID number is wrong; please check for a typing error."),
            code="id_checksum",
        )


def id_number_birth_date(number: str) -> datetime.date:
    return datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))


def id_number_gender(number: str) -> str:
    """'M' or 'F' from the sequence digit (odd = male)."""
    return "M" if int(number[16]) % 2 else "F"


def credit_code_check_char(first17: str) -> str:
    """The GB 32100 check character for the first 17 characters."""
    total = sum(USCC_CHARSET.index(char) * weight for char, weight in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_CHARSET[(31 - total % 31) % 31]


def validate_credit_code(value: str) -> None:
    """Raise ValidationError unless `value` is a valid unified social credit code (GB 32100-2015): 18 characters
    of the code's charset, a registration authority (character 1) and a kind of organisation it registers
    (character 2), a region code (characters 3-8, digits), and the MOD 31 check character. The error's code says
    which rule failed (uscc_length, uscc_chars, uscc_authority, uscc_type, uscc_region, uscc_checksum)."""
    code = (value or "").strip().upper()
    if len(code) != 18:
        raise ValidationError(_("A unified social credit code has 18 characters."), code="uscc_length")
    bad = [char for char in code if char not in USCC_CHARSET]
    if bad:
        raise ValidationError(
            _("A unified social credit code may not contain %(chars)s (I, O, S, V and Z are never used).")
            % {"chars": "".join(sorted(set(bad)))},
            code="uscc_chars",
        )
    kinds = USCC_AUTHORITY_TYPES.get(code[0])
    if kinds is None:
        raise ValidationError(
            _("The first character of a credit code names the registration authority (1 机构编制, 5 民政, 9 工商, "
              "Y 其他 …); “%(char)s” is none of them.") % {"char": code[0]},
            code="uscc_authority",
        )
    if code[1] not in kinds:
        raise ValidationError(
            _("The second character of a credit code is the kind of organisation; with registration authority "
              "“%(authority)s” it is one of %(kinds)s, not “%(char)s”.")
            % {"authority": code[0], "kinds": ", ".join(kinds), "char": code[1]},
            code="uscc_type",
        )
    if not code[2:8].isdigit():
        raise ValidationError(_("Characters 3 to 8 of a credit code are the region code (digits)."), code="uscc_region")
    if credit_code_check_char(code[:17]) != code[17]:
        raise ValidationError(
            _("The check character of this credit code is wrong; please check for a typing error."),
            code="uscc_checksum",
        )


def validate_mobile(value: str) -> None:
    if not MOBILE_RE.match((value or "").strip()):
        raise ValidationError(_("A mobile number has 11 digits and starts with 13 to 19."), code="mobile")


def validate_phone(value: str) -> None:
    """A mainland mobile number or a landline with its area code (0571-12345678)."""
    value = (value or "").strip()
    if not (MOBILE_RE.match(value) or LANDLINE_RE.match(value)):
        raise ValidationError(
            _("Enter an 11-digit mobile number or a landline with area code, such as 0571-87654321."),
            code="phone",
        )


def parse_decimal(value: object, *, places: int = 2) -> Decimal:
    """A Decimal from user input, refusing floats' rounding surprises and non-numbers."""
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, ValueError):
        raise ValidationError(_("Enter a number."), code="number") from None
    if not number.is_finite():
        raise ValidationError(_("Enter a number."), code="number")
    if -number.as_tuple().exponent > places:  # type: ignore[operator]
        raise ValidationError(
            _("Use at most %(places)d decimal places.") % {"places": places}, code="decimal_places"
        )
    return number


def validate_positive_area(value: Decimal) -> None:
    if value is not None and value <= 0:
        raise ValidationError(_("An area must be greater than 0 m²."), code="area_positive")


def validate_non_negative_money(value: Decimal) -> None:
    if value is not None and value < 0:
        raise ValidationError(_("An amount of money cannot be negative."), code="money_negative")


# Dates and times the platform keeps: 1900 to 2099. Wider years break date arithmetic at the edges (year 1 at
# +12:00 is year 0 in UTC; 9999-12-31 plus a day does not exist) long before anyone means them.
FIRST_DAY = datetime.date(1900, 1, 1)
LAST_DAY = datetime.date(2099, 12, 31)


def in_calendar_range(value: datetime.date | datetime.datetime) -> bool:
    """Whether a date, or a time's date as written (in its own offset), lies from 1900 to 2099."""
    day = value.date() if isinstance(value, datetime.datetime) else value
    return FIRST_DAY <= day <= LAST_DAY


def calendar_range_message() -> str:
    return _("Give a date from %(first)s to %(last)s.") % {"first": FIRST_DAY.isoformat(),
                                                           "last": LAST_DAY.isoformat()}
