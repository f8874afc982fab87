"""The where-to-act list at a city's size: `commonground bench coordination [--size 621,5000]`.

In a throwaway database a city of N estates is generated in bulk: streets of 7 communities of 5 estates (621: 18
streets, as the demo district), an owners' committee at 92% of the estates (filed, or with members' terms only, or
neither), a property contract at every estate but a few (some ending within 3 months, some ended), and 20 cases
per estate in the case table (10% open, a third of those overdue; the closed ones rated, most in the last year).

Measured per size (median of N runs after one warm-up, Django's in-process test client, server time):
- the street's list: GET /coordination/estates/ as a street officer (one street's estates);
- the district's list: GET /coordination/estates/ as a district officer (every estate);
- the selector alone (`estates_by_warning`) for the district, without the page around it;
- floor: one hand-written SQL statement computing the same facts and warnings of every estate of the district and
  ordering them most urgent first, read whole.
with their query counts. Goals (issue 14): at 621 estates the list under 150 ms and within 2x the floor; the
query count independent of the number of estates.
"""

from __future__ import annotations

import datetime
import os
import time
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from commonground.cases.models import CLOSED_STAGES, OPEN_STAGES, Case, Category, Stage
from commonground.coordination.models import CommitteeFiling, PropertyContract, ServiceLevel
from commonground.coordination.profile_rules import add_months
from commonground.coordination.profile_selectors import estates_by_warning
from commonground.coordination.rules import low_rating_threshold, min_ratings, warning_months
from commonground.core import bulk, clock
from commonground.core.models import (
    Organisation,
    OrganisationKind,
    OrganisationMembership,
    Person,
    Place,
    PlaceKind,
    RoleKind,
    User,
)
from commonground.core.models.places import path_segment, path_upper_bound
from commonground.core.services.accounts import role_assign
from commonground.core.services.places import place_create

from .harness import median_seconds, throwaway_database

