"""Imports of the ledgers from the clerks' spreadsheets (CSV or XLSX): the building ledger, the enterprise ledger
and tax records. All or nothing: every row is checked first and every error is told by row number and the
column's header as the file names it; with any error nothing is written. Rows are written through the ledger
services (upsert: by credit code, by (credit code, year, month), by building code), so an import does exactly what
the pages would."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from commonground.core.models import Place, PlaceKind, User
from commonground.core.permissions import scope_paths
from commonground.core.rosters import cells
from commonground.core.rosters.readers import read_upload

from .. import rules
from ..grading import clean_values
from ..models import Enterprise, EnterpriseStatus, EnterpriseTier, TaxRecord
from .ledgers import (
    BUILDING_KINDS,
    building_ledger_set,
    enterprise_create,
    enterprise_update,
    grading_indicators,
    tax_record_set,
)

MAX_CAPITAL = Decimal("99999999999999.99")
MAX_TAX = Decimal("999999999999.99")

# Each import's columns: key → (the template's Chinese header, other headers a file may use). Headers match
# without regard to case; the template's headers are Chinese whatever the user's language.
ENTERPRISE_COLUMNS: dict[str, tuple[str, ...]] = {
    "credit_code": ("统一社会信用代码", "信用代码", "credit_code"),
    "name": ("企业名称", "名称", "name"),
    "industry_code": ("行业代码", "国民经济行业代码", "industry_code"),
    "registered_capital": ("注册资本（元）", "注册资本(元)", "注册资本", "registered_capital"),
    "registered_on": ("成立日期", "注册日期", "registered_on"),
    "registered_address": ("注册地址", "registered_address"),
    "building": ("所在楼宇编码", "楼宇编码", "building"),
    "registered_building": ("注册楼宇编码", "registered_building"),
    "floor": ("楼层", "floor"),
    "room": ("房号", "room"),
    "headcount": ("从业人数", "员工人数", "headcount"),
    "status": ("经营状态", "状态", "status"),
    "tier": ("服务层级", "企业类别", "tier"),
    "moved_in_on": ("入驻日期", "moved_in_on"),
    "moved_out_on": ("迁出日期", "moved_out_on"),
}
ENTERPRISE_REQUIRED = ("credit_code", "name", "registered_on")
TAX_COLUMNS: dict[str, tuple[str, ...]] = {
    "credit_code": ("统一社会信用代码", "信用代码", "credit_code"),
    "year": ("年度", "年份", "year"),
    "month": ("月份", "month"),
    "amount": ("税收（元）", "税收(元)", "税收", "纳税额", "amount"),
}
TAX_REQUIRED = ("credit_code", "year", "month", "amount")
BUILDING_REQUIRED = ("building",)

STATUS_WORDS = {"经营中": EnterpriseStatus.ACTIVE, "在营": EnterpriseStatus.ACTIVE, "存续": EnterpriseStatus.ACTIVE,
                "已迁出": EnterpriseStatus.MOVED_OUT, "迁出": EnterpriseStatus.MOVED_OUT,
                "已注销": EnterpriseStatus.DEREGISTERED, "注销": EnterpriseStatus.DEREGISTERED}
TIER_WORDS = {"重点企业": EnterpriseTier.KEY, "重点": EnterpriseTier.KEY, "一般企业": EnterpriseTier.ORDINARY,
              "一般": EnterpriseTier.ORDINARY}


def building_columns() -> dict[str, tuple[str, ...]]:
    """The building ledger's columns: the building's code, its vacant area, and each grading indicator (by its
    code or its Chinese label; optional)."""
    columns: dict[str, tuple[str, ...]] = {"building": ("楼宇编码", "building"),
                                           "vacant_area_m2": ("空置面积（m²）", "空置面积(m²)", "空置面积",
                                                              "vacant_area_m2")}
    for code, label, _dimension, _weight, _max in rules.grade_indicators():
        columns[f"indicator:{code}"] = (f"{code} {label}", code, label)
    return columns


def template_headers(columns: dict[str, tuple[str, ...]]) -> list[str]:
    """The headers of an import's template (the first name of each column)."""
    return [names[0] for names in columns.values()]


@dataclass
class ImportSummary:
    rows: int = 0
    created: int = 0
    updated: int = 0


