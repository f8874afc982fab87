"""The one ruler at a campaign's size: `commonground bench renewal [--size 548,50k]`.

In a throwaway database, a campaign of N households is generated in bulk (an estate of six-storey buildings
"1幢", "2幢", … with four flats a floor, one owner per flat, the project opened on the register through
project_create, so the households are what the service makes). No household has signed: every one is recomputed.

Measured per size (median of 5 runs, 3 at 50,000 and above; each after one warm-up):
- ours: `ruleset_publish` of a new approved version (drafting and approval untimed): the previous version
  superseded, every unsigned household's options recomputed (one query, the calculator, bulk_create) and the
  previous version's offers deleted;
- floor: the same arithmetic (the calculator over pre-loaded household rows, loaded untimed) in a plain loop,
  one raw DELETE of the previous version's offers and the results written with one executemany of raw INSERTs;
- the page: GET of the project's progress page (`renewal:progress`) when that URL exists, else of its
  households list, as the project office, through Django's test client.
Goals (issue 13): 548 households under 1 s, 50,000 under 60 s and within 3x the floor.
"""

from __future__ import annotations

import json
import os
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection, transaction
from django.test import Client, override_settings
from django.urls import NoReverseMatch, reverse

from commonground.core import bulk, clock
from commonground.core.models import Ownership, Person, Place, PlaceKind, User
from commonground.core.models.places import path_segment
from commonground.core.services.places import place_create
from commonground.renewal import calculator
from commonground.renewal.calculator import HouseholdFacts
from commonground.renewal.demo.rules import ZHEGONG_RULES
from commonground.renewal.models import Household, Offer, Project, RuleSet
from commonground.renewal.services.projects import project_create
from commonground.renewal.services.rulesets import ruleset_approve, ruleset_draft, ruleset_publish

from .harness import throwaway_database

