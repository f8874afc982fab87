"""The ledgers of the demo's business communities: a ledger for each of the 206 office buildings and 新天地's 29
serviced-apartment buildings, 14,860 enterprises with valid credit codes (14,260 operating: 2,180 of them at
新天地 with over 30,000 people), their contact people, and their tax by month from January 2022 to the demo's today.

The figures of SEED_FACTS.md follow from the rows: 3,759 enterprises with a registered capital of ¥1m or more
registered from 1 January to 31 August 2023 (2,543 a year earlier: +47.82%), their capital ¥35.34bn, and
¥9.113bn of building-economy tax in those months (¥8.3506bn a year earlier: +9.13%).

Bulk-inserted: the rows are those `enterprise_create`, `tax_record_set` and `building_ledger_set` write (the
same scope columns), without their audit history, which for a ledger loaded at once would say nothing. Tax
amounts are drawn per firm and month and then scaled so that the totals are exact (in fen).
"""

from __future__ import annotations

import datetime
import math
import random
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from commonground.core.models import Place
from commonground.core.models.places import scope_columns
from commonground.core.validators import credit_code_check_char

from ..models import (
    BuildingGrade,
    BuildingLedger,
    Enterprise,
    EnterpriseContact,
    EnterpriseStatus,
    EnterpriseTier,
    TaxRecord,
)

if TYPE_CHECKING:
    from commonground.demo.context import DemoContext

TODAY = datetime.date(2023, 8, 31)
XINTIANDI = "新天地商务社区"
OTHER_REGIONS = ("330102", "330106", "330108", "330109", "330110", "330111", "330112")  # registered elsewhere
OPERATING = 14_260
MOVED_OUT = 420
DEREGISTERED = 180
XINTIANDI_OPERATING = 2_180
XINTIANDI_PEOPLE = 30_000  # more than this many work in its operating firms
NEW_2023 = 3_759  # registered 2023-01-01..08-31 with ¥1m or more
NEW_2022 = 2_543  # the same months of 2022
NEW_2023_CAPITAL_WAN = 3_534_000  # ¥35.34bn in units of ¥10,000
SMALL_NEW_2023 = 860  # new firms under ¥1m, which the figure leaves out
SMALL_NEW_2022 = 640
TAX_2023_FEN = 9_113_000_000 * 100  # January to August
TAX_2022_FEN = 8_350_600_000 * 100
BATCH = 2_000
# (GB/T 4754 code, the word in the firm's name, weight): the trades of office buildings.
INDUSTRIES = (
    ("I6510", "软件", 14), ("I6420", "网络科技", 10), ("I6550", "信息技术", 8), ("L7211", "企业管理", 9),
    ("L7239", "咨询", 9), ("L7251", "广告", 5), ("J6631", "融资租赁", 3), ("J6790", "投资", 6),
    ("K7020", "物业管理", 4), ("F5191", "贸易", 12), ("F5137", "电子商务", 6), ("M7320", "工程技术", 4),
    ("M7484", "设计", 5), ("R8710", "文化传媒", 5), ("O8010", "家政服务", 2), ("P8391", "教育科技", 3),
)
ORGANISATION_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


@dataclass
class Firm:
    building: Place
    present: bool = True
    registered_here: bool = True
    status: str = EnterpriseStatus.ACTIVE
    registered_on: datetime.date = TODAY
    capital_wan: int = 100
    headcount: int = 5
    moved_in_on: datetime.date | None = None
    moved_out_on: datetime.date | None = None
    taxed: bool = True
    tier: str = EnterpriseTier.ORDINARY
    tax: dict[tuple[int, int], float] = field(default_factory=dict)


def build(ctx: DemoContext) -> None:
    rng = ctx.rng("business-ledgers")
    buildings = [*ctx.office_buildings, *ctx.apartment_buildings]
    xintiandi = ctx.business_communities[XINTIANDI]
    _insert_building_ledgers(rng, buildings)
    firms = _firms(rng, buildings, xintiandi)
    _date_firms(rng, firms)
    _draw_tax(rng, firms)
    enterprises = _insert_enterprises(ctx, rng, firms)
    ctx.add_count("enterprises", len(enterprises))
    ctx.add_count("tax records", _insert_tax(firms, enterprises))