@dataclass
class Rows:
    """An uploaded table's rows as {column key: cell text}, with the header each column has in the file."""

    items: list[tuple[int, dict[str, str]]]
    headers: dict[str, str]
    errors: list[str] = field(default_factory=list)

    def fail(self, row: int, key: str, message: str) -> None:
        self.errors.append(_("Row %(row)d, %(column)s: %(message)s") % {
            "row": row, "column": self.headers.get(key, key), "message": message})

    def parse(self, row: int, values: dict[str, str], key: str, parser: Callable[..., Any], *,
              required: bool = False, **options: Any) -> Any:
        text = values.get(key, "")
        if not text:
            if required:
                self.fail(row, key, _("this cell is empty."))
            return None
        try:
            return parser(text, **options)
        except ValidationError as error:
            self.fail(row, key, error.messages[0])
            return None


def read_rows(upload: Any, columns: dict[str, tuple[str, ...]], required: tuple[str, ...]) -> Rows:
    """The rows of an uploaded import file; ValidationError({"file": …}) when it cannot be read or a required
    column is missing."""
    aliases = {key: {name.strip().lower() for name in names} for key, names in columns.items()}
    table, index = read_upload(upload, aliases)
    missing = [columns[key][0] for key in required if key not in index]
    if missing:
        raise ValidationError({"file": _("Columns missing: %(columns)s.") % {"columns": "、".join(missing)}})
    if not table.rows:
        raise ValidationError({"file": _("The file has no rows below its headers.")})
    headers = {key: table.headers[position] for key, position in index.items()}
    items = [(number, {key: (cells_[position].strip() if position < len(cells_) else "")
                       for key, position in index.items()}) for number, cells_ in table.rows]
    return Rows(items, headers)


def _may(paths: list[str] | None, path: str) -> bool:
    return paths is None or any(path.startswith(prefix) for prefix in paths)


def _buildings(codes: set[str]) -> dict[str, Place]:
    return {place.code: place for place in Place.objects.filter(
        code__in=codes, kind__in=BUILDING_KINDS).select_related("parent")}


def _building(rows: Rows, row: int, key: str, code: str | None, buildings: dict[str, Place],
              paths: list[str] | None) -> Place | None:
    if not code:
        return None
    place = buildings.get(code)
    if place is None or place.parent is None or place.parent.kind != PlaceKind.BUSINESS_COMMUNITY:
        rows.fail(row, key, _("no building of a business community has the code %(code)s.") % {"code": code})
        return None
    if not _may(paths, place.path):
        rows.fail(row, key, _("%(building)s is outside the places you manage.") % {"building": place.name})
        return None
    return place


def _choice(words: dict[str, str], values: list[str], label: str) -> Callable[[str], str]:
    def parse(text: str) -> str:
        found = words.get(text) or (text.lower() if text.lower() in values else None)
        if found is None:
            raise ValidationError(_("“%(value)s” is not allowed here; use one of: %(allowed)s.") % {
                "value": text, "allowed": label})
        return found
    return parse


def _check(rows: Rows) -> None:
    if rows.errors:
        raise ValidationError({"rows": rows.errors})


def _duplicates(rows: Rows, keys: list[tuple[int, Any]], column: str, what: str) -> None:
    seen: dict[Any, int] = {}
    for row, key in keys:
        if key is None:
            continue
        if key in seen:
            rows.fail(row, column, _("the same %(what)s as row %(row)d.") % {"what": what, "row": seen[key]})
        seen.setdefault(key, row)


def _write(rows: Rows, row: int, write: Callable[[], Any]) -> Any:
    """Write one row through its service; a refusal becomes the row's error (the import fails as a whole)."""
    try:
        with transaction.atomic():
            return write()
    except ValidationError as error:
        for key, messages in error.message_dict.items():
            for message in messages:
                rows.fail(row, key, message)
    except PermissionDenied:
        rows.errors.append(_("Row %(row)d: you may not change this row.") % {"row": row})
    return None


