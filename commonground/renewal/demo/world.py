"""What the renewal demo steps share: the 浙工新村 campaign's dates, its people, and a call on the one clock."""

from __future__ import annotations

import datetime
import random
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from faker import Faker

from commonground.core import clock
from commonground.core.models import Place, PlaceKind, User

from ..models import Household, Project, WorkGroup

if TYPE_CHECKING:
    from commonground.demo.context import DemoContext

TZ = zoneinfo.ZoneInfo("Asia/Shanghai")
ESTATE = "浙工新村"
MOBILISED_ON = datetime.date(2023, 4, 7)   # the campaign's first day: 85 days to 2023-06-30, both counted
SIGNING_FROM = datetime.date(2023, 4, 22)  # signing opens at the mobilisation meeting (SEED_FACTS)
SIGNING_UNTIL = datetime.date(2023, 6, 30)
LAST_SIGNATURE = datetime.datetime(2023, 6, 30, 23, 54, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))  # 张大姐, 二组
STAFF_SINCE = datetime.date(2023, 1, 1)
# Field work groups and their buildings: 二组 has 1幢 and 2幢, 80 households (SEED_FACTS).
FIELD_GROUPS = {"一组": ["3幢", "4幢"], "二组": ["1幢", "2幢"], "三组": ["5幢", "6幢"], "四组": ["7幢", "8幢"],
                "五组": ["9幢", "10幢"], "六组": ["11幢", "12幢"], "七组": ["13幢"]}
MEMBERS_PER_GROUP = 3


def local(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), TZ)


@dataclass
class World:
    ctx: DemoContext
    rng: random.Random
    fake: Faker
    estate: Place
    buildings: dict[str, Place]
    users: dict[str, User]
    project: Project | None = None
    groups: dict[str, WorkGroup] = field(default_factory=dict)
    staff: dict[str, list[User]] = field(default_factory=dict)  # group name → its members, leader first
    signing_at: dict[int, datetime.datetime] = field(default_factory=dict)  # household pk → when it signs
    last_signer: Household | None = None  # 张大姐 of 二组, who signs at LAST_SIGNATURE after four visits that day
    holdout: Household | None = None  # the one household that never signs
    # steps of one part of the campaign that must happen while another part runs (a rule version published in the
    # middle of the signing): run by `due` in time order
    milestones: list[tuple[datetime.datetime, Callable[[], None]]] = field(default_factory=list)

    @classmethod
    def of(cls, ctx: DemoContext) -> World:
        estate = ctx.estates[ESTATE]
        buildings = {b.name: b for b in Place.objects.filter(parent=estate, kind=PlaceKind.BUILDING)}
        users = {u.username: u for u in User.objects.filter(username__in=("renewal", "street", "community"))}
        return cls(ctx, ctx.rng("renewal"), ctx.faker("renewal"), estate, buildings, users)

    def call(self, moment: datetime.datetime, service: Callable[..., Any], **kwargs: Any) -> Any:
        """Run one service with the one clock stopped at `moment`."""
        with clock.frozen_at(moment):
            return service(**kwargs)

    def at(self, moment: datetime.datetime, step: Callable[[], None]) -> None:
        """Run `step` once the campaign's time reaches `moment` (see `due`)."""
        self.milestones.append((moment, step))
        self.milestones.sort(key=lambda item: item[0])

    def due(self, moment: datetime.datetime | None = None) -> None:
        """Run the milestones up to `moment` (all of them without one)."""
        while self.milestones and (moment is None or self.milestones[0][0] <= moment):
            _when, step = self.milestones.pop(0)
            step()

    def worker(self, group: str, n: int) -> User:
        """A field worker of the campaign (no login: the demo's `renewal` login is 二组's leader); joining a
        group gives them a renewal role at its buildings."""
        user = User(username=f"renewal-{list(FIELD_GROUPS).index(group) + 1}-{n}",
                    display_name=f"{group} {self.fake.name()}", date_joined=local(STAFF_SINCE, 9))
        user.set_unusable_password()
        user.save()
        return user


def plan_signings(world: World) -> None:
    """When each household signs: many in the first weeks after the mobilisation meeting, fewer later, at times
    from 08:30 to 21:30; 二组's last household (张大姐's, an owner surnamed 张 when there is one) at 23:54 on the
    last day, after every other; one household of another group never. Drawn from the demo's random source."""
    rng = world.rng
    households = list(world.project.households.select_related("group").order_by("place_path"))
    group_two = [h for h in households if h.group and h.group.name == "二组"]
    zhang = [h for h in group_two if h.owner_names.startswith("张")]
    world.last_signer = zhang[0] if zhang else rng.choice(group_two)
    world.holdout = rng.choice([h for h in households if h.group is None or h.group.name != "二组"])
    days = (SIGNING_UNTIL - SIGNING_FROM).days + 1
    weights = [2.718 ** (-day / 16) + 0.08 for day in range(days)]
    for household in households:
        if household in (world.last_signer, world.holdout):
            continue
        day = SIGNING_FROM + datetime.timedelta(days=rng.choices(range(days), weights=weights)[0])
        minutes = rng.randrange(8 * 60 + 30, 21 * 60 + 30)
        world.signing_at[household.pk] = local(day, minutes // 60, minutes % 60)
    world.signing_at[world.last_signer.pk] = LAST_SIGNATURE