SIZES = {"548": 548, "50k": 50_000, "100k": 100_000}
FLATS_PER_BUILDING = 96  # 4 units × 6 floors × 4 flats
PLAIN_STATIC = {"staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
                "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}


@dataclass
class Campaign:
    project: Project
    office: User
    street: User
    buildings: list[str]
    households: int


def size_of(text: str) -> int:
    text = text.strip().lower()
    return SIZES[text] if text in SIZES else int(text.replace("_", "").replace("k", "000"))


def area(n: int) -> Decimal:
    return Decimal(4_500 + (n * 7_919) % 5_500) / 100  # 45.00 to 99.99 m², spread deterministically


def rules_for(buildings: list[str], version: int) -> dict:
    """浙工新村-shaped rules pricing every building; each version moves the first incentive's last day."""
    rules = json.loads(json.dumps(ZHEGONG_RULES))
    rules["valuation"]["unit_prices"] = {name: str(36_000 + (n * 137) % 3_000) for n, name in enumerate(buildings)}
    rules["incentives"]["tiers"][0]["amount"] = str(50_000 + version)
    return rules


def build_campaign(households: int, prefix: str = "R") -> Campaign:
    """An estate of `households` owned flats, in bulk, and the project opened on it through project_create."""
    district = place_create(code=f"{prefix}330105", name="基准区", kind=PlaceKind.DISTRICT)
    street = place_create(code=f"{prefix}330105001", name="基准街道", kind=PlaceKind.STREET, parent=district)
    community = place_create(code=f"{prefix}330105001001", name="基准社区", kind=PlaceKind.COMMUNITY, parent=street)
    estate = place_create(code=f"{prefix}330105001001-E1", name="基准新村", kind=PlaceKind.ESTATE, parent=community)
    count = -(-households // FLATS_PER_BUILDING)
    buildings = [Place(code=f"{estate.code}-B{b:04d}", name=f"{b}幢", kind=PlaceKind.BUILDING, parent_id=estate.pk,
                       depth=estate.depth + 1) for b in range(1, count + 1)]
    for building, pk in zip(buildings, bulk.reserve_ids(Place, len(buildings)), strict=True):
        building.pk, building.path = pk, estate.path + path_segment(pk)
    flats = []
    for n, pk in zip(range(households), bulk.reserve_ids(Place, households), strict=True):
        building = buildings[n // FLATS_PER_BUILDING]
        within = n % FLATS_PER_BUILDING
        unit, floor, flat = within // 24 + 1, within % 24 // 4 + 1, within % 4 + 1
        flats.append(Place(pk=pk, code=f"{building.code}-U{unit}-{floor}{flat:02d}",
                           name=f"{building.name}{unit}单元{floor}{flat:02d}室", kind=PlaceKind.FLAT,
                           parent_id=building.pk, depth=estate.depth + 2, path=building.path + path_segment(pk),
                           floor_area_m2=area(n)))
    people = [Person(name=f"业主{n}") for n in range(households)]
    with transaction.atomic():
        bulk.run(bulk.insert(Place, buildings) + bulk.insert(Place, flats))
        Person.objects.bulk_create(people, batch_size=2_000)
        Ownership.objects.bulk_create([Ownership(flat_id=flat.pk, person_id=person.pk, exclusive_area_m2=area(n))
                                       for n, (flat, person) in enumerate(zip(flats, people, strict=True))],
                                      batch_size=2_000)
    office = User.objects.create(username=f"{prefix}-bench-office", is_superuser=True, is_staff=True)
    street_user = User.objects.create(username=f"{prefix}-bench-street", is_superuser=True, is_staff=True)
    project = project_create(actor=office, estate=Place.objects.get(pk=estate.pk), name=f"基准更新 {households}")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return Campaign(project, office, street_user, [b.name for b in buildings], households)


def approved(campaign: Campaign) -> RuleSet:
    """The next version, drafted and approved (untimed)."""
    last = RuleSet.objects.filter(project=campaign.project).count()
    rule_set = ruleset_draft(actor=campaign.office, project=campaign.project,
                             rules=rules_for(campaign.buildings, last + 1))
    return ruleset_approve(actor=campaign.street, rule_set=rule_set)


def ours(campaign: Campaign) -> tuple[Callable[[], None], Callable[[], object]]:
    """(setup, timed): draft and approve the next version; publish it."""
    state: dict[str, RuleSet] = {}

    def setup() -> None:
        state["next"] = approved(campaign)

    def timed() -> object:
        return ruleset_publish(actor=campaign.street, rule_set=state["next"])

    return setup, timed


def floor(campaign: Campaign) -> tuple[Callable[[], None], Callable[[], object]]:
    """(setup, timed): load the household rows and make the next version's row; then, timed, the calculator in a
    plain loop, one raw DELETE of the current offers and one executemany of raw INSERTs."""
    table = connection.ops.quote_name(Offer._meta.db_table)
    json_cast = "::jsonb" if connection.vendor == "postgresql" else ""
    insert = (f"INSERT INTO {table} (household_id, rule_set_id, option, total, lines, entitled_area_m2, "
              f"computed_at) VALUES (%s, %s, %s, %s, %s{json_cast}, %s, %s)")
    state: dict = {}

    def setup() -> None:
        state["rows"] = list(Household.objects.filter(project=campaign.project, signed_at__isnull=True)
                             .order_by().values_list("pk", "area_m2", "floor", "building__name"))
        state["current"] = Offer.objects.filter(household__project=campaign.project).values_list(
            "rule_set_id", flat=True).first()
        state["next"] = approved(campaign)

    def timed() -> object:
        rule_set = state["next"]
        ruler = calculator.ruler(rule_set.rules)
        today, now = clock.today(), connection.ops.adapt_datetimefield_value(clock.now())
        values = []
        for pk, area_m2, floor_no, building in state["rows"]:
            for result in ruler.options(HouseholdFacts(area_m2, floor_no, building, today)):
                values.append((pk, rule_set.pk, result.option, str(result.total), json.dumps(result.lines_json()),
                               None if result.entitled_area_m2 is None else str(result.entitled_area_m2), now))
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table} WHERE rule_set_id = %s", [state["current"]])
            cursor.executemany(insert, values)
        return len(values)

    return setup, timed


def page(campaign: Campaign, client: Client) -> tuple[str, Callable[[], object]]:
    try:
        url, label = reverse("renewal:progress", args=[campaign.project.pk]), "progress page"
    except NoReverseMatch:
        url, label = reverse("renewal:households", args=[campaign.project.pk]), "households list (no progress page)"

    def get() -> object:
        response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"{url}: {response.status_code}")
        return response

    return label, get


def median(setup: Callable[[], None], timed: Callable[[], object], repeat: int) -> float:
    """Median seconds of `timed` over `repeat` runs after one warm-up, `setup` untimed before each."""
    samples = []
    for n in range(repeat + 1):
        setup()
        start = time.perf_counter()
        timed()
        if n:
            samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def measure(campaign: Campaign, repeat: int, client: Client | None = None) -> dict[str, float]:
    results = {"ours": median(*ours(campaign), repeat), "floor": median(*floor(campaign), repeat)}
    unsigned = Household.objects.filter(project=campaign.project, signed_at__isnull=True).count()
    offers = Offer.objects.filter(household__project=campaign.project).count()
    print(f"\n{campaign.households:,} households ({unsigned:,} unsigned, {offers:,} offers stored), "
          f"{connection.vendor}, median of {repeat}")
    print(f"  {'ruleset_publish of a new version (ours)':<58} {results['ours'] * 1000:10.1f} ms   "
          f"x{results['ours'] / results['floor']:5.2f} of the floor")
    print(f"  {'floor: calculator loop + raw DELETE + executemany INSERT':<58} {results['floor'] * 1000:10.1f} ms")
    if client is not None:
        label, get = page(campaign, client)
        results["page"] = median(lambda: None, get, max(repeat, 5))
        print(f"  {'GET ' + label:<58} {results['page'] * 1000:10.1f} ms")
    return results


def run(sizes: str = "548,50k") -> None:
    wanted = sorted(size_of(text) for text in sizes.split(","))
    with throwaway_database() as name, override_settings(ALLOWED_HOSTS=["*"], STORAGES=PLAIN_STATIC):
        print(f"\nbench_renewal: throwaway {connection.vendor} database {name}; {os.cpu_count()} CPUs, "
              f"load average {os.getloadavg()[0]:.1f}")
        for n, size in enumerate(wanted):
            started = time.perf_counter()
            campaign = build_campaign(size, prefix=f"R{n}")
            print(f"\n(built {size:,} households in {time.perf_counter() - started:.0f} s)")
            client = Client()
            client.force_login(campaign.office)
            results = measure(campaign, 3 if size >= 50_000 else 5, client)
            goal = 1.0 if size <= 1_000 else 60.0
            within = results["ours"] < goal and (size <= 1_000 or results["ours"] <= 3 * results["floor"])
            print(f"  goal: under {goal:.0f} s{'' if size <= 1_000 else ' and within 3x the floor'}: "
                  f"{'met' if within else 'NOT MET'}")
