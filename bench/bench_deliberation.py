"""Owners' votes at the size of a large estate, in a throwaway database (created, migrated, dropped here).

(a) An estate of 10,000 owners (single owners, two-flat owners, co-owned flats and the developer's unsold flats),
    ~80% turnout: the tally path of vote_close (ballot_record + tally_record, then + record_hash) against a raw
    SQL floor (one GROUP BY summing area and counting heads per choice); and the announcement (freezing the
    electorate from the ownership register).
(b) On PostgreSQL only: 1,000 owners cast through ballot_cast from N concurrent threads (N = 16, 32), ballots/s,
    then checks that none was lost or doubled, and a second wave in which every owner tries again
    (changes not allowed) that must add nothing.
Planner statistics are gathered (ANALYZE) after the bulk loads, as a live register would have them.
"""

from __future__ import annotations

import datetime
import os
import threading
import time
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat, LPad
from django.utils import timezone

from commonground.core import clock
from commonground.core.models import OrganisationKind, Ownership, Person, Place, PlaceKind, User
from commonground.core.models.places import SEGMENT_WIDTH
from commonground.core.services.organisations import organisation_create
from commonground.core.services.places import place_create
from commonground.deliberation.models import Ballot, BallotVersion, Elector, Vote
from commonground.deliberation.services.ballots import ballot_cast, new_receipt_code
from commonground.deliberation.services.votes import (
    ballot_record,
    tally_record,
    vote_announce,
    vote_close,
    vote_create,
)
from commonground.deliberation.tally import record_hash

from .harness import median_seconds, report, throwaway_database

SINGLE, MULTI, CO_OWNED, UNSOLD = 9_599, 200, 200, 100  # -> 9,599 + 200 + 200 + 1 = 10,000 owners
FLATS_PER_BUILDING = 100
TURNOUT_SKIP = 5  # every fifth owner stays away: 80% turnout
ANNOUNCE_REPEAT = 5
CASTERS = 1_000
THREADS = (16, 32)
MAX_ERRORS = 20  # a wave stops drawing owners after this many unexpected errors (e.g. deadlocks)


@dataclass
class Estate:
    estate: Place
    clerk: User
    owners: int
    flats: int
    people: list[int]  # person pks of the single-flat owners, in order


def _area(n: int) -> Decimal:
    return Decimal(4_000 + (n * 7_919) % 11_000) / 100  # 40.00 to 149.99 m², spread deterministically


