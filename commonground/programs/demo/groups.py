"""The couriers at 吴家墩新人公寓 (康桥街道, 吴家墩社区) and their home 吴家墩小哥党群之家: the first step of the
programmes' demo.

- The apartments' flats (5 corridors, 16 floors, 4 flats a floor) and 290 households of couriers, takeaway riders and
  ride-hailing drivers with their families (spouses, children of all school ages, a few parents): over 800 people.
  Bulk-inserted as the core residents step does (places, people, households and members), and so are the heads'
  declarations (rows as `declaration_create` writes them, without history rows, declared over the year before the
  demo's today); a few were withdrawn, some of those to declare another platform (a change of platform).
- The home's three zones (先锋议事区, 服务区, 活动充电区: 500 m²), the couriers' council 吴家墩小哥治家会 and its
  members, through the services, acting as 康桥街道's intake officer (an account the case step opened).
- The council's items are the case step's `courier-council-item` cases at the home and the apartments (about 90,
  nearly all closed by the demo's today: over 70 solved without adding any); two fresh items are filed here through
  the council's service, so the home shows items just collected.
- The demo login `courier` (password demo-courier-2023, opened by the demo's accounts after the apps' steps from
  `ctx.people["courier"]`): the head of the first household, a 顺丰 courier with a son of nine (born in 2014) and
  a daughter of four, a resident of 吴家墩新人公寓.
"""

from __future__ import annotations

import datetime
import random
import zoneinfo
from typing import TYPE_CHECKING

from faker import Faker

from commonground.core import place_cache
from commonground.core.clock import frozen_at
from commonground.core.models import (
    Gender,
    Household,
    HouseholdMember,
    Person,
    Place,
    PlaceKind,
    Relation,
    User,
)
from commonground.core.models.places import path_segment
from commonground.core.services.people import search_keys
from commonground.core.services.places import temporary_path
from commonground.core.validators import id_number_check_char

from ..models import EmploymentDeclaration, EmploymentGroup
from ..services.groups import (
    council_create,
    council_item_file,
    council_member_add,
    zone_create,
)

if TYPE_CHECKING:
    from commonground.demo.context import DemoContext

TZ = zoneinfo.ZoneInfo("Asia/Shanghai")
ESTATE = "吴家墩新人公寓"
HOME, COMMUNITY, STREET = "吴家墩小哥党群之家", "吴家墩社区", "康桥"
# Most couriers came from other provinces: their ID numbers carry those regions (and so never meet the district's).
HOME_REGIONS = ("341221", "341222", "411522", "411323", "513030", "362330", "432524", "522427")
COUNCIL_NAME = "吴家墩小哥治家会"
FLOORS, DOORS = 16, 4
HOUSEHOLDS = 290
REVOKED = 6  # withdrawn declarations; every other one declares another platform (a change of platform)
MIN_SOLVED = 71  # the seed's "over 70" (checked by the demo's tests)
DECLARED_FROM = datetime.date(2022, 6, 1)
DECLARED_TO = datetime.date(2023, 8, 20)
SET_UP_AT = datetime.datetime(2023, 8, 25, 10, 0, tzinfo=TZ)  # zones, council and members recorded
COUNCIL_SINCE = datetime.date(2021, 10, 1)
# Platforms and their group, with weights (express companies, takeaway, ride-hailing).
PLATFORMS = (("顺丰", EmploymentGroup.COURIER, 14), ("中通", EmploymentGroup.COURIER, 12),
             ("圆通", EmploymentGroup.COURIER, 10), ("申通", EmploymentGroup.COURIER, 6),
             ("韵达", EmploymentGroup.COURIER, 6), ("京东物流", EmploymentGroup.COURIER, 6),
             ("美团", EmploymentGroup.RIDER, 18), ("饿了么", EmploymentGroup.RIDER, 14),
             ("滴滴", EmploymentGroup.DRIVER, 8), ("高德打车", EmploymentGroup.DRIVER, 3),
             ("同城货运", EmploymentGroup.OTHER, 3))
ZONES = (("先锋议事区", "小哥治家会议事、小哥面对面", 150), ("服务区", "休息、饮水、维修、法律咨询", 150),
         ("活动充电区", "文体活动、课程与电动车、手机充电", 200))
POSITIONS = ("会长", "副会长", "副会长", "委员", "委员", "委员", "委员", "委员", "委员")
TOPICS = ("地下室电动车充电桩不够用，晚上排队", "小区门口希望设置快递临时停车点", "暑期孩子无人看护，希望办托管班",
          "夜间送餐回来门禁进不去", "希望增加小哥之家开放时间")