@transaction.atomic
def enterprises_import(*, actor: User, rows: Rows) -> ImportSummary:
    """Enter or update the enterprises of `rows` (upsert by credit code). `actor` manages enterprises
    (enterprise.manage) at each row's buildings; all rows are checked before any is written."""
    paths = scope_paths(actor, "enterprise.manage")
    if paths == []:
        raise PermissionDenied
    statuses = ", ".join(STATUS_WORDS)
    tiers = ", ".join(TIER_WORDS)
    codes = {values.get(key, "") for _row, values in rows.items for key in ("building", "registered_building")}
    buildings = _buildings(codes - {""})
    parsed: list[tuple[int, dict[str, Any]]] = []
    for row, values in rows.items:
        before = len(rows.errors)
        item = {
            "credit_code": rows.parse(row, values, "credit_code", cells.credit_code, required=True),
            "name": rows.parse(row, values, "name", cells.text, required=True, max_length=200),
            "industry_code": rows.parse(row, values, "industry_code", cells.text, max_length=5),
            "registered_capital": rows.parse(row, values, "registered_capital", cells.decimal, places=2,
                                             low=Decimal(0), high=MAX_CAPITAL),
            "registered_on": rows.parse(row, values, "registered_on", cells.date, required=True),
            "registered_address": rows.parse(row, values, "registered_address", cells.text, max_length=255),
            "floor": rows.parse(row, values, "floor", cells.text, max_length=10),
            "room": rows.parse(row, values, "room", cells.text, max_length=20),
            "headcount": rows.parse(row, values, "headcount", cells.integer, low=0, high=10_000_000),
            "status": rows.parse(row, values, "status",
                                 _choice(STATUS_WORDS, list(EnterpriseStatus.values), statuses)),
            "tier": rows.parse(row, values, "tier", _choice(TIER_WORDS, list(EnterpriseTier.values), tiers)),
            "moved_in_on": rows.parse(row, values, "moved_in_on", cells.date),
            "moved_out_on": rows.parse(row, values, "moved_out_on", cells.date),
            "building": _building(rows, row, "building", values.get("building"), buildings, paths),
            "registered_building": _building(rows, row, "registered_building", values.get("registered_building"),
                                             buildings, paths),
        }
        if not values.get("building") and not values.get("registered_building"):
            rows.fail(row, "building" if "building" in rows.headers else "credit_code",
                      _("give the building where the enterprise is or where it is registered."))
        if len(rows.errors) == before:
            parsed.append((row, item))
    _duplicates(rows, [(row, values.get("credit_code", "").upper() or None) for row, values in rows.items],
                "credit_code", _("credit code"))
    existing = {e.credit_code: e for e in Enterprise.objects.filter(
        credit_code__in=[item["credit_code"] for _row, item in parsed])}
    for row, item in parsed:
        firm = existing.get(item["credit_code"])
        if firm is not None and not _may(paths, firm.place_path):
            rows.fail(row, "credit_code", _("this enterprise is in the ledger of a place you do not manage."))
    _check(rows)
    summary = ImportSummary(rows=len(parsed))
    for row, item in parsed:
        code = item.pop("credit_code")
        firm = existing.get(code)
        given = {key: value for key, value in item.items()
                 if value is not None or (key in ("building", "registered_building") and key in rows.headers)}
        if firm is None:
            given.pop("name")
            registered_on = given.pop("registered_on")
            if _write(rows, row, lambda code=code, item=item, given=given, registered_on=registered_on:
                      enterprise_create(actor=actor, credit_code=code, name=item["name"],
                                        registered_on=registered_on, **given)):
                summary.created += 1
        elif _write(rows, row, lambda firm=firm, given=given: enterprise_update(actor=actor, enterprise=firm,
                                                                                **given)):
            summary.updated += 1
    _check(rows)
    return summary