def _insert_building_ledgers(rng: random.Random, buildings: list[Place]) -> None:
    ledgers = []
    for building in buildings:
        floor = building.floor_area_m2 or Decimal(0)
        score = Decimal(rng.randint(600, 960)) / 10
        grade = BuildingGrade.A if score >= 85 else BuildingGrade.B if score >= 70 else BuildingGrade.C
        ledgers.append(BuildingLedger(
            building=building, vacant_area_m2=(floor * Decimal(rng.randint(2, 22)) / 100).quantize(Decimal("1")),
            grade=grade, grade_score=score, graded_on=datetime.date(2023, 3, 15),
            **scope_columns(BuildingLedger, building.path)))
    BuildingLedger.objects.bulk_create(ledgers, batch_size=BATCH)


def _firms(rng: random.Random, buildings: list[Place], xintiandi: Place) -> list[Firm]:
    """Operating firms spread over the buildings (新天地's fixed), then those that moved out or closed."""
    ours = [b for b in buildings if b.parent_id == xintiandi.pk]
    others = [b for b in buildings if b.parent_id != xintiandi.pk]
    counts = _spread(rng, XINTIANDI_OPERATING, ours, low=10) + _spread(rng, OPERATING - XINTIANDI_OPERATING,
                                                                         others, low=20)
    firms = [Firm(building) for building, n in zip([*ours, *others], counts, strict=True) for _ in range(n)]
    for firm in firms:
        roll = rng.random()
        firm.present, firm.registered_here = (True, True) if roll < 0.85 else (True, False) if roll < 0.95 \
            else (False, True)
        firm.headcount = 0 if not firm.present else max(1, int(rng.lognormvariate(2.3, 1.0)))
    _enough_people(rng, [f for f in firms if f.building.parent_id == xintiandi.pk and f.present])
    for status, n in ((EnterpriseStatus.MOVED_OUT, MOVED_OUT), (EnterpriseStatus.DEREGISTERED, DEREGISTERED)):
        for _ in range(n):
            firms.append(Firm(rng.choice(buildings), status=status, headcount=0))
    return firms


def _spread(rng: random.Random, total: int, buildings: list[Place], *, low: int) -> list[int]:
    """`total` firms over `buildings`, at least `low` each, the rest by floor area."""
    weights = [float(b.floor_area_m2 or 1) * rng.uniform(0.7, 1.3) for b in buildings]
    spare = total - low * len(buildings)
    counts = [low + int(spare * w / sum(weights)) for w in weights]
    for i in rng.sample(range(len(buildings)), total - sum(counts)):
        counts[i] += 1
    return counts


def _enough_people(rng: random.Random, firms: list[Firm]) -> None:
    while sum(f.headcount for f in firms) <= XINTIANDI_PEOPLE:
        rng.choice(firms).headcount += rng.randint(5, 40)


def _day_between(rng: random.Random, first: datetime.date, last: datetime.date) -> datetime.date:
    return first + datetime.timedelta(days=rng.randint(0, (last - first).days))