class People:
    """Unsaved Person rows with valid, unique ID numbers (GB 11643), mobile numbers and Chinese names."""

    def __init__(self, rng: random.Random, fake: Faker) -> None:
        self.rng, self.fake = rng, fake
        self.id_numbers: set[str] = set()
        self.made: list[Person] = []
        self.surnames: dict[int, str] = {}

    def person(self, *, gender: str, born_in: tuple[int, int], surname: str | None = None,
               phone: bool = True) -> Person:
        born = datetime.date(self.rng.randint(*born_in), self.rng.randint(1, 12), self.rng.randint(1, 28))
        given = self.fake.first_name_male() if gender == Gender.MALE else self.fake.first_name_female()
        surname = surname or self.fake.last_name()
        while True:
            sequence = self.rng.randrange(0, 100) * 10 + self.rng.randrange(1 if gender == Gender.MALE else 0, 10, 2)
            first17 = f"{self.rng.choice(HOME_REGIONS)}{born:%Y%m%d}{sequence:03d}"
            id_number = first17 + id_number_check_char(first17)
            if id_number not in self.id_numbers:
                self.id_numbers.add(id_number)
                break
        number = f"1{self.rng.choice('3456789')}{self.rng.randrange(10**9):09d}" if phone else ""
        person = Person(name=surname + given, **search_keys(surname + given, number), id_number=id_number,
                        phone=number, gender=gender, birth_date=born)
        self.made.append(person)
        self.surnames[id(person)] = surname
        return person


def _insert_places(places: list[Place]) -> list[Place]:
    """Insert places under saved parents, then give each its path (the demo's bulk insert of places)."""
    created = Place.objects.bulk_create(places, batch_size=500)
    for place in created:
        place.path = place.parent.path + path_segment(place.pk)
    Place.objects.bulk_update(created, ["path"], batch_size=500)
    place_cache.forget()  # written without Place's signals
    return created


def _flats(ctx: DemoContext, estate: Place) -> list[Place]:
    flats = []
    for building in ctx.buildings[estate.pk]:
        for corridor in ctx.corridors[building.pk]:
            for floor in range(1, FLOORS + 1):
                for door in range(1, DOORS + 1):
                    number = f"{floor}{door:02d}"
                    flats.append(Place(parent=corridor, code=f"{corridor.code}-{number}", path=temporary_path(),
                                       depth=corridor.depth + 1, name=f"{building.name}{corridor.name}{number}室",
                                       kind=PlaceKind.FLAT, year_built=building.year_built,
                                       latitude=corridor.latitude, longitude=corridor.longitude))
    return _insert_places(flats)


def _moment(rng: random.Random, first: datetime.date, last: datetime.date) -> datetime.datetime:
    day = first + datetime.timedelta(days=rng.randint(0, (last - first).days))
    return datetime.datetime.combine(day, datetime.time(rng.randint(8, 20), rng.randrange(60)), TZ)


def _family(rng: random.Random, maker: People, first: bool) -> tuple[Person, list[tuple[Person, str]]]:
    """A courier (the head) and their family: the first is the demo login's, with a son of nine."""
    if first:
        head = maker.person(gender=Gender.MALE, born_in=(1989, 1989))
        surname = maker.surnames[id(head)]
        spouse = maker.person(gender=Gender.FEMALE, born_in=(1991, 1991))
        son = maker.person(gender=Gender.MALE, born_in=(2014, 2014), surname=surname, phone=False)
        daughter = maker.person(gender=Gender.FEMALE, born_in=(2019, 2019), surname=surname, phone=False)
        return head, [(spouse, Relation.SPOUSE), (son, Relation.CHILD), (daughter, Relation.CHILD)]
    gender = Gender.MALE if rng.random() < 0.86 else Gender.FEMALE
    head = maker.person(gender=gender, born_in=(1978, 2001))
    year = head.birth_date.year
    male_surname = maker.surnames[id(head)] if gender == Gender.MALE else None
    members: list[tuple[Person, str]] = []
    if year < 1999 and rng.random() < 0.86:
        spouse = maker.person(gender=Gender.FEMALE if gender == Gender.MALE else Gender.MALE,
                              born_in=(year - 2, year + 4), phone=rng.random() < 0.9)
        male_surname = male_surname or maker.surnames[id(spouse)]
        members.append((spouse, Relation.SPOUSE))
        for _i in range(rng.choices((0, 1, 2), weights=(1, 5, 5))[0]):
            child = maker.person(gender=rng.choice((Gender.MALE, Gender.FEMALE)),
                                 born_in=(max(year + 22, 2006), min(year + 36, 2021)), surname=male_surname,
                                 phone=False)
            members.append((child, Relation.CHILD))
    if rng.random() < 0.22:  # a parent came to help with the children
        members.append((maker.person(gender=rng.choice((Gender.MALE, Gender.FEMALE)), born_in=(year - 30, year - 24),
                                     phone=False), Relation.PARENT))
    return head, members


