"""The demo district, built once for this module, reproduces the published figures.

The build runs inside one transaction that is rolled back when the module ends, so the
other test modules still start from an empty database.
"""

from __future__ import annotations

import datetime
import io
import random
import re
import zoneinfo
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, Q
from django.utils import timezone

from commonground.cases.categories import ENTERPRISE, walk
from commonground.cases.demo import DEMO_API_CLIENT, FIRST_YEAR_SETTING
from commonground.cases.models import ApiClient, Case, CaseEvent, MediationOutcome, Notification, Stage
from commonground.cases.services.categories import SeedResult, category_seed
from commonground.cases.services.deadlines import tick
from commonground.cases.services.ladder import handling_place
from commonground.core import clock
from commonground.core.clock import today
from commonground.core.models import (
    Household,
    Organisation,
    OrganisationKind,
    Ownership,
    Person,
    Place,
    PlaceKind,
    RoleAssignment,
    RoleKind,
    Setting,
    User,
)
from commonground.core.models.places import ancestor_ids
from commonground.core.reporting import build_report
from commonground.core.validators import MOBILE_RE, validate_id_number
from commonground.core.working_calendar import add_working_hours
from commonground.demo.accounts import ACCOUNTS, password_for
from commonground.demo.bulk import split_exact
from commonground.demo.names import STREETS

pytestmark = pytest.mark.slow

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
DEMO_NOW = datetime.datetime(2023, 8, 31, 16, 0, tzinfo=SHANGHAI)


@pytest.fixture
def demo(demo_built):
    """The full demo district (tests/demo/conftest.py builds it once for the package)."""
    return demo_built[0]


def zhegong() -> Place:
    return Place.objects.get(kind=PlaceKind.ESTATE, name="浙工新村")


def test_demo__report_organisation_section__the_published_figures(demo, db):
    report = build_report()

    communities = Place.objects.of_kind(PlaceKind.COMMUNITY).count()
    assert report["scope"] == {"code": "330105", "name": "拱墅区"}
    assert report["period"] == {"from": "2023-01-01", "to": "2023-08-31"}
    organisation = report["organisation"]
    mass_associations = organisation.pop("mass_associations")
    assert 2000 < mass_associations < 2100
    assert organisation == {
        "estates": 621,
        "estate_party_organisations": 621,
        "corridor_party_branches": 2359,
        "owners_committee_formation_rate": 0.9195,
        "property_service_coverage_rate": 1.0,
        "three_party_offices": {"district": 1, "street": 18, "community": communities},
    }
    assert Organisation.objects.of_kind(OrganisationKind.OWNERS_COMMITTEE).values("place").distinct().count() == 571


def test_demo__pinned_today__2023_08_31(demo, db):
    assert today() == datetime.date(2023, 8, 31)


def test_demo__streets__eighteen_in_code_order(demo, db):
    streets = list(Place.objects.of_kind(PlaceKind.STREET).order_by("code").values_list("code", "name"))

    assert streets == [(f"330105{i:03d}", f"{name}街道") for i, name in enumerate(STREETS, start=1)]


def test_demo__communities__six_to_eight_per_street_each_with_its_organisations(demo, db):
    per_street = Place.objects.of_kind(PlaceKind.COMMUNITY).values("parent").annotate(n=Count("pk"))
    communities = Place.objects.of_kind(PlaceKind.COMMUNITY)

    assert communities.count() == 120
    assert {row["n"] for row in per_street} <= {6, 7, 8}
    for kind in (OrganisationKind.RESIDENTS_COMMITTEE, OrganisationKind.PARTY_ORGANISATION,
                 OrganisationKind.THREE_PARTY_OFFICE):
        assert Organisation.objects.filter(kind=kind, place__kind=PlaceKind.COMMUNITY).count() == 120
    assert not communities.exclude(children__kind=PlaceKind.GRID).exists()
    assert not Place.objects.exclude(latitude__gte=Decimal("30.27"), latitude__lte=Decimal("30.36"),
                                     longitude__gte=Decimal("120.10"), longitude__lte=Decimal("120.20")).exclude(
        latitude__isnull=True).exists()


def test_demo__estates__each_with_property_project_of_a_district_company(demo, db):
    projects = Organisation.objects.filter(kind=OrganisationKind.PROPERTY_COMPANY, place__kind=PlaceKind.ESTATE)

    assert projects.count() == 621
    assert not projects.filter(parent__isnull=True).exists()
    assert Organisation.objects.filter(kind=OrganisationKind.PROPERTY_COMPANY, place__kind=PlaceKind.DISTRICT,
                                       credit_code__isnull=False).count() == 40
    assert not Organisation.objects.filter(established_on__isnull=True).exists()
    assert not Organisation.objects.filter(established_on__gte=datetime.date(2023, 1, 1)).exists()


