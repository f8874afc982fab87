"""The electorate frozen from the ownership register (Art. 278 counting): heads, areas, keys, record date."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from commonground.core.models import Organisation, OrganisationKind, Ownership, Person, Place, PlaceKind
from commonground.core.services.organisations import organisation_create
from commonground.core.services.people import ownership_create, ownership_end, person_create
from commonground.core.services.places import place_create
from commonground.deliberation.models import Elector, ElectorMember, VoteStatus
from commonground.deliberation.services.electorate import compute_electorate
from commonground.deliberation.tally import to_cents

RECORD = datetime.date(2025, 6, 1)
DAY = datetime.timedelta(days=1)


def as_table(drafts) -> dict[str, tuple[Decimal, list[str]]]:
    return {d.key: (d.area_m2, [name for name, _area in d.flats.values()]) for d in drafts}


def flat_in(building: Place, n: int, area: str = "50.00") -> Place:
    return place_create(code=f"{building.code}-{n:03d}", name=f"{building.name}{n}室", kind=PlaceKind.FLAT,
                        parent=building, floor_area_m2=Decimal(area))


@pytest.fixture
def building(register) -> Place:
    return place_create(code=f"{register.estate.code}-B7", name="7幢", kind=PlaceKind.BUILDING,
                        parent=register.estate)


@pytest.fixture
def people(db) -> list[Person]:
    return [person_create(name=f"周{n}") for n in range(1, 7)]


def test_compute_electorate__register__one_head_per_owner_with_summed_area(register, tree):
    o = register.owners
    table = as_table(compute_electorate(register.estate, RECORD))
    assert table == {
        f"o{register.developer.pk}": (Decimal("200.00"), ["9幢701室", "9幢801室"]),
        f"p{tree.owner.pk}": (Decimal("75.50"), ["101室"]),
        f"p{o[0].pk}": (Decimal("200.00"), ["9幢101室", "9幢201室"]),
        f"p{o[1].pk}": (Decimal("100.00"), ["9幢301室"]),  # with o[2]: its first holder names it
        f"p{o[3].pk}": (Decimal("100.00"), ["9幢401室"]),
        f"p{o[4].pk}": (Decimal("100.00"), ["9幢501室"]),
        f"p{o[5].pk}": (Decimal("100.00"), ["9幢601室"]),
    }


def test_compute_electorate__co_owners__one_head_both_members_area_once(register):
    o = register.owners
    (draft,) = [d for d in compute_electorate(register.estate, RECORD) if d.key == f"p{o[1].pk}"]
    assert draft.holders == [("person", o[1].pk), ("person", o[2].pk)]
    assert draft.label == "王二、王三"
    assert draft.area_m2 == Decimal("100.00")


def test_compute_electorate__developer_flats__one_organisation_head(register):
    drafts = [d for d in compute_electorate(register.estate, RECORD) if d.key.startswith("o")]
    assert [(d.holders, d.area_m2, d.label) for d in drafts] == [
        ([("organisation", register.developer.pk)], Decimal("200.00"), "拱墅置业")]


def test_compute_electorate__chain_of_co_ownerships__one_elector(register, building, people):
    a, b, c = people[:3]
    flat1, flat2 = flat_in(building, 1, "50.00"), flat_in(building, 2, "60.25")
    ownership_create(flat=flat1, person=a, exclusive_area_m2=Decimal("50.00"))
    ownership_create(flat=flat1, person=b, exclusive_area_m2=Decimal("50.00"))
    ownership_create(flat=flat2, person=b, exclusive_area_m2=Decimal("60.25"))
    ownership_create(flat=flat2, person=c, exclusive_area_m2=Decimal("60.25"))
    drafts = compute_electorate(register.estate, RECORD)
    table = as_table(drafts)
    assert table[f"p{a.pk}"] == (Decimal("110.25"), ["7幢1室", "7幢2室"])
    (chain,) = [d for d in drafts if d.key == f"p{a.pk}"]
    assert chain.holders == [("person", a.pk), ("person", b.pk), ("person", c.pk)]
    assert len(drafts) == 8
    assert f"p{b.pk}" not in table and f"p{c.pk}" not in table


def test_compute_electorate__owner_co_owning_with_developer__merged_into_one_head(register, building, people):
    flat = flat_in(building, 1)
    ownership_create(flat=flat, person=people[0], exclusive_area_m2=Decimal("50.00"))
    ownership_create(flat=flat, organisation=register.developer, exclusive_area_m2=Decimal("50.00"))
    table = as_table(compute_electorate(register.estate, RECORD))
    assert table[f"o{register.developer.pk}"] == (Decimal("250.00"), ["9幢701室", "9幢801室", "7幢1室"])
    assert f"p{people[0].pk}" not in table


def test_compute_electorate__titles_ended_or_acquired_around_record_date__only_those_in_force(
        register, building, people):
    sold_before, bought_before, sold_after, bought_after, acquired_on_day, acquired_next_day = people
    flat1, flat2, flat3, flat4 = (flat_in(building, n) for n in range(1, 5))
    # Flat 1 changed hands ten days before the record date: the buyer counts.
    old = ownership_create(flat=flat1, person=sold_before, exclusive_area_m2=Decimal("50.00"),
                           acquired_on=RECORD - 400 * DAY)
    ownership_end(ownership=old, ended_on=RECORD - 10 * DAY)
    ownership_create(flat=flat1, person=bought_before, exclusive_area_m2=Decimal("50.00"),
                     acquired_on=RECORD - 10 * DAY)
    # Flat 2 changes hands on the day after: the seller still counts.
    later = ownership_create(flat=flat2, person=sold_after, exclusive_area_m2=Decimal("50.00"))
    ownership_end(ownership=later, ended_on=RECORD + DAY)
    ownership_create(flat=flat2, person=bought_after, exclusive_area_m2=Decimal("50.00"), acquired_on=RECORD + DAY)
    ownership_create(flat=flat3, person=acquired_on_day, exclusive_area_m2=Decimal("50.00"), acquired_on=RECORD)
    ownership_create(flat=flat4, person=acquired_next_day, exclusive_area_m2=Decimal("50.00"),
                     acquired_on=RECORD + DAY)
    keys = set(as_table(compute_electorate(register.estate, RECORD)))
    assert f"p{bought_before.pk}" in keys
    assert f"p{sold_after.pk}" in keys
    assert f"p{acquired_on_day.pk}" in keys
    assert f"p{sold_before.pk}" not in keys
    assert f"p{bought_after.pk}" not in keys
    assert f"p{acquired_next_day.pk}" not in keys
    assert len(keys) == 7 + 3


def test_compute_electorate__title_ended_on_record_date__excluded(register, building, people):
    title = ownership_create(flat=flat_in(building, 1), person=people[0], exclusive_area_m2=Decimal("50.00"))
    ownership_end(ownership=title, ended_on=RECORD)
    assert f"p{people[0].pk}" not in as_table(compute_electorate(register.estate, RECORD))


def test_compute_electorate__flats_in_another_estate__not_counted(register, tree):
    o3 = register.owners[3]
    ownership_create(flat=tree.neighbour_flat, person=o3, exclusive_area_m2=Decimal("60.00"))
    table = as_table(compute_electorate(register.estate, RECORD))
    assert table[f"p{o3.pk}"] == (Decimal("100.00"), ["9幢401室"])
    assert f"p{tree.neighbour_owner.pk}" not in table
    neighbours = as_table(compute_electorate(tree.neighbour_estate, RECORD))
    assert neighbours == {f"p{min(tree.neighbour_owner.pk, o3.pk)}": (Decimal("60.00"), ["101室"])}


def test_compute_electorate__twice__same_keys_in_key_order(register):
    first = compute_electorate(register.estate, RECORD)
    second = compute_electorate(register.estate, RECORD)
    assert [d.key for d in first] == [d.key for d in second] == sorted(d.key for d in first)
    assert [(d.holders, d.area_m2) for d in first] == [(d.holders, d.area_m2) for d in second]


def test_compute_electorate__empty_estate__no_electors(tree):
    empty = place_create(code="EMPTY-E", name="空小区", kind=PlaceKind.ESTATE, parent=tree.community)
    assert compute_electorate(empty, RECORD) == []


def test_vote_announce__register__electors_and_members_frozen(open_vote, register, tree):
    vote = open_vote()
    o = register.owners
    assert vote.status == VoteStatus.ANNOUNCED
    assert vote.electorate_heads == 7
    assert vote.electorate_area_m2 == Decimal("875.50")
    rows = {e.key: (e.label, e.flats, e.area_m2) for e in Elector.objects.filter(vote=vote)}
    assert rows == {
        f"o{register.developer.pk}": ("拱墅置业", ["9幢701室", "9幢801室"], Decimal("200.00")),
        f"p{tree.owner.pk}": ("张三", ["101室"], Decimal("75.50")),
        f"p{o[0].pk}": ("王一", ["9幢101室", "9幢201室"], Decimal("200.00")),
        f"p{o[1].pk}": ("王二、王三", ["9幢301室"], Decimal("100.00")),
        f"p{o[3].pk}": ("赵四", ["9幢401室"], Decimal("100.00")),
        f"p{o[4].pk}": ("钱五", ["9幢501室"], Decimal("100.00")),
        f"p{o[5].pk}": ("孙六", ["9幢601室"], Decimal("100.00")),
    }
    members = sorted(ElectorMember.objects.filter(elector__vote=vote)
                     .values_list("elector__key", "person_id", "organisation_id"), key=lambda r: (r[0], r[1] or 0))
    assert members == sorted([
        (f"o{register.developer.pk}", None, register.developer.pk),
        (f"p{tree.owner.pk}", tree.owner.pk, None),
        (f"p{o[0].pk}", o[0].pk, None),
        (f"p{o[1].pk}", o[1].pk, None),
        (f"p{o[1].pk}", o[2].pk, None),
        (f"p{o[3].pk}", o[3].pk, None),
        (f"p{o[4].pk}", o[4].pk, None),
        (f"p{o[5].pk}", o[5].pk, None),
    ], key=lambda r: (r[0], r[1] or 0))


def test_vote_announce__twenty_co_owners_with_seven_digit_ids__keys_fit_their_column(big_ids, open_vote, register,
                                                                                    building):
    """Keys used to join every holder's id ("p7100010+p7100011+..."): 20 co-owners overflowed 120 characters and
    bulk_create (no validation) failed on PostgreSQL. A key is now its first holder: short, unique, stable."""
    co_owners = [person_create(name=f"共有人{n}") for n in range(20)]
    shared, linked = flat_in(building, 1, "88.00"), flat_in(building, 2, "45.50")
    for person in co_owners[:19]:
        ownership_create(flat=shared, person=person, exclusive_area_m2=Decimal("88.00"))
    for person in co_owners[18:]:  # the 20th is linked to the others through the 19th
        ownership_create(flat=linked, person=person, exclusive_area_m2=Decimal("45.50"))
    vote = open_vote()
    keys = list(Elector.objects.filter(vote=vote).values_list("key", flat=True))
    assert min(p.pk for p in co_owners) > 7_000_000
    assert max(len(key) for key in keys) <= Elector._meta.get_field("key").max_length
    assert len(set(keys)) == len(keys) == 8
    entry = Elector.objects.get(vote=vote, key=f"p{co_owners[0].pk}")
    assert (entry.area_m2, entry.flats) == (Decimal("133.50"), ["7幢1室", "7幢2室"])
    assert sorted(entry.memberships.values_list("person_id", flat=True)) == [p.pk for p in co_owners]
    assert vote.electorate_heads == 8


def test_vote_announce__register_changes_after_announcement__electorate_stays_frozen(open_vote, register,
                                                                                   building, people):
    vote = open_vote()
    ownership_create(flat=flat_in(building, 1), person=people[0], exclusive_area_m2=Decimal("50.00"))
    vote.refresh_from_db()
    assert vote.electorate_heads == 7
    assert Elector.objects.filter(vote=vote).count() == 7
    assert not ElectorMember.objects.filter(elector__vote=vote, person=people[0]).exists()


# --- property: random registers against a reference --------------------------------------------------------------

@dataclass
class Pool:
    estate: Place
    flats: list[Place]
    people: list[Person]
    developer: Organisation


@pytest.fixture
def pool(tree) -> Pool:
    """A fresh estate with 10 flats and nobody's titles yet, 6 people and a developer to hand them out to."""
    estate = place_create(code="POOL-E", name="随机小区", kind=PlaceKind.ESTATE, parent=tree.community)
    block = place_create(code="POOL-E-B1", name="1幢", kind=PlaceKind.BUILDING, parent=estate)
    flats = [flat_in(block, n) for n in range(1, 11)]
    people = [person_create(name=f"吴{n}") for n in range(1, 7)]
    developer = organisation_create(name="随机置业", kind=OrganisationKind.DEVELOPER, place=estate)
    return Pool(estate, flats, people, developer)


