"""Where the demo's cases happen and who acts on them.

The demo logins act where their roles are (河东社区: the community worker, the grid worker, the property
manager; 朝晖街道: the street staff; 新天地: the building commissioner; the district office). Elsewhere the
services still need someone with the right role: every street gets two staff accounts without a password (an
intake clerk who accepts, dispatches and checks, and a handler), and residents who report on the web get a
resident account when they first report.
"""

from __future__ import annotations

import datetime
import random
import zoneinfo
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import AnonymousUser

from commonground.core import clock
from commonground.core.models import (
    Organisation,
    OrganisationKind,
    Place,
    PlaceKind,
    RoleAssignment,
    RoleKind,
    User,
)
from commonground.core.models.places import ancestor_ids
from commonground.core.services.accounts import role_assign

from ..models import Case, Category, ReporterKind
from ..services.ladder import handling_place_in, next_level_in
from .texts import DESCRIPTIONS

if TYPE_CHECKING:
    from commonground.demo.context import DemoContext

TZ = zoneinfo.ZoneInfo("Asia/Shanghai")
NOW = datetime.datetime(2023, 8, 31, 16, 0, tzinfo=TZ)  # the demo's today, late afternoon
XINTIANDI = "新天地商务社区"
HEDONG = "河东社区"
CHAOHUI = "朝晖"
# The organisation a case is dispatched to, by the kind of its handling place.
STAFF_SINCE = datetime.date(2020, 1, 1)  # the roles of the accounts opened here start with the demo logins' roles
HANDLING_ORGANISATION = {
    PlaceKind.ESTATE: OrganisationKind.PROPERTY_COMPANY, PlaceKind.COMMUNITY: OrganisationKind.RESIDENTS_COMMITTEE,
    PlaceKind.STREET: OrganisationKind.THREE_PARTY_OFFICE, PlaceKind.DISTRICT: OrganisationKind.THREE_PARTY_OFFICE,
    PlaceKind.BUSINESS_COMMUNITY: OrganisationKind.BUILDING_COMMITTEE,
}


@dataclass
class Resident:
    """A resident who reports on the web: their account is opened when they first report."""

    username: str
    name: str
    scope: Place  # the estate (or community, or street) they live in
    user: User | None = None