def test_demo__zhegong__548_households_in_13_buildings(demo, db):
    estate = zhegong()
    households = Household.objects.filter(flat__path__startswith=estate.path).annotate(n=Count("memberships"))

    assert estate.parent.name == "河东社区" and estate.parent.parent.name == "朝晖街道"
    assert Place.objects.within(estate).of_kind(PlaceKind.BUILDING).count() == 13
    assert Place.objects.within(estate).of_kind(PlaceKind.FLAT).count() == 548
    assert households.count() == 548
    assert {h.n for h in households} == {2, 3, 4}
    assert households.filter(memberships__relation="head").count() == 548
    first_two = Place.objects.within(estate).of_kind(PlaceKind.BUILDING).order_by("code")[:2]
    assert [Place.objects.within(b).of_kind(PlaceKind.FLAT).count() for b in first_two] == [40, 40]


def test_demo__zhegong__owners_areas_and_personal_data_valid(demo, db):
    ownerships = Ownership.objects.filter(flat__path__startswith=zhegong().path)
    per_flat = ownerships.values("flat").annotate(n=Count("pk"))
    per_owner = ownerships.values("person").annotate(n=Count("pk"))
    people = Person.objects.filter(households__flat__path__startswith=zhegong().path)

    assert per_flat.count() == 548
    assert 0 < per_flat.filter(n=2).count() < 20  # a few co-owned flats
    assert 0 < per_owner.filter(n=2).count() < 20  # a few owners with a second flat
    assert all(Decimal("40") <= o.exclusive_area_m2 <= Decimal("95") for o in ownerships)
    assert all(o.exclusive_area_m2 == o.exclusive_area_m2.quantize(Decimal("0.01")) for o in ownerships)
    for person in people:
        validate_id_number(person.id_number)
        assert person.id_number.startswith("3301")
        assert person.birth_date.strftime("%Y%m%d") == person.id_number[6:14]
        assert person.phone == "" or MOBILE_RE.match(person.phone)
        assert re.fullmatch(r"[\u4e00-\u9fff]{2,4}", person.name)


def test_demo__other_estates__residents_and_developers_unsold_flats(demo, db):
    populated = {ancestor_ids(path)[3] for path in Household.objects.values_list("flat__path", flat=True)}
    unsold = Ownership.objects.filter(organisation__kind=OrganisationKind.DEVELOPER)

    assert len(populated) == 22  # and 吴家墩新人公寓, whose couriers the programmes step houses
    assert unsold.count() == 5
    assert {o.flat.parent.parent.parent.name for o in unsold} == {"远洋公寓"}
    assert not Household.objects.filter(flat__in=unsold.values("flat")).exists()


def test_demo__business__17_communities_206_office_buildings_and_couriers_home(demo, db):
    def office_buildings(name: str) -> int:
        return Place.objects.get(name=name).children.filter(kind=PlaceKind.OFFICE_BUILDING).count()

    home = Place.objects.get(kind=PlaceKind.FACILITY, name="吴家墩小哥党群之家")
    assert Place.objects.of_kind(PlaceKind.BUSINESS_COMMUNITY).count() == 17
    assert Place.objects.of_kind(PlaceKind.OFFICE_BUILDING).count() == 206
    assert (office_buildings("新天地商务社区"), office_buildings("汇金国际商务社区")) == (27, 6)
    assert Place.objects.get(name="新天地商务社区").parent.name == "东新街道"
    assert (home.parent.name, home.parent.parent.name, home.floor_area_m2) == ("吴家墩社区", "康桥街道", Decimal("500"))


def test_demo__every_account__logs_in_and_holds_its_role(demo, db, client):
    expected_roles = {a.username: a.role for a in ACCOUNTS}

    for account in ACCOUNTS:
        response = client.post("/login/", {"username": account.username, "password": password_for(account.username)})
        assert response.status_code == 302, account.username
        client.logout()
    roles = {r.user.username: r for r in RoleAssignment.objects.active().select_related("user", "scope")}
    assert {name: (r.role if r else None) for name, r in ((n, roles.get(n)) for n in expected_roles)} == expected_roles
    assert set(RoleKind.values) == {role for role in expected_roles.values() if role}
    assert all(roles[name].valid_from == datetime.date(2020, 1, 1) for name in expected_roles if name in roles)
    assert User.objects.get(username="admin").is_superuser
    assert set(User.objects.filter(is_staff=True).values_list("username", flat=True)) == {
        "admin", "district", "street", "community"}
    assert roles["commissioner"].scope.name == "新天地商务社区"
    assert roles["renewal"].scope.name == "浙工新村"
    owner = User.objects.get(username="owner").person
    assert Ownership.objects.filter(person=owner, flat__path__startswith=zhegong().path).exists()
    chair = User.objects.get(username="committee").person
    assert chair.organisation_memberships.get().organisation.name == "远洋公寓业主委员会"