def build_estate() -> Estate:
    """Places, people, titles in bulk: what a register import would leave behind."""
    district = place_create(code="B330105", name="基准区", kind=PlaceKind.DISTRICT)
    street = place_create(code="B330105001", name="基准街道", kind=PlaceKind.STREET, parent=district)
    community = place_create(code="B330105001001", name="基准社区", kind=PlaceKind.COMMUNITY, parent=street)
    estate = place_create(code="B330105001001-E1", name="万户小区", kind=PlaceKind.ESTATE, parent=community)
    total_flats = SINGLE + 2 * MULTI + CO_OWNED + UNSOLD
    buildings = [place_create(code=f"{estate.code}-B{b:03d}", name=f"{b}幢", kind=PlaceKind.BUILDING, parent=estate)
                 for b in range(1, total_flats // FLATS_PER_BUILDING + 2)]
    Place.objects.bulk_create([
        Place(code=f"{buildings[n // FLATS_PER_BUILDING].code}-{n:05d}", name=f"{n // FLATS_PER_BUILDING + 1}幢{n}室",
              kind=PlaceKind.FLAT, parent=buildings[n // FLATS_PER_BUILDING], path=f"~{n}",
              depth=buildings[0].depth + 1, floor_area_m2=_area(n))
        for n in range(total_flats)], batch_size=2_000)
    for building in buildings:
        Place.objects.filter(parent=building).update(path=Concat(
            Value(building.path), LPad(Cast("id", CharField()), SEGMENT_WIDTH, Value("0")), output_field=CharField()))
    flats = list(Place.objects.filter(parent__in=buildings).order_by("pk").values_list("pk", flat=True))
    people_count = SINGLE + MULTI + 2 * CO_OWNED
    Person.objects.bulk_create([Person(name=f"业主{n}") for n in range(people_count)], batch_size=2_000)
    people = list(Person.objects.order_by("pk").values_list("pk", flat=True))
    developer = organisation_create(name="基准置业", kind=OrganisationKind.DEVELOPER, place=estate)
    titles: list[Ownership] = []

    def title(flat: int, *, person: int | None = None) -> None:
        titles.append(Ownership(flat_id=flats[flat], person_id=person, organisation=None if person else developer,
                                exclusive_area_m2=_area(flat)))

    flat = 0
    for n in range(SINGLE):
        title(flat, person=people[n])
        flat += 1
    for n in range(SINGLE, SINGLE + MULTI):
        title(flat, person=people[n])
        title(flat + 1, person=people[n])
        flat += 2
    for n in range(CO_OWNED):
        title(flat, person=people[SINGLE + MULTI + 2 * n])
        title(flat, person=people[SINGLE + MULTI + 2 * n + 1])
        flat += 1
    for _n in range(UNSOLD):
        title(flat)
        flat += 1
    Ownership.objects.bulk_create(titles, batch_size=2_000)
    clerk = User.objects.create(username="bench-clerk", is_superuser=True, is_staff=True)
    return Estate(estate, clerk, SINGLE + MULTI + CO_OWNED + 1, total_flats, people[:SINGLE])


def draft_votes(estate: Estate, count: int, *, allow_change: bool = False) -> list[Vote]:
    """Votes that open a minute ago and close tomorrow, created as if a month back."""
    opens_at = timezone.now() - datetime.timedelta(minutes=1)
    then = opens_at - datetime.timedelta(days=20)
    with clock.frozen_at(then):
        return [vote_create(actor=estate.clerk, estate=estate.estate, matter="5", title=f"基准表决 {n + 1}",
                            record_date=timezone.localtime(then).date(), opens_at=opens_at,
                            closes_at=opens_at + datetime.timedelta(days=1), allow_change=allow_change)
                for n in range(count)]


def announce(estate: Estate, vote: Vote) -> Vote:
    then = vote.opens_at - datetime.timedelta(days=16)
    with clock.frozen_at(then):
        return vote_announce(actor=estate.clerk, vote=vote)


def fill_ballots(vote: Vote) -> int:
    """~80% of the electorate votes (agree, agree, agree, against, abstain in turn), entered in bulk."""
    electors = list(Elector.objects.filter(vote=vote).order_by("key").values_list("pk", flat=True))
    codes: set[str] = set()
    ballots: list[Ballot] = []
    for n, elector in enumerate(electors):
        if n % TURNOUT_SKIP == TURNOUT_SKIP - 1:
            continue
        code = new_receipt_code()
        while code in codes:
            code = new_receipt_code()
        codes.add(code)
        choice = ("agree", "agree", "agree", "against", "abstain")[len(ballots) % 5]
        ballots.append(Ballot(vote=vote, elector_id=elector, choice=choice, receipt_code=code))
    Ballot.objects.bulk_create(ballots, batch_size=2_000)
    stored = Ballot.objects.filter(vote=vote).values_list("pk", "choice")
    BallotVersion.objects.bulk_create([BallotVersion(ballot_id=pk, version=1, choice=choice, channel="online")
                                       for pk, choice in stored], batch_size=2_000)
    return len(ballots)


def analyze() -> None:
    """Planner statistics for the bulk-loaded tables, as autovacuum would have gathered them in the 15 days
    between announcement and opening (without them PostgreSQL hash-joins the whole electorate per cast)."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def raw_floor(vote: Vote) -> list[tuple]:
    ballot, elector = Ballot._meta.db_table, Elector._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT b.choice, SUM(e.area_m2), COUNT(*) FROM {ballot} b "
                       f"JOIN {elector} e ON e.id = b.elector_id WHERE b.vote_id = %s GROUP BY b.choice", [vote.pk])
        return cursor.fetchall()


def part_a(estate: Estate, votes: list[Vote]) -> None:
    pending = iter(votes)
    announced: list[Vote] = []

    def announce_next() -> None:
        announced.append(announce(estate, next(pending)))

    announce_s = median_seconds(announce_next, repeat=ANNOUNCE_REPEAT, warmup=1)
    vote = announced[0]
    cast = fill_ballots(vote)
    analyze()

    def tally() -> dict:
        return tally_record(ballot_record(vote))

    def tally_and_hash() -> None:
        record = ballot_record(vote)
        tally_record(record)
        record_hash(record)

    result = tally()
    # SQLite sums decimals as floats: round to cents before comparing.
    floor = {choice: (round(Decimal(str(area)) * 100), heads) for choice, area, heads in raw_floor(vote)}
    same = all([result[c]["area"][0], result[c]["heads"][0]] == list(floor[c]) for c in ("agree", "against", "abstain"))
    report(f"Tally of an estate of {vote.electorate_heads:,} owners ({estate.flats:,} flats, "
           f"{vote.electorate_area_m2:,} m²), {cast:,} ballots ({cast / vote.electorate_heads:.0%} turnout), "
           f"{connection.vendor}", [
               ("raw SQL GROUP BY choice (floor)", median_seconds(lambda: raw_floor(vote))),
               ("ballot_record alone (read the record)", median_seconds(lambda: ballot_record(vote))),
               ("ballot_record + tally_record", median_seconds(tally)),
               ("ballot_record + tally_record + record_hash", median_seconds(tally_and_hash)),
           ], floor="raw SQL GROUP BY choice (floor)")
    print(f"  outcome {result['outcome']}; agree {result['agree']['area']} cents, {result['agree']['heads']} heads; "
          f"floor gives the same figures: {'yes' if same else 'NO'}")
    start = time.perf_counter()
    with clock.frozen_at(vote.closes_at):
        vote_close(actor=estate.clerk, vote=vote)
    print(f"  vote_close once (tally, hash, store, result notice with {cast:,} receipt codes): "
          f"{(time.perf_counter() - start) * 1000:.2f} ms")
    print(f"\nAnnouncement: freeze the electorate of {vote.electorate_heads:,} owners from "
          f"{Ownership.objects.filter(flat__path__startswith=estate.estate.path).count():,} titles, "
          f"post the notice")
    print(f"  vote_announce (median of {ANNOUNCE_REPEAT})               {announce_s * 1000:10.2f} ms")


def _wave(vote: Vote, users: list[User], threads: int) -> tuple[float, int, int, list[str]]:
    """Every user casts once from `threads` threads (until MAX_ERRORS unexpected errors); (seconds, stored,
    refused, other errors)."""
    lock = threading.Lock()
    queue = iter(range(len(users)))
    gate = threading.Barrier(threads + 1)
    counts = {"stored": 0, "refused": 0}
    errors: list[str] = []

    def worker() -> None:
        try:
            gate.wait()
            while True:
                with lock:
                    n = next(queue, None) if len(errors) < MAX_ERRORS else None
                if n is None:
                    return
                try:
                    ballot_cast(vote=vote, actor=users[n], choice=("agree", "against", "abstain")[n % 3])
                    outcome = "stored"
                except ValidationError:
                    outcome = "refused"
                except Exception as error:  # noqa: BLE001 — reported below, never expected
                    with lock:
                        errors.append(f"{type(error).__name__}: {error}")
                    continue
                with lock:
                    counts[outcome] += 1
        finally:
            connection.close()

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in pool:
        thread.start()
    gate.wait()
    start = time.perf_counter()
    for thread in pool:
        thread.join()
    return time.perf_counter() - start, counts["stored"], counts["refused"], errors


def part_b(estate: Estate, votes: list[Vote]) -> None:
    if connection.vendor != "postgresql":
        print("\nConcurrent casts: skipped (needs PostgreSQL; set DATABASE_URL=postgres://...)")
        return
    User.objects.bulk_create([User(username=f"bench-owner-{n}", person_id=pk, password="!")
                              for n, pk in enumerate(estate.people[:CASTERS])], batch_size=1_000)
    users = list(User.objects.filter(username__startswith="bench-owner-").order_by("pk"))
    analyze()
    print(f"\nConcurrent casts: {len(users):,} different owners, one ballot_cast each, from N threads "
          f"(changes not allowed), {connection.vendor}")
    for threads, vote in zip(THREADS, votes, strict=True):
        seconds, stored, refused, errors = _wave(vote, users, threads)
        ballots = Ballot.objects.filter(vote=vote)
        rows = (ballots.count(), BallotVersion.objects.filter(ballot__vote=vote).count(),
                ballots.values("elector").distinct().count())
        again, stored_again, refused_again, errors_again = _wave(vote, users, threads)
        after = (ballots.count(), BallotVersion.objects.filter(ballot__vote=vote).count())
        ok = rows == (CASTERS, CASTERS, CASTERS) and stored == CASTERS and not errors and stored_again == 0 \
            and refused_again == CASTERS and not errors_again and after == rows[:2]
        stopped = " (stopped: too many errors)" if len(errors_again) >= MAX_ERRORS else ""
        print(f"  N={threads:<3} {stored / seconds:8.1f} ballots/s  ({seconds * 1000:8.1f} ms for {stored:,} stored, "
              f"{refused} refused, {len(errors)} errors)")
        print(f"         ballots {rows[0]:,}, versions {rows[1]:,}, distinct electors {rows[2]:,}; second wave: "
              f"{stored_again} stored, {refused_again:,} refused, {len(errors_again)} errors{stopped}, rows after "
              f"{after[0]:,}/{after[1]:,} in {again * 1000:.1f} ms -> {'none lost or doubled' if ok else 'MISMATCH'}")
        for error in sorted({e.splitlines()[0] for e in errors + errors_again}):
            print(f"         error: {error}")


def run() -> None:
    start = time.perf_counter()
    with throwaway_database() as name:
        estate = build_estate()
        print(f"\nbench_deliberation: throwaway {connection.vendor} database {name}; built {estate.owners:,} owners, "
              f"{estate.flats:,} flats in {time.perf_counter() - start:.1f} s (incl. migrations); "
              f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
        votes = draft_votes(estate, ANNOUNCE_REPEAT + 1)
        part_a(estate, votes)
        part_b(estate, votes[1:1 + len(THREADS)])