class World:
    """The places, the people who act and the organisations cases are dispatched to."""

    def __init__(self, ctx: DemoContext, rng: random.Random) -> None:
        self.ctx, self.rng = ctx, rng
        self.fake = ctx.faker("cases")
        self.places = {p.pk: p for p in Place.objects.exclude(
            kind__in=[PlaceKind.CORRIDOR, PlaceKind.FLAT, PlaceKind.GRID]).order_by("path")}
        # validate_answers reads the questions of every report: prefetched once
        self.categories = {c.code: c for c in Category.objects.prefetch_related("questions")}
        self.xintiandi = self.places[ctx.business_communities[XINTIANDI].pk]
        self.hedong = self.places[ctx.communities[HEDONG].pk]
        self.chaohui = self.places[ctx.streets[CHAOHUI].pk]
        # built before any account of this step: the users are the demo logins
        self.users = {u.username: u for u in User.objects.all()}
        self.scopes = {r.user.username: self.places.get(r.scope_id) or r.scope
                       for r in RoleAssignment.objects.select_related("user", "scope")}
        self.organisation_at: dict[int, Organisation] = {}
        for organisation in Organisation.objects.filter(kind__in=set(HANDLING_ORGANISATION.values())).select_related(
                "place").order_by("pk"):
            if (HANDLING_ORGANISATION.get(organisation.place.kind) == organisation.kind
                    and organisation.place_id not in self.organisation_at):
                self.organisation_at[organisation.place_id] = organisation
        self.intake: dict[int, User] = {}  # street pk → its intake clerk
        self.handling: dict[int, User] = {}  # street pk → its handler
        self.residents: dict[int, list[Resident]] = {}  # scope pk → residents who reported there

    # --- places --------------------------------------------------------------------------------------------
    def within(self, place: Place, top: Place | None) -> bool:
        return top is not None and place.path.startswith(top.path)

    def of_kind(self, *kinds: str, under: Place | None = None, outside: Place | None = None) -> list[Place]:
        return [p for p in self.places.values() if p.kind in kinds and (under is None or self.within(p, under))
                and not self.within(p, outside)]

    def ancestor(self, place: Place, *kinds: str) -> Place | None:
        """The nearest place of one of `kinds` at or above `place`."""
        return next((self.places[pk] for pk in reversed(ancestor_ids(place.path))
                     if pk in self.places and self.places[pk].kind in kinds), None)

    def chain(self, place: Place) -> list[Place]:
        """The place's ancestors from the root, the place last (as Place.get_ancestors, from memory)."""
        return [self.places[pk] for pk in ancestor_ids(place.path)]

    def handling_place(self, place: Place, level: str) -> tuple[str, Place]:
        """The ladder's handling place (services.ladder) over the ancestors at hand."""
        return handling_place_in(self.chain(place), level)

    def up(self, case: Case) -> tuple[str, Place] | None:
        """The ladder's next level (services.ladder) for the case as it stands."""
        return next_level_in(self.chain(case.place), case.level, case.handling_place)

    def organisation_for(self, place: Place, level: str) -> Organisation | None:
        """The organisation at the place that handles a case at `level` (its property company, committee, …)."""
        return self.organisation_at.get(self.handling_place(place, level)[1].pk)

    # --- people ----------------------------------------------------------------------------------------------
    def login_within(self, username: str, place: Place) -> User | None:
        return self.users.get(username) if self.within(place, self.scopes.get(username)) else None

    def street_of(self, place: Place) -> Place:
        street = self.ancestor(place, PlaceKind.STREET)
        if street is None:
            raise ValueError(f"{place} lies in no street")
        return street

    def clerk(self, place: Place) -> User:
        """Who takes the matter in, accepts, dispatches and checks it: 河东社区's community worker, 朝晖街道's
        street staff, elsewhere the street's intake clerk."""
        return (self.login_within("community", place) or self.login_within("street", place)
                or self.intake[self.street_of(place).pk])

    def handler(self, handling: Place) -> User:
        """Who handles at the handling place: a demo login working there, else the street's handler."""
        if handling.kind == PlaceKind.DISTRICT:
            return self.users["district"]
        return (self.login_within("property", handling) or self.login_within("grid", handling)
                or self.login_within("commissioner", handling) or self.handling[self.street_of(handling).pk])

    def staff_reporter(self, place: Place) -> User:
        """Who records a matter found on the spot: the grid worker, the commissioner, or the street's handler."""
        return (self.login_within("grid", place) or self.login_within("commissioner", place)
                or self.handling[self.street_of(place).pk])

    def open_street_accounts(self) -> None:
        """Two staff accounts per street (one in 朝晖, whose intake is the demo's street login)."""
        for street in self.of_kind(PlaceKind.STREET):
            roles = [("handling", "处置员")] if street.pk == self.chaohui.pk else [("intake", "受理员"),
                                                                                 ("handling", "处置员")]
            for duty, title in roles:
                user = User(username=f"{street.code}-{duty}", display_name=f"{street.name} {title}",
                            date_joined=clock.now())
                user.set_unusable_password()
                user.save()
                role_assign(user=user, role=RoleKind.STREET_STAFF, scope=street, valid_from=STAFF_SINCE)
                getattr(self, duty)[street.pk] = user
        self.intake[self.chaohui.pk] = self.users["street"]

    def resident(self, place: Place) -> Resident:
        """A resident of the estate (or community) around `place`; now and then one who reported before."""
        scope = (self.ancestor(place, PlaceKind.ESTATE)
                 or self.ancestor(place, PlaceKind.COMMUNITY, PlaceKind.BUSINESS_COMMUNITY) or self.street_of(place))
        pool = self.residents.setdefault(scope.pk, [])
        if pool and self.rng.random() < 0.3:
            return self.rng.choice(pool)
        resident = Resident(f"resident-{sum(map(len, self.residents.values())) + 1:05d}", self.fake.name(), scope)
        pool.append(resident)
        return resident

    def account(self, reporter: User | Resident | None) -> User | AnonymousUser:
        """The user who reports: a login, a resident (whose account is opened now), or the public (Open311)."""
        if reporter is None:
            return AnonymousUser()
        if isinstance(reporter, User):
            return reporter
        if reporter.user is None:
            user = User(username=reporter.username, display_name=reporter.name, date_joined=clock.now())
            user.set_unusable_password()
            user.save()
            role_assign(user=user, role=RoleKind.RESIDENT, scope=reporter.scope, valid_from=STAFF_SINCE)
            reporter.user = user
        return reporter.user

    # --- what a report says ----------------------------------------------------------------------------------
    def label(self, place: Place) -> str:
        if place.kind == PlaceKind.BUILDING:
            return f"{self.places[place.parent_id].name}{place.name}"
        return place.name

    def describe(self, code: str, place: Place) -> str:
        return self.rng.choice(DESCRIPTIONS[code]).format(place=self.label(place), n=self.rng.randint(2, 9))

    def answers(self, code: str) -> dict[str, Any]:
        rng = self.rng
        return {
            "lift-broken": lambda: {"lift_number": f"{rng.randint(1, 3)}号梯", "people_trapped": rng.random() < 0.1},
            "water-leak": lambda: {"leak_source": rng.choice(["楼上住户", "屋顶", "外墙", "公共管道", "不清楚"])},
            "noise-dispute": lambda: {"noise_time": rng.choice(["白天", "夜间", "夜间", "全天"])},
            "enterprise-parking": lambda: {"spaces_needed": str(rng.randint(2, 30))},
            "enterprise-talent": lambda: {"positions": str(rng.randint(2, 40))},
            "enterprise-financing": lambda: {"amount_wan": str(rng.choice([50, 100, 200, 500, 1000]))},
            "illegal-structure": lambda: {"under_construction": rng.random() < 0.6},
        }.get(code, dict)()

    def phone(self) -> str:
        return f"1{self.rng.choice('3456789')}{self.rng.randrange(10**9):09d}"

    def pin(self, place: Place) -> dict[str, Any]:
        """Where the reporter drops the pin: near the place's centre."""
        if place.latitude is None:
            return {"latitude": None, "longitude": None, "address": place.name}
        return {"latitude": place.latitude + Decimal(f"{self.rng.uniform(-0.0004, 0.0004):.6f}"),
                "longitude": place.longitude + Decimal(f"{self.rng.uniform(-0.0004, 0.0004):.6f}"),
                "address": self.label(place)}

    def parties(self, category: Category, place: Place) -> list[str]:
        fake = self.fake
        if place.kind == PlaceKind.OFFICE_BUILDING or place.pk == self.xintiandi.pk:
            first, second = fake.company(), fake.company()
            if category.code == "property-fee-dispute":
                second = f"{place.name}物业服务中心"
            return [first, second]
        first = f"{fake.name()}（{place.name}）"
        if category.code == "property-fee-dispute":
            estate = self.ancestor(place, PlaceKind.ESTATE)
            project = self.organisation_at.get(estate.pk) if estate else None
            return [first, project.name if project else "物业服务中心"]
        return [first, f"{fake.name()}（邻居）"]

    def venue(self, handling: Place) -> str:
        community = self.ancestor(handling, PlaceKind.COMMUNITY, PlaceKind.BUSINESS_COMMUNITY,
                                  PlaceKind.STREET) or handling
        return f"{community.name}人民调解室"

    def opens_to(self, category: Category, kind: str) -> bool:
        return kind in (category.open_to or list(ReporterKind))