SIZES = {"621": 621, "5000": 5_000, "5k": 5_000}
COMMUNITIES_PER_STREET = 7
ESTATES_PER_COMMUNITY = 5
CASES_PER_ESTATE = 20
TODAY = datetime.date(2023, 8, 31)
NOW = timezone.make_aware(datetime.datetime(2023, 8, 31, 16, 0))
PLAIN_STATIC = {"staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
                "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}


@dataclass
class City:
    district: Place
    street: Place
    street_user: User
    district_user: User
    estates: int


def size_of(text: str) -> int:
    text = text.strip().lower()
    return SIZES[text] if text in SIZES else int(text.replace("_", "").replace("k", "000"))


def _places(parent: Place, kind: str, count: int, code: str, name: str) -> list[Place]:
    places = []
    for n, pk in enumerate(bulk.reserve_ids(Place, count), start=1):
        places.append(Place(pk=pk, code=f"{parent.code}{code}{n:03d}", name=f"{parent.name}{name}{n}", kind=kind,
                            parent_id=parent.pk, depth=parent.depth + 1, path=parent.path + path_segment(pk)))
    return places


def build_city(estates: int, prefix: str = "C") -> City:
    """A district of `estates` estates with their committees, filings, contracts and cases, in bulk."""
    district = place_create(code=f"{prefix}330105", name="基准市", kind=PlaceKind.DISTRICT)
    per_street = COMMUNITIES_PER_STREET * ESTATES_PER_COMMUNITY
    streets = _places(district, PlaceKind.STREET, -(-estates // per_street), "S", "街道")
    communities = [c for s in streets for c in _places(s, PlaceKind.COMMUNITY, COMMUNITIES_PER_STREET, "C", "社区")]
    estate_places = [e for c in communities for e in _places(c, PlaceKind.ESTATE, ESTATES_PER_COMMUNITY, "E", "小区")]
    estate_places = estate_places[:estates]
    company = Organisation(name=f"{prefix}基准物业服务有限公司", kind=OrganisationKind.PROPERTY_COMPANY,
                           place_id=district.pk)
    committees, filings, contracts, memberships, cases = [], [], [], [], []
    category = Category.objects.get_or_create(code="bench-noise", defaults={"name": "噪音纠纷", "sla_hours": 40,
                                                                             "is_dispute": True})[0]
    person = Person(name="基准委员")
    with transaction.atomic(), clock.frozen_at(NOW):
        bulk.run(bulk.insert(Place, streets) + bulk.insert(Place, communities) + bulk.insert(Place, estate_places))
        company.save()
        person.save()
        for n, estate in enumerate(estate_places):
            if n % 25 < 23:  # 92% have an owners' committee
                committees.append(Organisation(name=f"{estate.name}业主委员会", kind=OrganisationKind.OWNERS_COMMITTEE,
                                               place_id=estate.pk, established_on=datetime.date(2019, 1, 1)))
        bulk.run(bulk.insert(Organisation, committees))
        by_pk = {estate.pk: estate for estate in estate_places}
        for n, committee in enumerate(committees):
            estate = by_pk[committee.place_id]
            term_from = datetime.date(2019, 1, 1) + datetime.timedelta(days=n % 200)
            term_to = add_months(TODAY, 2) if n % 13 == 0 else term_from.replace(year=term_from.year + 5) \
                - datetime.timedelta(days=1)
            if n % 10 < 8:
                filings.append(CommitteeFiling(committee_id=committee.pk, estate_id=estate.pk, term_from=term_from,
                                               term_to=term_to, filed_on=term_from + datetime.timedelta(days=10),
                                               members=7, estate_path=estate.path, street_path=estate.path[:20]))
            elif n % 10 == 8:
                memberships.append(OrganisationMembership(organisation_id=committee.pk, person_id=person.pk,
                                                          position="主任", term_from=term_from, term_to=term_to))
        for n, estate in enumerate(estate_places):
            if n % 50 == 49:
                continue  # no contract on file
            ends_on = (TODAY - datetime.timedelta(days=n % 90 + 1) if n % 40 == 0 else
                       TODAY + datetime.timedelta(days=n % 90) if n % 12 == 0 else
                       datetime.date(2025, 1, 1) + datetime.timedelta(days=n % 700))
            contracts.append(PropertyContract(estate_id=estate.pk, company_id=company.pk,
                                              starts_on=ends_on.replace(year=ends_on.year - 3), ends_on=ends_on,
                                              fee_per_m2=Decimal("1.50"), service_level=ServiceLevel.LEVEL_3,
                                              estate_path=estate.path, street_path=estate.path[:20]))
            for k in range(CASES_PER_ESTATE):
                opened = k < 2
                created = NOW - datetime.timedelta(days=(n * 7 + k * 31) % 700 + 1)
                closed = None if opened else created + datetime.timedelta(days=2)
                cases.append(Case(number=f"{prefix}{n:06d}{k:02d}", category_id=category.pk, description="基准",
                                  place_id=estate.pk, place_path=estate.path, street_path=estate.path[:20],
                                  unit_path=estate.path[:30],
                                  stage=Stage.HANDLE if opened else Stage.EVALUATED, is_overdue=opened and k == 0
                                  and n % 3 == 0, created_at=created, closed_at=closed,
                                  rating=None if opened else (1 + (n + k) % 5 if n % 7 == 0 else 3 + (n + k) % 3)))
        bulk.run(bulk.insert(CommitteeFiling, filings) + bulk.insert(OrganisationMembership, memberships)
                 + bulk.insert(PropertyContract, contracts))
        for start in range(0, len(cases), 5_000):
            bulk.run(bulk.insert(Case, cases[start:start + 5_000]))
    street_user = User.objects.create(username=f"{prefix}-bench-street")
    district_user = User.objects.create(username=f"{prefix}-bench-district")
    role_assign(user=street_user, role=RoleKind.STREET_STAFF, scope=streets[0], valid_from=datetime.date(2020, 1, 1))
    role_assign(user=district_user, role=RoleKind.DISTRICT_ADMIN, scope=district,
                valid_from=datetime.date(2020, 1, 1))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return City(district, streets[0], street_user, district_user, len(estate_places))


FLOOR_SQL = """
WITH est AS (
  SELECT id, path FROM {place} WHERE kind = 'estate' AND path >= %(lo)s AND path < %(hi)s
), com AS (
  SELECT o.place_id AS estate_id, MAX(o.id) AS committee_id
  FROM {org} o JOIN est ON est.id = o.place_id
  WHERE o.kind = 'owners_committee' AND (o.established_on IS NULL OR o.established_on <= %(today)s)
    AND (o.dissolved_on IS NULL OR o.dissolved_on > %(today)s)
  GROUP BY o.place_id
), filed AS (
  SELECT f.committee_id, f.term_to FROM {filing} f JOIN com ON com.committee_id = f.committee_id
  WHERE f.term_from = (SELECT MAX(g.term_from) FROM {filing} g WHERE g.committee_id = f.committee_id)
), held AS (
  SELECT m.organisation_id AS committee_id, MAX(m.term_to) AS term_to
  FROM {membership} m JOIN com ON com.committee_id = m.organisation_id GROUP BY m.organisation_id
), con AS (
  SELECT estate_id, MAX(ends_on) AS ends_on FROM {contract}
  WHERE estate_path >= %(lo)s AND estate_path < %(hi)s GROUP BY estate_id
), opn AS (
  SELECT p.id AS estate_id, COUNT(*) AS n, SUM(CASE WHEN c.is_overdue THEN 1 ELSE 0 END) AS overdue
  FROM {case} c JOIN {place} p ON p.path = SUBSTR(c.place_path, 1, 40)
  WHERE c.stage IN ({open_stages}) AND {case_scope} GROUP BY p.id
), rat AS (
  SELECT p.id AS estate_id, COUNT(*) AS rated, SUM(c.rating) AS rating_sum
  FROM {case} c JOIN {place} p ON p.path = SUBSTR(c.place_path, 1, 40)
  WHERE c.stage IN ({closed_stages}) AND c.closed_at >= %(since)s AND c.rating IS NOT NULL
    AND {case_scope} GROUP BY p.id
), facts AS (
  SELECT est.id, est.path, com.committee_id, COALESCE(filed.term_to, held.term_to) AS term_to,
         con.ends_on, COALESCE(opn.overdue, 0) AS overdue, COALESCE(rat.rated, 0) AS rated,
         COALESCE(rat.rating_sum, 0) AS rating_sum
  FROM est LEFT JOIN com ON com.estate_id = est.id LEFT JOIN filed ON filed.committee_id = com.committee_id
  LEFT JOIN held ON held.committee_id = com.committee_id LEFT JOIN con ON con.estate_id = est.id
  LEFT JOIN opn ON opn.estate_id = est.id LEFT JOIN rat ON rat.estate_id = est.id
), flags AS (
  SELECT facts.*,
    CASE WHEN committee_id IS NULL THEN 3 WHEN term_to IS NULL THEN 1 WHEN term_to < %(today)s THEN 3
         WHEN term_to <= %(horizon)s THEN 2 ELSE 0 END AS committee_sev,
    CASE WHEN ends_on IS NULL OR ends_on < %(today)s THEN 3 WHEN ends_on <= %(horizon)s THEN 2 ELSE 0 END
      AS contract_sev,
    CASE WHEN overdue > 0 THEN 3 ELSE 0 END AS overdue_sev,
    CASE WHEN rated >= %(min_ratings)s AND rating_sum < %(low)s * rated THEN 2 ELSE 0 END AS rating_sev
  FROM facts
)
SELECT id, committee_sev, contract_sev, overdue_sev, rating_sev, overdue FROM flags
ORDER BY -(CASE WHEN committee_sev >= contract_sev AND committee_sev >= overdue_sev AND committee_sev >= rating_sev
                THEN committee_sev WHEN contract_sev >= overdue_sev AND contract_sev >= rating_sev THEN contract_sev
                WHEN overdue_sev >= rating_sev THEN overdue_sev ELSE rating_sev END),
         -(committee_sev + contract_sev + overdue_sev + rating_sev),
         -((CASE WHEN committee_sev > 0 THEN 1 ELSE 0 END) + (CASE WHEN contract_sev > 0 THEN 1 ELSE 0 END)
           + (CASE WHEN overdue_sev > 0 THEN 1 ELSE 0 END) + (CASE WHEN rating_sev > 0 THEN 1 ELSE 0 END)),
         -overdue, path
"""


def floor_sql(scope: Place) -> tuple[str, dict[str, Any]]:
    """The floor's statement and parameters for the estates under `scope` (a district or a street)."""
    quote = connection.ops.quote_name
    segments = len(scope.path) // 10
    case_scope = "c.street_path = %(lo)s" if segments == 2 else "c.place_path >= %(lo)s AND c.place_path < %(hi)s"
    sql = FLOOR_SQL.format(
        place=quote(Place._meta.db_table), org=quote(Organisation._meta.db_table),
        filing=quote(CommitteeFiling._meta.db_table), membership=quote(OrganisationMembership._meta.db_table),
        contract=quote(PropertyContract._meta.db_table), case=quote(Case._meta.db_table),
        open_stages=", ".join(f"'{s}'" for s in OPEN_STAGES), closed_stages=", ".join(f"'{s}'" for s in CLOSED_STAGES),
        case_scope=case_scope)
    today = clock.today()
    since = timezone.make_aware(datetime.datetime.combine(add_months(today, -12), datetime.time()))
    params = {"lo": scope.path, "hi": path_upper_bound(scope.path), "today": today,
              "horizon": add_months(today, warning_months()), "since": since, "min_ratings": min_ratings(),
              "low": float(low_rating_threshold())}
    return sql, params


def floor(scope: Place) -> list[tuple]:
    sql, params = floor_sql(scope)
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # the CTEs' row estimates multiply into billions, which sets PostgreSQL's JIT compiling the plan for
            # seconds; a hand-tuned floor turns it off
            cursor.execute("SET LOCAL jit = off")
        cursor.execute(sql, params)
        return cursor.fetchall()


def queries_of(func) -> int:
    with CaptureQueriesContext(connection) as queries:
        func()
    return len(queries)


def page_get(client: Client, url: str):
    def get() -> object:
        response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"{url}: {response.status_code}")
        return response
    return get


def measure(city: City, repeat: int) -> dict[str, tuple[float, int]]:
    """{name: (median seconds, queries)} of the street's and the district's page, the selector and the floor."""
    url = reverse("coordination:estates")
    street, district = Client(), Client()
    street.force_login(city.street_user)
    district.force_login(city.district_user)
    results: dict[str, tuple[float, int]] = {}
    with clock.frozen_at(NOW):
        for name, func in (
            ("street list page (street officer)", page_get(street, url)),
            ("district list page (district officer)", page_get(district, url)),
            ("estates_by_warning, district (selector)", lambda: estates_by_warning(
                User.objects.get(pk=city.district_user.pk), city.district)),
            ("floor: one SQL, district", lambda: floor(city.district)),
            ("floor: one SQL, street", lambda: floor(city.street)),
        ):
            results[name] = (median_seconds(func, repeat=repeat), queries_of(func))
    return results


def check(city: City) -> None:
    """The floor and the selector agree on every estate's warnings (by severity per group)."""
    with clock.frozen_at(NOW):
        ours = {row.pk: row for row in estates_by_warning(city.district_user, city.district).rows}
        for pk, committee, contract, overdue, rating, _n in floor(city.district):
            mine = ours[pk]
            assert (3 in (committee, contract, overdue)) == (mine.severity == 3), pk
            assert sum((committee, contract, overdue, rating)) == sum(w.severity for w in mine.warnings), pk


def report(city: City, results: dict[str, tuple[float, int]]) -> bool:
    floor_district = results["floor: one SQL, district"][0]
    floor_street = results["floor: one SQL, street"][0]
    print(f"\n{city.estates:,} estates, {city.estates * CASES_PER_ESTATE:,} cases, {connection.vendor}")
    for name, (seconds, queries) in results.items():
        base = floor_street if "street" in name else floor_district
        print(f"  {name:<44} {seconds * 1000:9.1f} ms  {queries:3d} queries   x{seconds / base:5.2f} of the floor")
    page = results["district list page (district officer)"][0]
    met = page <= 0.150 and page <= 2 * floor_district
    if city.estates <= 1_000:
        print(f"  goal at 621: district page <= 150 ms and <= 2x the floor: {'met' if met else 'NOT MET'}")
    return met


def run(sizes: str = "621,5000") -> None:
    wanted = sorted(size_of(text) for text in sizes.split(","))
    with throwaway_database() as name, override_settings(ALLOWED_HOSTS=["*"], STORAGES=PLAIN_STATIC):
        print(f"\nbench_coordination: throwaway {connection.vendor} database {name}; {os.cpu_count()} CPUs, "
              f"load average {os.getloadavg()[0]:.1f}")
        counts = {}
        for n, size in enumerate(wanted):
            started = time.perf_counter()
            city = build_city(size, prefix=f"C{n}")
            print(f"\n(built {size:,} estates in {time.perf_counter() - started:.0f} s)")
            check(city)
            results = measure(city, 7 if size <= 1_000 else 5)
            report(city, results)
            counts[size] = {name: q for name, (_s, q) in results.items()}
        if len(counts) > 1:
            first, *rest = counts.values()
            same = all(other == first for other in rest)
            print(f"\nquery counts independent of the number of estates: {'yes' if same else 'NO'}")
