"""An estate with a register that exercises Art. 278 counting, staff and owners with logins, and a helper
that opens a vote now (announced with its 15-day notice in the past)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from commonground.core import clock
from commonground.core.models import (
    Household,
    Organisation,
    OrganisationKind,
    Ownership,
    Person,
    Place,
    PlaceKind,
    RoleKind,
    User,
)
from commonground.core.services.organisations import organisation_create
from commonground.core.services.people import ownership_create, person_create
from commonground.core.services.places import place_create
from commonground.deliberation.models import Ballot, BallotVersion, Elector, ElectorMember, Vote, VoteKind
from commonground.deliberation.services.votes import vote_announce, vote_create
from tests.conftest import make_id_number

# Tables whose ids must never reach a published record, each given its own range of 7-digit ids.
ID_TABLES = (Person, Organisation, Place, Ownership, Household, User, Elector, ElectorMember, Ballot, BallotVersion)


def _next_id(table: str) -> tuple[int, bool]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
        (sequence,) = cursor.fetchone()
        cursor.execute(f"SELECT last_value, is_called FROM {sequence}")
        return cursor.fetchone()


def start_ids_at(model, first: int, *, called: bool = False) -> None:
    """The next row of `model` takes the id `first` (SQLite: AUTOINCREMENT's counter, rolled back with the test;
    PostgreSQL: the sequence, which no rollback restores, so `big_ids` puts it back)."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), %s, %s)", [table, first, called])
        else:
            cursor.execute("DELETE FROM sqlite_sequence WHERE name = %s", [table])
            cursor.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table, first - 1])


@pytest.fixture
def big_ids(db):
    """Rows created after this fixture get 7-digit ids, a separate range per table (people from 7100001, orgs
    from 7200001...), as in a district-sized database: a key built from ids, or an id in a published record,
    then shows up (a small id could pass for a count or an area)."""
    saved = {model: _next_id(model._meta.db_table) for model in ID_TABLES} if connection.vendor == "postgresql" \
        else {}
    for n, model in enumerate(ID_TABLES, start=1):
        start_ids_at(model, 7_000_001 + n * 100_000)
    yield
    for model, (value, called) in saved.items():
        start_ids_at(model, value, called=called)


@dataclass
class Register:
    estate: Place
    flats: list[Place]
    owners: list[Person]   # owners[0] holds flats 0 and 1; owners[1] and owners[2] co-own flat 2
    developer: object      # holds the unsold flats 6 and 7


@pytest.fixture
def register(tree) -> Register:
    """8 flats of 100.00 m² in the tree's estate: one owner with two flats, a co-owned flat, three single
    owners and two unsold flats held by the developer -> 6 electors (tree's own flat adds a 7th)."""
    building = place_create(code=f"{tree.estate.code}-B9", name="9幢", kind=PlaceKind.BUILDING, parent=tree.estate)
    flats = [place_create(code=f"{building.code}-{n:03d}", name=f"9幢{n}01室", kind=PlaceKind.FLAT, parent=building,
                          floor_area_m2=Decimal("100.00")) for n in range(1, 9)]
    owners = [person_create(name=name, id_number=make_id_number(seq=100 + i), phone=f"1390000{i:04d}")
              for i, name in enumerate(["王一", "王二", "王三", "赵四", "钱五", "孙六"])]
    area = Decimal("100.00")
    ownership_create(flat=flats[0], person=owners[0], exclusive_area_m2=area)
    ownership_create(flat=flats[1], person=owners[0], exclusive_area_m2=area)
    ownership_create(flat=flats[2], person=owners[1], exclusive_area_m2=area)
    ownership_create(flat=flats[2], person=owners[2], exclusive_area_m2=area)
    for flat, owner in zip(flats[3:6], owners[3:6], strict=True):
        ownership_create(flat=flat, person=owner, exclusive_area_m2=area)
    developer = organisation_create(name="拱墅置业", kind=OrganisationKind.DEVELOPER, place=tree.estate)
    for flat in flats[6:]:
        ownership_create(flat=flat, organisation=developer, exclusive_area_m2=area)
    return Register(tree.estate, flats, owners, developer)


@pytest.fixture
def clerk(tree, make_user):
    return make_user(RoleKind.COMMUNITY_WORKER, tree.community)


@pytest.fixture
def owner_user(register, make_user, tree):
    return make_user(RoleKind.RESIDENT, tree.estate, person=register.owners[0])