def _date_firms(rng: random.Random, firms: list[Firm]) -> None:
    """Registration dates and capital: the new firms of 2022 and 2023 are operating, present and registered here
    (the figure counts them by registration date); the others were registered earlier."""
    eligible = [f for f in firms if f.status == EnterpriseStatus.ACTIVE and f.present and f.registered_here]
    rng.shuffle(eligible)
    groups = {"new23": NEW_2023, "new22": NEW_2022, "small23": SMALL_NEW_2023, "small22": SMALL_NEW_2022}
    start = 0
    chosen: dict[str, list[Firm]] = {}
    for group, n in groups.items():
        chosen[group] = eligible[start:start + n]
        start += n
    new = {id(f) for group in chosen.values() for f in group}
    windows = {"new23": (datetime.date(2023, 1, 1), TODAY), "small23": (datetime.date(2023, 1, 1), TODAY),
               "new22": (datetime.date(2022, 1, 1), datetime.date(2022, 8, 31)),
               "small22": (datetime.date(2022, 1, 1), datetime.date(2022, 8, 31))}
    for group, members in chosen.items():
        for firm in members:
            firm.registered_on = _day_between(rng, *windows[group])
            firm.capital_wan = rng.randint(100, 2_500) if group.startswith("new") else rng.randint(3, 99)
    _exact_capital(rng, chosen["new23"])
    for firm in firms:
        if id(firm) in new:
            firm.moved_in_on = firm.registered_on
        else:
            # a firm that left was registered before the months the figures compare
            firm.registered_on = _old_registration(rng) if firm.status == EnterpriseStatus.ACTIVE else \
                _day_between(rng, datetime.date(1998, 1, 1), datetime.date(2021, 12, 31))
            firm.capital_wan = max(3, int(rng.lognormvariate(6.0, 1.4)))
            firm.moved_in_on = _day_between(rng, max(firm.registered_on, datetime.date(2008, 1, 1)), TODAY)
            if firm.status == EnterpriseStatus.ACTIVE and rng.random() < 0.03:  # newcomers of the last month
                firm.moved_in_on = _day_between(rng, datetime.date(2023, 8, 1), TODAY)
        if not firm.present:
            firm.moved_in_on = None
        if firm.status != EnterpriseStatus.ACTIVE:
            firm.moved_out_on = _day_between(rng, datetime.date(2022, 3, 1), datetime.date(2023, 8, 15))
            firm.moved_in_on = min(firm.moved_in_on or firm.registered_on, firm.moved_out_on)
            firm.registered_on = min(firm.registered_on, firm.moved_in_on)
        firm.taxed = firm.registered_here and rng.random() < 0.86
    ranked = sorted((f for f in firms if f.status == EnterpriseStatus.ACTIVE and f.present),
                    key=lambda f: (f.capital_wan * (f.headcount + 1), id(f) % 97), reverse=True)
    for firm in ranked[:len(ranked) // 12]:
        firm.tier = EnterpriseTier.KEY


def _old_registration(rng: random.Random) -> datetime.date:
    if rng.random() < 0.06:
        return _day_between(rng, datetime.date(2022, 9, 1), datetime.date(2022, 12, 31))
    return _day_between(rng, datetime.date(1998, 1, 1), datetime.date(2021, 12, 31))


def _exact_capital(rng: random.Random, firms: list[Firm]) -> None:
    """The new ¥1m+ firms of 2023 share exactly NEW_2023_CAPITAL_WAN, none under ¥1m (100 wan)."""
    weights = [rng.lognormvariate(0, 1.3) for _ in firms]
    spare = NEW_2023_CAPITAL_WAN - 100 * len(firms)
    total = sum(weights)
    for firm, weight in zip(firms, weights, strict=True):
        firm.capital_wan = 100 + int(spare * weight / total)
    firms[0].capital_wan += NEW_2023_CAPITAL_WAN - sum(f.capital_wan for f in firms)


def _months(first: datetime.date, last: datetime.date) -> list[tuple[int, int]]:
    months, year, month = [], first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _draw_tax(rng: random.Random, firms: list[Firm]) -> None:
    """Monthly tax from January 2022 (or the firm's arrival) to August 2023 (or its leaving), scaled to the totals."""
    for firm in firms:
        if not firm.taxed:
            continue
        base = math.sqrt(firm.capital_wan) * (firm.headcount + 2) * rng.lognormvariate(0, 0.6)
        growth = rng.uniform(-0.15, 0.3)
        first = max(datetime.date(2022, 1, 1), firm.moved_in_on or firm.registered_on)
        last = min(TODAY, firm.moved_out_on or TODAY)
        for year, month in _months(first, last):
            season = 1.25 if month in (1, 4, 7, 10) else 1.0  # quarterly filings
            firm.tax[(year, month)] = base * season * (1 + growth) ** (year - 2022) * rng.uniform(0.8, 1.2)
    # September to December 2022 at the scale of the months before them
    raw_2022 = sum(value for firm in firms for (year, month), value in firm.tax.items() if year == 2022 and month <= 8)
    for firm in firms:
        for (year, month), value in firm.tax.items():
            if year == 2022 and month > 8:
                firm.tax[(year, month)] = round(value * TAX_2022_FEN / raw_2022)
    _scale(firms, lambda year, month: year == 2023 and month <= 8, TAX_2023_FEN)
    _scale(firms, lambda year, month: year == 2022 and month <= 8, TAX_2022_FEN)


def _scale(firms: list[Firm], within, target_fen: int) -> None:
    """Turn the drawn amounts of the months `within` into fen summing exactly to `target_fen`."""
    cells = [(firm, key) for firm in firms for key in firm.tax if within(*key)]
    total = sum(firm.tax[key] for firm, key in cells)
    for firm, key in cells:
        firm.tax[key] = round(firm.tax[key] * target_fen / total)
    largest_firm, largest_key = max(cells, key=lambda cell: cell[0].tax[cell[1]])
    largest_firm.tax[largest_key] += target_fen - sum(firm.tax[key] for firm, key in cells)


def _organisation_code(rng: random.Random) -> str:
    """Eight digits and their GB 11714 check character (positions 9 to 17 of a credit code)."""
    body = [rng.randrange(10) for _ in ORGANISATION_CODE_WEIGHTS]
    check = 11 - sum(d * w for d, w in zip(body, ORGANISATION_CODE_WEIGHTS, strict=True)) % 11
    return "".join(map(str, body)) + {10: "X", 11: "0"}.get(check, str(check))


def _credit_code(rng: random.Random, region: str, used: set[str]) -> str:
    code = ""
    while not code or code in used:
        first17 = f"91{region}{_organisation_code(rng)}"
        code = first17 + credit_code_check_char(first17)
    used.add(code)
    return code


def _insert_enterprises(ctx: DemoContext, rng: random.Random, firms: list[Firm]) -> list[Enterprise]:
    fake = ctx.faker("business-ledgers")
    codes: set[str] = set()
    taken: set[str] = set()
    industries = [(code, word) for code, word, _w in INDUSTRIES]
    weights = [w for _c, _w, w in INDUSTRIES]
    rows = []
    for firm in firms:
        industry, word = rng.choices(industries, weights=weights)[0]
        name = ""
        while not name or name in taken:
            name = f"杭州{fake.company_prefix()}{word}有限公司"
            if name in taken:
                name = f"杭州{fake.company_prefix()}{fake.company_prefix()}{word}有限公司"
        taken.add(name)
        building = firm.building if firm.present else None
        registered = firm.building if firm.registered_here else None
        region = "330105" if firm.registered_here else rng.choice(OTHER_REGIONS)
        address = (f"杭州市拱墅区{firm.building.name}{rng.randint(2, 30)}层" if firm.registered_here
                   else f"杭州市{fake.street_address()}")
        rows.append(Enterprise(
            credit_code=_credit_code(rng, region, codes), name=name, industry_code=industry,
            registered_capital=Decimal(firm.capital_wan * 10_000), registered_on=firm.registered_on,
            registered_address=address, registered_building=registered, building=building,
            floor=str(rng.randint(2, 30)) if building else "", room=f"{rng.randint(1, 30)}{rng.randint(1, 20):02d}"
            if building else "", headcount=firm.headcount, status=firm.status, tier=firm.tier,
            moved_in_on=firm.moved_in_on, moved_out_on=firm.moved_out_on,
            **scope_columns(Enterprise, firm.building.path)))
    enterprises = Enterprise.objects.bulk_create(rows, batch_size=BATCH)
    EnterpriseContact.objects.bulk_create(
        [EnterpriseContact(enterprise=enterprise, name=fake.name(), phone=fake.phone_number(),
                           title=rng.choice(("行政经理", "财务负责人", "总经理", "办公室主任")), is_primary=True)
         for enterprise in enterprises if enterprise.status == EnterpriseStatus.ACTIVE], batch_size=BATCH)
    return enterprises


def _insert_tax(firms: list[Firm], enterprises: list[Enterprise]) -> int:
    rows = [TaxRecord(enterprise=enterprise, year=year, month=month, amount=Decimal(fen) / 100,
                      **scope_columns(TaxRecord, enterprise.place_path))
            for firm, enterprise in zip(firms, enterprises, strict=True) for (year, month), fen in firm.tax.items()]
    TaxRecord.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)
