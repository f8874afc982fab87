"""What is reported when and where: the district's year of cases (2022-09-01 to the demo's today), the first
year of 新天地 (2022-06-01 to 2023-05-31: 286 disputes resolved, 123 needs met), the demo owner's matters,
the last days in 河东社区 and repeat reports. Every choice is drawn here, in order, from the demo's seeded
random source; each case then lives by its own seeded source (see life.py), whatever order the lives run in.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from commonground.core.models import Place, PlaceKind, User
from commonground.core.models.places import ancestor_ids
from commonground.core.working_calendar import add_working_hours

from ..models import Category, Channel, ReporterKind
from ..services.intake import Contact
from .world import NOW, TZ, Resident, World

if TYPE_CHECKING:
    from .life import Life

YEAR = (datetime.date(2022, 9, 1), datetime.date(2023, 8, 31))
XINTIANDI_FIRST_YEAR = (datetime.date(2022, 6, 1), datetime.date(2023, 5, 31))
XINTIANDI_DISPUTES_RESOLVED = 286
XINTIANDI_NEEDS_MET = 123

# Cases a year in the rest of the district, by category.
CATEGORY_MIX = {
    "exposed-rubbish": 560, "street-cleaning": 330, "noise-dispute": 290, "neighbour-dispute": 210,
    "lift-broken": 250, "water-leak": 320, "property-fee-dispute": 140, "enterprise-parking": 110,
    "enterprise-talent": 60, "enterprise-financing": 40, "policy-enquiry": 100, "fire-lane-blocked": 190,
    "illegal-structure": 110, "enquiry": 380, "complaint": 330, "courier-council-item": 90, "early-warning": 140,
    "resolution-follow-up": 90,
}
CHANNEL_WEIGHTS = {Channel.PHONE: 20, Channel.WEB: 25, Channel.OPEN311: 15, Channel.STAFF: 40}
HEDONG_WEIGHT = 10  # the demo logins work in 河东社区: give their queues some life
P_REJECTED, P_DUPLICATE, P_RATED, P_WAITING = 0.03, 0.025, 0.8, 0.04
DUPLICATED = {"exposed-rubbish", "street-cleaning", "lift-broken", "fire-lane-blocked", "water-leak"}
RESIDENTIAL = {"exposed-rubbish", "noise-dispute", "neighbour-dispute", "lift-broken", "water-leak",
               "property-fee-dispute", "fire-lane-blocked", "illegal-structure", "enquiry", "complaint"}
HOUR_WEIGHTS = [1, 1, 1, 1, 1, 2, 4, 8, 14, 16, 16, 14, 10, 12, 14, 14, 13, 11, 9, 8, 7, 5, 3, 2]


@dataclass
class Plan:
    """A matter as it will be reported, and how its life is to go."""

    category: Category
    place: Place
    reported_at: datetime.datetime
    channel: str
    reporter: User | Resident | None  # None: the public, through the 12345 hotline's Open311 client
    description: str
    answers: dict[str, Any]
    pin: dict[str, Any]
    rng: random.Random
    contact: Contact = field(default_factory=Contact)
    rejected: bool = False
    rate: float = 0.0  # the chance the reporter rates it once closed
    on_time: bool = False  # no escalation, never late
    late: bool = False  # handled after its deadline
    stalls: bool = False  # still in hand at the top of the ladder when the demo opens (the tick marks it overdue)
    keep_closed: bool = False  # never rated dissatisfied: its closing day is counted
    waiting: float = 0.0  # working hours between acceptance and dispatch (the clerk clarifies first)
    parties: list[str] = field(default_factory=list)
    repeats: Life | None = None  # the case this one reports again (it is merged into it)


BY_CHANNEL = object()  # plan(reporter=…) unless given: who reports by that channel


def plan(world: World, code: str, place: Place, reported_at: datetime.datetime, *, channel: str = "",
         reporter: Any = BY_CHANNEL, **overrides: Any) -> Plan:
    """A reported matter with a channel, reporter and contact fitting its category (unless given)."""
    rng = world.rng
    category = world.categories[code]
    channel = channel or channel_for(world, category)
    fields: dict[str, Any] = {}
    if channel in (Channel.PHONE, Channel.OPEN311):
        fields["contact"] = Contact(name=world.fake.name(), phone=world.phone())
        fields["rejected"] = rng.random() < P_REJECTED
    if reporter is BY_CHANNEL:
        reporter = {
            Channel.PHONE: lambda: world.clerk(place), Channel.OPEN311: lambda: None,
            Channel.WEB: lambda: world.resident(place), Channel.STAFF: lambda: world.staff_reporter(place),
        }.get(channel, lambda: world.clerk(place))()
    waiting = round(rng.uniform(2, 8), 2) if rng.random() < P_WAITING else 0.0
    result = Plan(category=category, place=place, reported_at=reported_at, channel=channel, reporter=reporter,
                  description=world.describe(code, place), answers=world.answers(code), pin=world.pin(place),
                  rng=random.Random(rng.getrandbits(64)), rate=P_RATED if channel == Channel.WEB else 0.0,
                  waiting=waiting, parties=world.parties(category, place) if category.is_dispute else [], **fields)
    for name, value in overrides.items():
        setattr(result, name, value)
    return result


def channel_for(world: World, category: Category) -> str:
    """Cockpit warnings, meeting resolutions and couriers' items have their channel; the rest come by phone, the
    web, the 12345 hotline (Open311) or staff on the spot, as the category is open to the reporter."""
    fixed = {"early-warning": Channel.COCKPIT, "resolution-follow-up": Channel.MEETING,
             "courier-council-item": Channel.STAFF}
    if category.code in fixed:
        return fixed[category.code]
    channel = world.rng.choices(list(CHANNEL_WEIGHTS), weights=list(CHANNEL_WEIGHTS.values()))[0]
    if (channel == Channel.OPEN311 and not world.opens_to(category, ReporterKind.PUBLIC)
            or channel == Channel.WEB and not world.opens_to(category, ReporterKind.RESIDENT)):
        return Channel.PHONE
    return channel


def moment(rng: random.Random, first: datetime.date, last: datetime.date) -> datetime.datetime:
    """A reporting time in [first, last], busier in office hours, quieter at weekends; never after NOW."""
    while True:
        day = first + datetime.timedelta(days=rng.randint(0, (last - first).days))
        if day.weekday() >= 5 and rng.random() < 0.4:
            continue
        hour = rng.choices(range(24), weights=HOUR_WEIGHTS)[0]
        at = datetime.datetime.combine(day, datetime.time(hour, rng.randrange(60), rng.randrange(60)), TZ)
        if at < NOW:
            return at


def places_for(world: World, code: str) -> tuple[list[Place], list[int]]:
    """Where cases of this category happen (outside 新天地, which has its own year), with weights."""
    ctx, outside = world.ctx, world.xintiandi
    if code in RESIDENTIAL:
        pool = world.of_kind(PlaceKind.BUILDING, PlaceKind.ESTATE, outside=outside)
        if code in ("enquiry", "complaint"):
            pool += world.of_kind(PlaceKind.COMMUNITY)
    elif code == "street-cleaning":
        pool = world.of_kind(PlaceKind.COMMUNITY) + world.of_kind(PlaceKind.STREET)
    elif code.startswith("enterprise") or code == "policy-enquiry":
        pool = world.of_kind(PlaceKind.OFFICE_BUILDING, PlaceKind.BUSINESS_COMMUNITY, outside=outside)
    elif code == "courier-council-item":
        estate = world.places[ctx.estates["吴家墩新人公寓"].pk]
        pool = world.of_kind(PlaceKind.FACILITY) * 3 + world.of_kind(PlaceKind.BUILDING, PlaceKind.ESTATE,
                                                                     under=estate)
    elif code == "early-warning":
        pool = world.of_kind(PlaceKind.STREET) * 3 + world.of_kind(PlaceKind.COMMUNITY) + world.of_kind(
            PlaceKind.BUSINESS_COMMUNITY, outside=outside)
    else:  # meeting resolutions
        pool = world.of_kind(PlaceKind.ESTATE, PlaceKind.COMMUNITY)
    pool.sort(key=lambda p: p.path)
    weights = [HEDONG_WEIGHT if world.within(p, world.hedong) else 1 for p in pool]
    return pool, weights


def district_year(world: World) -> list[Plan]:
    rng = world.rng
    plans = []
    for code, count in CATEGORY_MIX.items():
        pool, weights = places_for(world, code)
        for place in rng.choices(pool, weights=weights, k=count):
            plans.append(plan(world, code, place, moment(rng, *YEAR)))
    return plans


def closes_by(category: Category, reported_at: datetime.datetime, day: datetime.date) -> bool:
    """Whether a case handled on time (no escalation, no wait) is surely closed by the end of `day`: accepted
    and dispatched within 4.5 working hours, closed before its deadline."""
    end = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time(0), TZ)
    return add_working_hours(reported_at, category.sla_hours + 5) < end


def xintiandi_year(world: World) -> list[Plan]:
    """新天地 from its start: exactly 286 disputes and 123 enterprise needs closed in its first year, plus what
    is not counted (rejected ones, ones still open or closed after it, other matters)."""
    rng = world.rng
    first, last = XINTIANDI_FIRST_YEAR
    offices = world.of_kind(PlaceKind.OFFICE_BUILDING, under=world.xintiandi)
    places = offices + [world.xintiandi] * 4
    disputes = ["property-fee-dispute"] * 35 + ["neighbour-dispute"] * 40 + ["noise-dispute"] * 25
    needs = ["enterprise-parking"] * 35 + ["enterprise-talent"] * 25 + ["enterprise-financing"] * 10 + [
        "policy-enquiry"] * 30
    enterprise = world.users["enterprise"]
    first_office = world.places[world.ctx.office_buildings[0].pk]
    by_enterprise = {"reporter": enterprise, "channel": Channel.WEB}

    def counted(codes: list[str], place: Place | None = None, **overrides: Any) -> Plan:
        """One that closes within the first year: on time, never reopened."""
        code = rng.choice(codes)
        place = place or rng.choice(places)
        while not closes_by(world.categories[code], at := moment(rng, first, last), last):
            pass
        return plan(world, code, place, at, **{"on_time": True, "keep_closed": True, "waiting": 0.0,
                                               "rejected": False, **overrides})

    def other(codes: list[str], start: datetime.date, end: datetime.date, **overrides: Any) -> Plan:
        return plan(world, rng.choice(codes), rng.choice(places), moment(rng, start, end), **overrides)

    plans = [counted(disputes) for _ in range(XINTIANDI_DISPUTES_RESOLVED)]
    plans += [counted(needs) for _ in range(XINTIANDI_NEEDS_MET - 3)]
    plans += [counted(needs, first_office, **by_enterprise) for _ in range(3)]  # reported on the web by the demo's enterprise login
    plans += [other(disputes + needs, first, last, channel=Channel.PHONE, rejected=True) for _ in range(12)]
    # reported in the last days of the first year and handled late: closed after it
    plans += [other(disputes + needs, last - datetime.timedelta(days=2), last, late=True, rejected=False)
              for _ in range(8)]
    after = last + datetime.timedelta(days=1)
    plans += [other(disputes, after, YEAR[1]) for _ in range(30)]
    plans += [other(needs, after, YEAR[1]) for _ in range(15)]
    others = ["lift-broken", "water-leak", "fire-lane-blocked", "exposed-rubbish", "enquiry", "complaint"]
    plans += [other(others, first, YEAR[1]) for _ in range(80)]
    # an open parking request of the enterprise login, reported this morning
    this_morning = datetime.datetime.combine(YEAR[1], datetime.time(9, rng.randrange(60)), TZ)
    plans.append(plan(world, "enterprise-parking", first_office, this_morning, **by_enterprise))
    return plans


def owner_cases(world: World) -> list[Plan]:
    """The demo owner's own matters at 浙工新村: a few closed and rated, one closed waiting for a rating
    (to try the revisit), one reported this morning."""
    rng = world.rng
    owner = world.users.get("owner")
    person = world.ctx.people.get("zhegong_owner")
    if owner is None or person is None:
        return []
    flat_path = person.ownerships.values_list("flat__path", flat=True).first()
    building = world.places[ancestor_ids(flat_path)[4]]
    plans = [("water-leak", datetime.date(2022, 11, 7), 1.0), ("lift-broken", datetime.date(2023, 3, 14), 1.0),
             ("exposed-rubbish", datetime.date(2023, 6, 2), 1.0), ("water-leak", datetime.date(2023, 8, 28), 0.0),
             ("noise-dispute", datetime.date(2023, 8, 31), 0.0)]
    return [plan(world, code, building, datetime.datetime.combine(day, datetime.time(9, rng.randrange(60)), TZ),
                 reporter=owner, channel=Channel.WEB, rate=rate, on_time=True)
            for code, day, rate in plans]


def hedong_inbox(world: World) -> list[Plan]:
    """The last days in 河东社区, where the demo's community worker, grid worker and property manager work:
    matters at every stage, two accepted cases waiting for a caller's details, one just reported, two overdue at
    the district."""
    rng = world.rng
    pool = sorted(world.of_kind(PlaceKind.BUILDING, PlaceKind.ESTATE, under=world.hedong), key=lambda p: p.path)
    codes = ["exposed-rubbish", "lift-broken", "water-leak", "noise-dispute", "fire-lane-blocked", "complaint"]
    last_days = (YEAR[1] - datetime.timedelta(days=3), YEAR[1])
    plans = [plan(world, rng.choice(codes), rng.choice(pool), moment(rng, *last_days), rejected=False)
             for _ in range(10)]
    morning = datetime.datetime.combine(YEAR[1], datetime.time(9, 10), TZ)
    plans += [plan(world, code, rng.choice(pool), morning + datetime.timedelta(minutes=20 * i), rejected=False,
                   waiting=8.0) for i, code in enumerate(("enquiry", "illegal-structure"))]
    plans.append(plan(world, "exposed-rubbish", rng.choice(pool), NOW - datetime.timedelta(minutes=12),
                      rejected=False))
    # Sent up the ladder by the tick and still in hand at the district past its deadline: overdue when the demo opens.
    for code, days_ago in (("fire-lane-blocked", 12), ("illegal-structure", 9)):
        reported = datetime.datetime.combine(YEAR[1] - datetime.timedelta(days=days_ago), datetime.time(10, 5), TZ)
        plans.append(plan(world, code, rng.choice(pool), reported, rejected=False, late=True, stalls=True))
    return plans


def repeats(world: World, mains: list[Life]) -> list[Plan]:
    """Repeat reports of the same matter a little later, while it is in hand (merged into it then): `mains` are
    the Lives of the cases reported first."""
    rng = world.rng
    made = []
    for main in mains:
        first = main.plan
        if (first.category.code not in DUPLICATED or first.rejected or first.channel == Channel.WEB
                or rng.random() >= P_DUPLICATE):
            continue
        hours = float(first.category.sla_hours) * rng.uniform(0.1, 0.4)
        reported = add_working_hours(first.reported_at, round(hours, 2))
        if reported >= NOW:
            continue
        repeat = plan(world, first.category.code, first.place, reported, description=first.description, repeats=main)
        repeat.pin = {**first.pin}
        made.append(repeat)
    return made