@pytest.fixture
def open_vote(register, clerk):
    """open_vote(matter="5", **kw) -> a vote announced 16 days ago that opened an hour ago and closes in a day."""

    def factory(*, matter: str = "5", kind: str = VoteKind.DECISION, allow_change: bool = True,
                opens_at: datetime.datetime | None = None, closes_at: datetime.datetime | None = None,
                announce: bool = True, **extra) -> Vote:
        now = timezone.now()
        opens_at = opens_at or now - datetime.timedelta(hours=1)
        closes_at = closes_at or now + datetime.timedelta(days=1)
        back_then = opens_at - datetime.timedelta(days=16)
        with clock.frozen_at(back_then - datetime.timedelta(days=1)):
            vote = vote_create(actor=clerk, estate=register.estate, kind=kind, matter=matter, title="使用维修资金更换电梯",
                               record_date=timezone.localtime(back_then).date(), opens_at=opens_at,
                               closes_at=closes_at, allow_change=allow_change, **extra)
        if announce:
            with clock.frozen_at(back_then):
                vote = vote_announce(actor=clerk, vote=vote)
        return vote

    return factory


@dataclass
class RepEstate:
    """The tree's estate for renewal representatives: 1幢 (the tree's owner lives and owns there), 2幢 (a
    tenant lives there, a landlord owns the flat without living there) and 3幢 (nobody on record)."""

    estate: Place
    buildings: list[Place]
    owner: Person
    tenant: Person
    landlord: Person


@pytest.fixture
def rep_estate(tree) -> RepEstate:
    from commonground.core.services.people import household_create

    second = place_create(code=f"{tree.estate.code}-B2", name="2幢", kind=PlaceKind.BUILDING, parent=tree.estate)
    third = place_create(code=f"{tree.estate.code}-B3", name="3幢", kind=PlaceKind.BUILDING, parent=tree.estate)
    flat = place_create(code=f"{second.code}-101", name="2幢101室", kind=PlaceKind.FLAT, parent=second)
    tenant = person_create(name="周七", id_number=make_id_number(seq=201), phone="13700000201")
    landlord = person_create(name="吴八", id_number=make_id_number(seq=202), phone="13700000202")
    household_create(flat=flat, head=tenant)
    ownership_create(flat=flat, person=landlord, exclusive_area_m2=Decimal("60.00"))
    return RepEstate(tree.estate, [tree.building, second, third], tree.owner, tenant, landlord)


@pytest.fixture
def open_election(open_vote, register, clerk):
    """open_election(seats=3, term_years=3, candidates=None, **kw) -> an owners' committee election open now:
    a lawful preparatory group (leader + two owners) and qualified candidates (default owners 0, 1, 3, 4)."""
    from commonground.deliberation.models import PreparatoryRole
    from commonground.deliberation.services.elections import (
        candidate_register,
        candidate_review,
        preparatory_member_add,
    )

    def factory(*, seats: int = 3, term_years: int = 3, candidates: list[Person] | None = None, **extra) -> Vote:
        vote = open_vote(kind=VoteKind.ELECTION, matter="3", seats=seats, term_years=term_years, announce=False,
                         **extra)
        preparatory_member_add(actor=clerk, vote=vote, name="街道办 陈主任", role=PreparatoryRole.LEADER)
        for owner in register.owners[3:5]:
            preparatory_member_add(actor=clerk, vote=vote, name=owner.name, role=PreparatoryRole.OWNER, person=owner)
        people = candidates if candidates is not None else [register.owners[i] for i in (0, 1, 3, 4)]
        for person in people:
            candidate = candidate_register(actor=clerk, vote=vote, person=person)
            candidate_review(actor=clerk, candidate=candidate, conditions=dict.fromkeys(
                ["law_abiding", "no_arrears", "capable", "no_conflict", "no_record"], True))
        with clock.frozen_at(vote.opens_at - datetime.timedelta(days=16)):
            return vote_announce(actor=clerk, vote=vote)

    return factory


# --- closed votes with every channel (ballot secrecy) ---