@transaction.atomic
def tax_records_import(*, actor: User, rows: Rows) -> ImportSummary:
    """Record the tax of `rows` (upsert by credit code, year and month; month 0 for a whole year). Every firm
    must be in the ledger where `actor` manages tax records."""
    paths = scope_paths(actor, "taxrecord.manage")
    if paths == []:
        raise PermissionDenied
    parsed: list[tuple[int, dict[str, Any]]] = []
    for row, values in rows.items:
        before = len(rows.errors)
        item = {
            "credit_code": rows.parse(row, values, "credit_code", cells.credit_code, required=True),
            "year": rows.parse(row, values, "year", cells.integer, required=True, low=1990, high=2100),
            "month": rows.parse(row, values, "month", cells.integer, required=True, low=0, high=12),
            "amount": rows.parse(row, values, "amount", cells.decimal, required=True, places=2, low=Decimal(0),
                                 high=MAX_TAX),
        }
        if len(rows.errors) == before:
            parsed.append((row, item))
    _duplicates(rows, [(row, (item["credit_code"], item["year"], item["month"])) for row, item in parsed],
                "month", _("credit code, year and month"))
    firms = {e.credit_code: e for e in Enterprise.objects.filter(
        credit_code__in={item["credit_code"] for _row, item in parsed})}
    for row, item in parsed:
        firm = firms.get(item["credit_code"])
        if firm is None or not _may(paths, firm.place_path):
            rows.fail(row, "credit_code", _("no enterprise of your ledger has this credit code."))
    _check(rows)
    summary = ImportSummary(rows=len(parsed))
    known = set(TaxRecord.objects.filter(enterprise__in=list(firms.values())).values_list(
        "enterprise__credit_code", "year", "month"))
    for row, item in parsed:
        key = (item["credit_code"], item["year"], item["month"])
        if _write(rows, row, lambda item=item: tax_record_set(
                actor=actor, enterprise=firms[item["credit_code"]], year=item["year"], month=item["month"],
                amount=item["amount"])):
            if key in known:
                summary.updated += 1
            else:
                summary.created += 1
    _check(rows)
    return summary


@transaction.atomic
def building_ledgers_import(*, actor: User, rows: Rows) -> ImportSummary:
    """Set the building ledger of `rows`: vacant area and, when any indicator column is filled, the grading
    indicators (the grade follows). `actor` manages the building ledger (buildingledger.manage) there."""
    paths = scope_paths(actor, "buildingledger.manage")
    if paths == []:
        raise PermissionDenied
    buildings = _buildings({values.get("building", "") for _row, values in rows.items} - {""})
    parsed: list[tuple[int, Place, Decimal | None, dict[str, str] | None]] = []
    for row, values in rows.items:
        before = len(rows.errors)
        place = _building(rows, row, "building", rows.parse(row, values, "building", cells.text, required=True,
                                                            max_length=64), buildings, paths)
        vacant = rows.parse(row, values, "vacant_area_m2", cells.decimal, places=2, low=Decimal(0),
                            high=cells.MAX_AREA)
        indicators = {key.split(":", 1)[1]: text for key, text in values.items()
                      if key.startswith("indicator:") and text}
        _values, wrong = clean_values(grading_indicators(), indicators)
        for code, top in sorted(wrong.items()):
            rows.fail(row, f"indicator:{code}", _("enter a number from 0 to %(max)s.") % {"max": top})
        if place is not None and vacant is not None and place.floor_area_m2 is not None \
                and vacant > place.floor_area_m2:
            rows.fail(row, "vacant_area_m2", _("the vacant area cannot exceed the building's floor area."))
        if len(rows.errors) == before and place is not None:
            parsed.append((row, place, vacant, indicators or None))
    _duplicates(rows, [(row, place.pk) for row, place, _vacant, _indicators in parsed], "building",
                _("building code"))
    _check(rows)
    summary = ImportSummary(rows=len(parsed))
    existing = set(Place.objects.filter(pk__in=[place.pk for _r, place, _v, _i in parsed],
                                        business_ledger__isnull=False).values_list("pk", flat=True))
    for row, place, vacant, indicators in parsed:
        if _write(rows, row, lambda place=place, vacant=vacant, indicators=indicators: building_ledger_set(
                actor=actor, building=place, vacant_area_m2=vacant, indicators=indicators)):
            if place.pk in existing:
                summary.updated += 1
            else:
                summary.created += 1
    _check(rows)
    return summary


IMPORTS = {
    # kind → (columns, required columns, import service)
    "enterprises": (lambda: ENTERPRISE_COLUMNS, ENTERPRISE_REQUIRED, enterprises_import),
    "tax": (lambda: TAX_COLUMNS, TAX_REQUIRED, tax_records_import),
    "buildings": (building_columns, BUILDING_REQUIRED, building_ledgers_import),
}


def ledger_import(*, actor: User, kind: str, upload: Any) -> ImportSummary:
    """Read `upload` as the `kind` import ("enterprises", "tax", "buildings") and import it, all or nothing."""
    columns, required, run = IMPORTS[kind]
    return run(actor=actor, rows=read_rows(upload, columns(), required))