def test_demo_command__if_empty_on_built_database__does_nothing(demo, db):
    before = (Place.objects.count(), Organisation.objects.count(), Person.objects.count(), User.objects.count())
    out = io.StringIO()

    call_command("demo", "--if-empty", stdout=out)

    assert (Place.objects.count(), Organisation.objects.count(), Person.objects.count(),
            User.objects.count()) == before
    assert out.getvalue().count("\n") == 1


def test_demo_command__built_database_without_if_empty__refused(demo, db):
    before = Place.objects.count()

    with pytest.raises(CommandError):
        call_command("demo", "--no-progress", stdout=io.StringIO())

    assert Place.objects.count() == before


def test_demo_command__accounts__prints_every_login(demo, db):
    out = io.StringIO()

    call_command("demo", "--accounts", stdout=out)

    lines = out.getvalue().splitlines()
    assert len(lines) == 1 + len(ACCOUNTS) + 1  # and the demo's Open311 client
    for account, line in zip(ACCOUNTS, lines[1:], strict=False):
        assert line.split()[:2] == [account.username, password_for(account.username)]
    assert lines[-1].split()[:2] == list(DEMO_API_CLIENT)


# --- the year of cases ----------------------------------------------------------------------------------

CLOSED = [Stage.CLOSED, Stage.EVALUATED]


def test_demo_cases__closed_by_level__sums_to_the_closed_cases_mostly_building_estate_community(demo, db):
    by_level = build_report()["coordination"]["cases_closed_by_level"]
    closed = Case.objects.filter(stage__in=CLOSED, closed_at__date__gte=datetime.date(2023, 1, 1),
                                 closed_at__date__lte=datetime.date(2023, 8, 31))

    assert sum(by_level.values()) == closed.count() > 2000
    assert (by_level["building"] + by_level["estate"] + by_level["community"]) * 10 > sum(by_level.values()) * 8
    assert min(by_level.values()) > 0
    assert not Case.objects.filter(stage__in=CLOSED, closed_level="").exists()


def test_demo_cases__xintiandi_first_year__286_disputes_resolved_123_needs_met(demo, db):
    first_year = Setting.objects.get(key=FIRST_YEAR_SETTING).value
    xintiandi = Place.objects.get(code=first_year["place"])
    closed = Case.objects.within(xintiandi).filter(
        stage__in=CLOSED, closed_at__date__gte=first_year["from"], closed_at__date__lte=first_year["to"])

    disputes = closed.filter(category__is_dispute=True, mediation__outcome=MediationOutcome.AGREEMENT).count()
    needs = closed.filter(Q(category__code=ENTERPRISE) | Q(category__parent__code=ENTERPRISE)).count()

    assert (xintiandi.name, first_year["from"], first_year["to"]) == ("新天地商务社区", "2022-06-01", "2023-05-31")
    assert (disputes, needs) == (286, 123)
    assert closed.filter(category__is_dispute=True).count() == 286
    assert Case.objects.within(xintiandi).exclude(pk__in=closed.values("pk")).filter(
        Q(category__is_dispute=True) | Q(category__parent__code=ENTERPRISE)).exists()


def test_demo_cases__every_stage_present_some_overdue_escalated_reopened(demo, db):
    stages = dict(Case.objects.values_list("stage").annotate(n=Count("pk")))

    assert set(stages) == set(Stage.values)
    assert 3000 < sum(stages.values()) < 6000
    # late cases went up the ladder with a fresh deadline there: the escalation records the lateness
    assert CaseEvent.objects.filter(action="escalated", data__overdue=True).count() > 10
    assert Case.objects.filter(escalations__gt=0).count() > 100
    assert Case.objects.filter(reopenings__gt=0).exists()
    assert not Case.objects.filter(created_at__gt=datetime.datetime(2023, 8, 31, 16, 0, tzinfo=SHANGHAI)).exists()
    ratings = dict(Case.objects.filter(rating__isnull=False).values_list("rating").annotate(n=Count("pk")))
    assert ratings[5] + ratings[4] > 0.8 * sum(ratings.values())
    assert CaseEvent.objects.filter(action="rated", data__rating__lte=2).count() == Case.objects.filter(
        reopenings__gt=0).count()