def scan_png(name: str):
    """A real PNG (uploads are checked by their content)."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@pytest.fixture
def logins(register, tree, make_user, owner_user) -> dict:
    """A login for every person on the register: "zhang" (the tree's owner), "o0" (`owner_user`) to "o5"."""
    people = {"zhang": tree.owner, **{f"o{i}": p for i, p in enumerate(register.owners) if i}}
    return {"o0": owner_user, **{name: make_user(RoleKind.RESIDENT, tree.estate, person=person)
                                 for name, person in people.items()}}


def _close_with_every_channel(vote: Vote, clerk, logins, register, marks: dict, paper, proxy) -> Vote:
    """Ballots online (o4 changes theirs: version 2), the developer's on paper, owner 5's by proxy; then close."""
    from commonground.deliberation.services.ballots import ballot_cast, ballot_enter
    from commonground.deliberation.services.votes import vote_close

    cast_at = vote.opens_at + datetime.timedelta(minutes=10)
    key = "candidates" if vote.is_election else "choice"
    with clock.frozen_at(cast_at):
        for name, mark in marks.items():
            ballot_cast(vote=vote, actor=logins[name], **{key: mark})
    with clock.frozen_at(cast_at + datetime.timedelta(minutes=5)):
        ballot_cast(vote=vote, actor=logins["o4"], **{key: marks["o3"]})
    with clock.frozen_at(cast_at + datetime.timedelta(minutes=10)):
        developer = Elector.objects.get(vote=vote, memberships__organisation=register.developer)
        ballot_enter(vote=vote, actor=clerk, elector=developer, **{key: paper}, scan=scan_png("paper.png"))
        proxied = Elector.objects.get(vote=vote, memberships__person=register.owners[5])
        ballot_enter(vote=vote, actor=clerk, elector=proxied, **{key: proxy}, proxy_name="孙六的女儿",
                     authorisation=scan_png("proxy.png"))
    with clock.frozen_at(vote.closes_at + datetime.timedelta(minutes=1)):
        return vote_close(actor=clerk, vote=vote)


def _ended_window() -> dict[str, datetime.datetime]:
    now = timezone.now()
    return {"opens_at": now - datetime.timedelta(hours=2), "closes_at": now - datetime.timedelta(minutes=1)}


@pytest.fixture
def closed_decision(open_vote, register, clerk, logins, settings, tmp_path) -> Vote:
    """A closed decision: all 7 owners voted, online (one changed their ballot), on paper and by proxy."""
    settings.MEDIA_ROOT = tmp_path / "media"
    vote = open_vote(**_ended_window())
    return _close_with_every_channel(vote, clerk, logins, register, {
        "zhang": "agree", "o0": "agree", "o1": "against", "o3": "agree", "o4": "abstain"}, paper="agree",
        proxy="against")


@pytest.fixture
def closed_election(open_election, register, clerk, logins, settings, tmp_path) -> Vote:
    """A closed 3-seat election, every owner voted as in `closed_decision` (one marked nobody)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    vote = open_election(**_ended_window())
    candidates = list(vote.candidates.order_by("position").values_list("pk", flat=True))
    return _close_with_every_channel(vote, clerk, logins, register, {
        "zhang": candidates[:2], "o0": candidates[:3], "o1": [], "o3": candidates[1:], "o4": candidates[:1]},
        paper=candidates[2:], proxy=candidates[:3])


# --- meetings (helper C) ---

@dataclass
class MeetingWorld:
    committee: object            # residents' committee of the tree's community (convenes its meetings)
    owners_committee: object     # owners' committee of the tree's estate
    neighbour_committee: object  # residents' committee of the neighbouring community
    street_office: object        # an organisation at the street, above a community worker's scope
    worker: object               # community worker of the tree's community (the clerk)
    neighbour_worker: object
    grid: object                 # grid worker: may sign people in, not plan
    resident: object
    category: object             # "resolution-follow-up", open to staff


@pytest.fixture
def meeting_world(tree, clerk, make_user) -> MeetingWorld:
    from commonground.cases.models import Category, Level, ReporterKind

    committee = organisation_create(name="竹竿巷社区居委会", kind=OrganisationKind.RESIDENTS_COMMITTEE,
                                    place=tree.community)
    owners = organisation_create(name="竹竿巷小区业委会", kind=OrganisationKind.OWNERS_COMMITTEE, place=tree.estate)
    neighbour = organisation_create(name="龙游社区居委会", kind=OrganisationKind.RESIDENTS_COMMITTEE,
                                    place=tree.neighbour)
    street = organisation_create(name="武林街道办事处", kind=OrganisationKind.GOVERNMENT_DEPARTMENT, place=tree.street)
    category = Category.objects.create(code="resolution-follow-up", name="决议跟进", sla_hours=80,
                                       default_level=Level.COMMUNITY, open_to=[ReporterKind.STAFF])
    return MeetingWorld(committee, owners, neighbour, street, clerk,
                        make_user(RoleKind.COMMUNITY_WORKER, tree.neighbour),
                        make_user(RoleKind.GRID_WORKER, tree.community),
                        make_user(RoleKind.RESIDENT, tree.estate, person=tree.owner), category)


@pytest.fixture
def plan_meeting(tree, meeting_world):
    """plan_meeting(in_hours=48, **overrides) -> a planned 红茶议事会 at the community, two hours long."""
    from commonground.deliberation.services.meetings import meeting_create

    def factory(*, in_hours: float = 48, **overrides):
        starts_at = timezone.now() + datetime.timedelta(hours=in_hours)
        values = {"actor": meeting_world.worker, "place": tree.community, "convener": meeting_world.committee,
                  "kind": "council", "title": "红茶议事会：小区停车", "starts_at": starts_at,
                  "ends_at": starts_at + datetime.timedelta(hours=2), "venue": "社区二楼会议室",
                  "agenda": ["停车位划线方案", ("电动车充电桩", "王主任")]}
        return meeting_create(**{**values, **overrides})

    return factory