# When a title runs, relative to the record date: (acquired_on, ended_on, in force on the record date?).
SPANS = [
    (None, None, True), (RECORD, None, True), (RECORD - 30 * DAY, RECORD + DAY, True),
    (None, RECORD, False), (RECORD - 30 * DAY, RECORD - DAY, False), (RECORD + DAY, None, False),
]


@st.composite
def titles(draw):
    """Per flat (maybe unowned): its area in cents and its holders ("p", i) / ("o", 0), each with a span."""
    result = []
    for _flat in range(10):
        kind = draw(st.sampled_from(["none", "people", "people", "people", "developer", "mixed"]))
        if kind == "none":
            result.append((0, []))
            continue
        holders = []
        if kind in {"people", "mixed"}:
            holders += [("p", i) for i in draw(st.sets(st.integers(0, 5), min_size=1, max_size=3))]
        if kind in {"developer", "mixed"}:
            holders.append(("o", 0))
        spans = [draw(st.integers(0, len(SPANS) - 1)) for _h in holders]
        result.append((draw(st.integers(1, 50_000)), list(zip(holders, spans, strict=True))))
    return result


def reference_electorate(pool: Pool, drawn) -> dict[str, tuple[list[tuple[str, int]], int, list[str]]]:
    """Electors by plain set merging: holders of a flat in force on the record date belong together."""
    def node(holder) -> tuple[str, int]:
        kind, i = holder
        return (kind, pool.people[i].pk) if kind == "p" else (kind, pool.developer.pk)

    groups: list[tuple[set, dict]] = []  # (holders, {flat index: cents})
    for index, (cents, holders) in enumerate(drawn):
        in_force = {node(h) for h, span in holders if SPANS[span][2]}
        if not in_force:
            continue
        touching = [g for g in groups if g[0] & in_force]
        merged_holders, merged_flats = set(in_force), {index: cents}
        for g in touching:
            merged_holders |= g[0]
            merged_flats.update(g[1])
            groups.remove(g)
        groups.append((merged_holders, merged_flats))
    table = {}
    for holders, flats in groups:
        kind, pk = min(holders)
        table[f"{kind}{pk}"] = (sorted(holders), sum(flats.values()), [pool.flats[i].name for i in sorted(flats)])
    return table


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(drawn=titles())
def test_compute_electorate__random_register__matches_reference(pool, drawn):
    saved = transaction.savepoint()
    try:
        rows = []
        for index, (cents, holders) in enumerate(drawn):
            for (kind, i), span in holders:
                acquired_on, ended_on, _in_force = SPANS[span]
                rows.append(Ownership(
                    flat=pool.flats[index], exclusive_area_m2=Decimal(cents) / 100, acquired_on=acquired_on,
                    ended_on=ended_on, person=pool.people[i] if kind == "p" else None,
                    organisation=pool.developer if kind == "o" else None))
        Ownership.objects.bulk_create(rows)
        drafts = compute_electorate(pool.estate, RECORD)
        got = {d.key: ([(kind[0], pk) for kind, pk in d.holders], to_cents(d.area_m2),
                       [name for name, _a in d.flats.values()]) for d in drafts}
        assert got == reference_electorate(pool, drawn)
        assert [d.key for d in drafts] == sorted(got)
    finally:
        transaction.savepoint_rollback(saved)