def _declarations(rng: random.Random, heads: list[Person], estate: Place) -> list[EmploymentDeclaration]:
    platforms = [(name, group) for name, group, _w in PLATFORMS]
    weights = [w for _n, _g, w in PLATFORMS]
    rows = []
    for i, head in enumerate(heads):
        name, group = ("顺丰", EmploymentGroup.COURIER) if i == 0 else rng.choices(platforms, weights=weights)[0]
        rows.append(EmploymentDeclaration(person=head, group=group, platform=name, place=estate,
                                          place_path=estate.path, declared_at=_moment(rng, DECLARED_FROM,
                                                                                      DECLARED_TO - datetime.timedelta(days=120))))
    again = []
    for n, row in enumerate(rng.sample(rows[1:], REVOKED)):
        row.revoked_at = row.declared_at + datetime.timedelta(days=rng.randint(30, 110))
        if n % 2 == 0:  # a change of platform: withdrawn and declared again at once
            name, group = rng.choice([p for p in platforms if p[0] != row.platform])
            again.append(EmploymentDeclaration(person=row.person, group=group, platform=name, place=estate,
                                               place_path=estate.path, declared_at=row.revoked_at))
    return rows + again


def build(ctx: DemoContext) -> None:
    rng = ctx.rng("programs.groups")
    maker = People(rng, ctx.faker("programs.groups"))
    estate = ctx.estates[ESTATE]
    flats = _flats(ctx, estate)
    ctx.flats[estate.pk] = flats
    occupied = sorted(rng.sample(range(1, len(flats)), HOUSEHOLDS - 1))
    plan = []
    for i, flat_index in enumerate([0, *occupied]):
        head, members = _family(rng, maker, first=i == 0)
        registered = _moment(rng, datetime.date(2019, 3, 1), DECLARED_FROM).date()
        plan.append((flats[flat_index], head, members, registered))
    Person.objects.bulk_create(maker.made, batch_size=500)
    households = Household.objects.bulk_create(
        [Household(flat=flat, head=head, registered_on=on) for flat, head, _m, on in plan], batch_size=500)
    rows = []
    for household, (_flat, head, members, _on) in zip(households, plan, strict=True):
        rows.append(HouseholdMember(household=household, person=head, relation=Relation.HEAD))
        rows += [HouseholdMember(household=household, person=p, relation=r) for p, r in members]
    HouseholdMember.objects.bulk_create(rows, batch_size=500)
    estate.households = len(flats)
    estate.save(update_fields=["households"])
    heads = [head for _f, head, _m, _on in plan]
    EmploymentDeclaration.objects.bulk_create(_declarations(rng, heads, estate), batch_size=500)
    ctx.people["courier"] = heads[0]
    ctx.add_count("people", len(maker.made))
    ctx.add_count("households", len(households))

    _home(ctx, rng, heads)  # the login `courier` is opened after the apps' steps (demo/accounts.py)


def _home(ctx: DemoContext, rng: random.Random, heads: list[Person]) -> None:
    community = ctx.communities[COMMUNITY]
    home = Place.objects.get(kind=PlaceKind.FACILITY, name=HOME, parent=community)
    officer = User.objects.get(username=f"{ctx.streets[STREET].code}-intake")
    with frozen_at(SET_UP_AT):
        for name, purpose, area in ZONES:
            zone_create(actor=officer, facility=home, name=name, purpose=purpose, area_m2=area)
        council = council_create(actor=officer, home=home, name=COUNCIL_NAME, established_on=COUNCIL_SINCE)
        members = [heads[0], *rng.sample(heads[1:60], len(POSITIONS) - 1)]
        active = set(EmploymentDeclaration.objects.filter(person__in=members, revoked_at__isnull=True)
                     .values_list("person_id", flat=True))
        for person, position in zip([m for m in members if m.pk in active], POSITIONS, strict=False):
            council_member_add(actor=officer, council=council, person=person, position=position,
                               term_from=COUNCIL_SINCE)
    ctx.organisations[COUNCIL_NAME] = council
    # Two fresh items the council raised at its latest meeting, just filed (the case step's ~90 are nearly all
    # solved: MIN_SOLVED is checked by the demo's tests, not padded here).
    for n, topic in enumerate(TOPICS[:2]):
        with frozen_at(SET_UP_AT + datetime.timedelta(hours=1, minutes=n)):
            council_item_file(actor=officer, council=council, description=topic)
