"""The four rosters a clerk keeps in Excel: their columns, headers and choice labels.

Each column has an English key and the Chinese label written on export; a file's header
may use either (case, width and spacing do not matter), so an exported file imports back.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ..models import PlaceKind, Relation


@dataclass(frozen=True)
class Column:
    key: str
    label: str  # the Chinese header written on export
    required: bool = False
    aliases: tuple[str, ...] = ()

    def names(self) -> tuple[str, ...]:
        return (self.key, self.label, *self.aliases)


@dataclass(frozen=True)
class RosterSpec:
    name: str
    title: Promise
    resource: str  # the permission resource rows of this roster belong to
    columns: tuple[Column, ...]

    def column(self, key: str) -> Column:
        return next(column for column in self.columns if column.key == key)

    @property
    def keys(self) -> list[str]:
        return [column.key for column in self.columns]

    @property
    def labels(self) -> list[str]:
        return [column.label for column in self.columns]


ID_ALIASES = ("身份证号码", "公民身份号码", "身份证")
FLAT_ALIASES = ("房屋代码", "房号编码")

PLACES = RosterSpec("places", _("places"), "place", (
    Column("code", "编码", True, ("代码", "地点编码")),
    Column("name", "名称", False),
    Column("kind", "类型", False, ("类别",)),
    Column("parent_code", "上级编码", False, ("上级代码",)),
    Column("latitude", "纬度"),
    Column("longitude", "经度"),
    Column("floor_area_m2", "建筑面积(㎡)", False, ("建筑面积", "建筑面积(平方米)")),
    Column("year_built", "建成年份", False, ("建成年代",)),
    Column("floors", "地上层数", False, ("层数", "楼层数")),
    Column("households", "户数"),
    Column("address", "地址"),
))

PEOPLE = RosterSpec("people", _("people"), "person", (
    Column("id_number", "身份证号", True, ID_ALIASES),
    Column("name", "姓名", True),
    Column("phone", "联系电话", False, ("电话", "手机", "手机号", "手机号码")),
))

HOUSEHOLDS = RosterSpec("households", _("households"), "household", (
    Column("flat_code", "房屋编码", True, FLAT_ALIASES),
    Column("id_number", "身份证号", True, ID_ALIASES),
    Column("relation", "与户主关系", True, ("关系",)),
))

OWNERSHIP = RosterSpec("ownership", _("ownership"), "ownership", (
    Column("flat_code", "房屋编码", True, FLAT_ALIASES),
    Column("owner_id_number", "产权人身份证号", False, ("产权人身份证号码",)),
    Column("owner_credit_code", "产权单位信用代码", False, ("统一社会信用代码", "信用代码")),
    Column("exclusive_area_m2", "专有部分面积(㎡)", True, ("专有部分面积", "专有面积", "专有部分面积(平方米)")),
    Column("acquired_on", "取得日期", False, ("登记日期",)),
))

ROSTERS: dict[str, RosterSpec] = {spec.name: spec for spec in (PLACES, PEOPLE, HOUSEHOLDS, OWNERSHIP)}

# Chinese labels as clerks write them; export writes the first, import accepts all.
KIND_LABELS_ZH: dict[str, tuple[str, ...]] = {
    PlaceKind.DISTRICT: ("区", "区县"),
    PlaceKind.STREET: ("街道", "乡镇"),
    PlaceKind.COMMUNITY: ("社区",),
    PlaceKind.ESTATE: ("小区",),
    PlaceKind.BUILDING: ("楼幢", "楼栋"),
    PlaceKind.CORRIDOR: ("楼道", "单元"),
    PlaceKind.FLAT: ("房屋", "户室", "房间"),
    PlaceKind.BUSINESS_COMMUNITY: ("商务社区",),
    PlaceKind.OFFICE_BUILDING: ("商务楼宇", "写字楼", "楼宇"),
    PlaceKind.GRID: ("网格",),
    PlaceKind.FACILITY: ("设施",),
}

RELATION_LABELS_ZH: dict[str, tuple[str, ...]] = {
    Relation.HEAD: ("户主", "本人"),
    Relation.SPOUSE: ("配偶", "妻子", "丈夫"),
    Relation.CHILD: ("子女", "儿子", "女儿", "子", "女"),
    Relation.PARENT: ("父母", "父亲", "母亲"),
    Relation.GRANDCHILD: ("孙子女", "孙子", "孙女", "外孙子女", "外孙", "外孙女"),
    Relation.OTHER: ("其他", "其他亲属"),
    Relation.TENANT: ("租户", "租客"),
}


def normalise_header(text: str) -> str:
    """Fold width, case and spacing: “ 身份证号 ”, “ID_Number” and “id_number” match their column."""
    folded = unicodedata.normalize("NFKC", str(text or "")).casefold()
    return "".join(char for char in folded if not char.isspace() and char != "*")


def choice_lookup(choices: type, labels_zh: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """normalised text → choice value, for the value, its English and current labels and the Chinese labels."""
    lookup: dict[str, str] = {}
    for value, label in choices.choices:
        names = [value, str(label), *labels_zh.get(value, ())]
        with translation.override("en"):
            names.append(str(label))
        for name in names:
            lookup.setdefault(normalise_header(name), value)
    return lookup
