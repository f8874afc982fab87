"""What the deliberation demo steps share: the demo logins, a clock the services read, and paper ballots written
in bulk as `ballot_enter` writes them (with one shared sample scan)."""

from __future__ import annotations

import datetime
import io
import random
import zoneinfo
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from faker import Faker

from commonground.core import clock, uploads
from commonground.core.models import Organisation, Place, User

from ..models import Ballot, BallotChannel, BallotVersion, Elector, Vote, VoteStatus
from ..services import ballots as ballot_services
from ..services._common import display_name
from ..tally import to_cents

if TYPE_CHECKING:
    from commonground.demo.context import DemoContext

TZ = zoneinfo.ZoneInfo("Asia/Shanghai")
NOW = datetime.datetime(2023, 8, 31, 16, 0, tzinfo=TZ)  # the demo's today, late afternoon (as the cases demo)
LOGINS = ("admin", "district", "street", "community", "grid", "renewal", "committee", "owner")
SCAN_NAME, SCAN_TYPE = "ballots/demo/paper-ballot-sample.png", uploads.PNG


def local(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), TZ)


@dataclass
class World:
    """The demo context with the logins and organisations the deliberation records refer to."""

    ctx: DemoContext
    rng: random.Random
    fake: Faker
    users: dict[str, User] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)

    @classmethod
    def of(cls, ctx: DemoContext) -> World:
        world = cls(ctx, ctx.rng("deliberation"), ctx.faker("deliberation"))
        world.users = {u.username: u for u in User.objects.filter(username__in=LOGINS)}
        return world

    def estate(self, name: str) -> Place:
        """A named estate; votes need one whose flats have owners (the core demo populates 21 estates)."""
        estate = self.ctx.estates[name]
        if estate not in self.ctx.populated_estates:
            raise RuntimeError(f"{name} has no ownership register in this demo: pick a populated estate")
        return estate

    def community(self, name: str) -> Place:
        return self.ctx.communities[name]

    def organisation(self, name: str) -> Organisation:
        return Organisation.objects.get(name=name)

    def call(self, moment: datetime.datetime, service: Callable[..., Any], **kwargs: Any) -> Any:
        """Run one service with the one clock stopped at `moment`."""
        with clock.frozen_at(moment):
            return service(**kwargs)

    def count(self, name: str, n: int = 1) -> None:
        self.counts[name] = self.counts.get(name, 0) + n


def sample_scan() -> str:
    """One small scan of a paper ballot (a PNG drawn here, so of type SCAN_TYPE), stored once and shared by
    every demo paper ballot."""
    if not default_storage.exists(SCAN_NAME):
        from PIL import Image, ImageDraw

        image = Image.new("1", (180, 240), 1)
        draw = ImageDraw.Draw(image)
        draw.rectangle((8, 8, 171, 231), outline=0)
        for y in range(40, 220, 24):
            draw.line((20, y, 160, y), fill=0)
            draw.rectangle((140, y - 14, 152, y - 4), outline=0)
        buffer = io.BytesIO()
        image.save(buffer, format="PNG", optimize=True)
        default_storage.save(SCAN_NAME, ContentFile(buffer.getvalue()))
    return SCAN_NAME


def enter_paper_ballots(world: World, vote: Vote, clerk: User, marks: Sequence[tuple[Elector, str, list[int]]],
                        *, first: datetime.datetime, last: datetime.datetime) -> int:
    """Paper ballots collected during the window and entered by `clerk` at the end of each day's collection, as
    `ballot_enter` records them (ballot, version 1, the clerk's name, a receipt code), a day's pile in one insert;
    every one points at the sample scan (ballot_enter would store a scan per ballot)."""
    assert vote.status == VoteStatus.ANNOUNCED
    rng = world.rng
    taken = set(vote.ballots.values_list("receipt_code", flat=True))
    span = (last - first).total_seconds()
    moments = sorted(first + datetime.timedelta(seconds=rng.uniform(0, span)) for _ in marks)
    scan, clerk_name = sample_scan(), display_name(clerk)[:100]
    piles: dict[datetime.date, list[Ballot]] = {}
    entered: dict[datetime.date, datetime.datetime] = {}
    for (elector, choice, candidates), at in zip(marks, moments, strict=True):
        code = ballot_services.new_receipt_code()
        while code in taken:
            code = ballot_services.new_receipt_code()
        taken.add(code)
        day = timezone.localtime(at).date()
        piles.setdefault(day, []).append(Ballot(
            vote=vote, elector=elector, choice=choice, candidates=sorted(candidates), channel=BallotChannel.PAPER,
            cast_by=clerk, clerk_name=clerk_name, scan=scan, scan_type=SCAN_TYPE, receipt_code=code, version=1))
        entered[day] = at  # the pile goes in once its last ballot has come
    count = 0
    for day, pile in piles.items():
        with clock.frozen_at(entered[day]):
            created = Ballot.objects.bulk_create(pile)
            BallotVersion.objects.bulk_create([
                BallotVersion(ballot=ballot, version=1, choice=ballot.choice, candidates=ballot.candidates,
                              channel=ballot.channel, cast_by=clerk, clerk_name=clerk_name) for ballot in created])
        count += len(created)
    world.count("deliberation ballots", count)
    return count


def electorate_of(vote: Vote) -> tuple[list[Elector], dict[str, int]]:
    # In flat order, not key order: keys carry primary keys, which differ between databases and runs.
    electors = sorted(vote.electors.all(), key=lambda e: (e.flats, e.label))
    return electors, {e.key: to_cents(e.area_m2) for e in electors}