def test_demo_cases__event_log__chains_from_reported_to_each_case_stage(demo, db):
    stage_of = dict(Case.objects.values_list("pk", "stage"))
    last: dict[int, str] = {}
    breaks = []
    for case_id, action, from_stage, to_stage in CaseEvent.objects.order_by("case", "at", "pk").values_list(
            "case_id", "action", "from_stage", "to_stage"):
        if last.get(case_id, "") != from_stage or (case_id not in last and action != "reported"):
            breaks.append(case_id)
        last[case_id] = to_stage

    assert breaks == []
    assert last == stage_of


def test_demo_cases__deadlines_and_handling_places__as_the_services_compute_them(demo, db):
    dispatched = Case.objects.filter(dispatched_at__isnull=False).select_related("category", "place",
                                                                                 "handling_place")
    for case in dispatched.order_by("pk")[::25]:
        assert case.deadline == add_working_hours(case.dispatched_at, case.category.sla_hours), case.number
        assert handling_place(case.place, case.level) == (case.level, case.handling_place), case.number
    assert not Case.objects.open().filter(stage__in=[Stage.DISPATCH, Stage.HANDLE, Stage.FEEDBACK],
                                         deadline__isnull=True).exists()


def test_demo_cases__tick_at_the_demo_now__nothing_left_to_do(demo, db):
    before = (CaseEvent.objects.count(), Notification.objects.count())

    with clock.frozen_at(DEMO_NOW):
        result = tick()

    assert (result.warned, result.escalated) == (0, 0)
    assert (CaseEvent.objects.count(), Notification.objects.count()) == before


def test_demo_clock__runs_from_the_demo_now__tick_command_escalates_only_what_is_overdue_on_it(demo, db):
    """The demo's clock started at 2023-08-31 16:00 when the demo was built; `tick` reads it, not the wall clock
    (on which every open case of 2023 would be years overdue)."""
    from commonground.cases.services.deadlines import CLOCK_STAGES

    started = clock.now()
    assert DEMO_NOW <= started < DEMO_NOW + datetime.timedelta(minutes=10)
    running = Case.objects.filter(stage__in=CLOCK_STAGES)
    assert running.filter(deadline__gt=started).count() > 50
    marked = running.filter(is_overdue=True)  # late at the top of the ladder: nothing more for the tick to do
    assert marked.count() == 2 and set(marked.values_list("level", flat=True)) == {"district"}
    running = running.filter(is_overdue=False)
    due_now = running.filter(deadline__lte=started).count()
    due_within_minutes = running.filter(deadline__lte=started + datetime.timedelta(minutes=5)).count()
    escalations_before = CaseEvent.objects.filter(action="escalated").count()

    call_command("tick", stdout=io.StringIO())

    escalated = CaseEvent.objects.filter(action="escalated").count() - escalations_before
    assert due_now <= escalated <= due_within_minutes < running.count()


def test_demo_cases__disputes_reported_done__carry_an_agreed_mediation_with_sessions(demo, db):
    done = Case.objects.filter(category__is_dispute=True, stage__in=[Stage.FEEDBACK, *CLOSED])

    assert done.count() > 500
    assert not done.exclude(mediation__outcome=MediationOutcome.AGREEMENT).exists()
    assert not done.filter(mediation__sessions__isnull=True).exists()
    assert not Case.objects.filter(category__is_dispute=False, mediation__isnull=False).exists()


def test_demo_cases__categories_are_the_seed_and_numbers_follow_the_service(demo, db):
    assert category_seed() == SeedResult(created=0, updated=0, unchanged=len(list(walk())))
    for number, created_at, pk in Case.objects.order_by("pk").values_list("number", "created_at", "pk")[::97]:
        assert number == f"SX{timezone.localtime(created_at):%Y%m%d}{pk:06d}"
    assert ApiClient.objects.filter(api_key=DEMO_API_CLIENT[1], is_active=True).exists()


def test_split_exact__same_seed_same_parts_summing_to_total():
    first = split_exact(random.Random(7), 2312, 620, low=1, high=12)

    assert first == split_exact(random.Random(7), 2312, 620, low=1, high=12)
    assert sum(first) == 2312 and min(first) >= 1 and max(first) <= 12
    with pytest.raises(ValueError):
        split_exact(random.Random(7), 10, 3, low=4)
