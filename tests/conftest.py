"""Shared fixtures: a small district with two streets, and users holding each role kind."""

from __future__ import annotations

import datetime
import hashlib
import zoneinfo
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps
from django.core.cache import cache
from django.test import override_settings

from commonground.core import clock, place_cache
from commonground.core.models import Organisation, OrganisationKind, Person, Place, PlaceKind, RoleKind, User
from commonground.core.services.accounts import clock_set, role_assign
from commonground.core.services.organisations import organisation_create
from commonground.core.services.people import household_create, ownership_create, person_create
from commonground.core.services.places import place_create
from commonground.core.validators import id_number_check_char
from tests import summary

VALID_FROM = datetime.date(2020, 1, 1)
pytest_plugins = ["tests.browser"]  # the `browser` fixture of the browser tests
# Packages whose tests share one expensive fixture (the demo district, a deployment): under pytest-xdist each
# is one unit of work, run by one worker, which builds it once. (xdist's own `xdist_group` marks no longer take
# effect under pytest 9.2, which keeps the node id where xdist cannot add the group to it.)
SHARED_FIXTURE_PACKAGES = ("tests/demo/", "tests/ops/")


def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    from xdist.scheduler import LoadScopeScheduling

    class SharedFixtureScheduling(LoadScopeScheduling):
        """Every other test is its own unit, as with `--dist load`; the largest units are sent first."""

        def _split_scope(self, nodeid: str) -> str:
            return next((package for package in SHARED_FIXTURE_PACKAGES if nodeid.startswith(package)), nodeid)

    return SharedFixtureScheduling(config, log)


def pytest_sessionstart(session: pytest.Session) -> None:
    if not summary.is_worker():
        summary.start()


def pytest_terminal_summary(terminalreporter) -> None:
    """The nets' figures (crawl, fuzzers, operations, axe), from every process of the run."""
    found = summary.sections()
    axe = found.pop("axe", [])
    for section, lines in found.items():
        terminalreporter.section(section)
        for line in lines:
            terminalreporter.write_line(line)
    if axe:
        terminalreporter.write_line(summary.axe_line(axe))


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    """The real hasher costs half a second per user; tests check permissions, not hashing."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    """Tests run without collectstatic: serve static files from the apps, not a manifest."""
    settings.STORAGES = {**settings.STORAGES,
                         "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}


@pytest.fixture(scope="session", autouse=True)
def _temporary_media_root(tmp_path_factory):
    """Uploads go to a temporary folder, never to the checkout's var/media (a test or package may still
    set its own)."""
    with override_settings(MEDIA_ROOT=str(tmp_path_factory.mktemp("media"))):
        yield


@pytest.fixture(autouse=True)
def _fresh_cache():
    """No test sees another's cached values, clock offset or kept places."""
    cache.clear()
    clock.forget()
    place_cache.forget()
    yield
    cache.clear()
    clock.forget()
    place_cache.forget()


class BackgroundJobs:
    """Work the code started in the background (core.background.start), held for the test to run."""

    def __init__(self) -> None:
        self.started: list[tuple[str, tuple]] = []

    def run_all(self) -> list:
        from commonground.core.background import task_named

        started, self.started = self.started, []
        return [task_named(name).run(*args) for name, args in started]


@pytest.fixture(autouse=True)
def background_jobs(monkeypatch) -> BackgroundJobs:
    """No test starts a real background process; a test runs what was started with `background_jobs.run_all()`."""
    jobs = BackgroundJobs()
    monkeypatch.setattr("commonground.core.background.start", lambda name, *args: jobs.started.append((name, args)))
    return jobs


def start_clock_on(day: datetime.date, hour: int = 12) -> None:
    """Run the deployment's clock from `day` at `hour` local time (as the demo runs from 2023-08-31 16:00)."""
    clock_set(starts_at=datetime.datetime.combine(day, datetime.time(hour), tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai")))


def make_id_number(region: str = "330105", birth: str = "19800101", seq: int = 1) -> str:
    """A valid GB 11643 number for tests."""
    first17 = f"{region}{birth}{seq:03d}"
    return first17 + id_number_check_char(first17)


@dataclass
class Tree:
    district: Place
    street: Place
    other_street: Place
    community: Place
    neighbour: Place  # another community in the same street
    far_community: Place  # a community in the other street
    estate: Place
    neighbour_estate: Place
    building: Place
    corridor: Place
    flat: Place
    neighbour_flat: Place
    owner: Person
    neighbour_owner: Person
    developer: Organisation


def _chain(parent: Place, prefix: str, name: str) -> tuple[Place, Place, Place, Place, Place]:
    """community → estate → building → corridor → flat under `parent` (a street)."""
    community = place_create(code=f"{prefix}", name=f"{name}社区", kind=PlaceKind.COMMUNITY, parent=parent,
                             latitude=Decimal("30.30"), longitude=Decimal("120.15"))
    estate = place_create(code=f"{prefix}-E1", name=f"{name}小区", kind=PlaceKind.ESTATE, parent=community)
    building = place_create(code=f"{prefix}-E1-B1", name="1幢", kind=PlaceKind.BUILDING, parent=estate)
    corridor = place_create(code=f"{prefix}-E1-B1-U1", name="1单元", kind=PlaceKind.CORRIDOR, parent=building)
    flat = place_create(code=f"{prefix}-E1-B1-U1-101", name="101室", kind=PlaceKind.FLAT, parent=corridor)
    return community, estate, building, corridor, flat


@pytest.fixture
def tree(db) -> Tree:
    district = place_create(code="330105", name="拱墅区", kind=PlaceKind.DISTRICT)
    street = place_create(code="330105001", name="武林街道", kind=PlaceKind.STREET, parent=district)
    other_street = place_create(code="330105002", name="天水街道", kind=PlaceKind.STREET, parent=district)
    community, estate, building, corridor, flat = _chain(street, "330105001001", "竹竿巷")
    neighbour, neighbour_estate, _b, _c, neighbour_flat = _chain(street, "330105001002", "龙游")
    far_community, *_rest = _chain(other_street, "330105002001", "武林路")
    owner = person_create(name="张三", id_number=make_id_number(seq=11), phone="13800000001")
    neighbour_owner = person_create(name="李四", id_number=make_id_number(seq=12), phone="13800000002")
    household_create(flat=flat, head=owner)
    household_create(flat=neighbour_flat, head=neighbour_owner)
    ownership_create(flat=flat, person=owner, exclusive_area_m2=Decimal("75.50"))
    ownership_create(flat=neighbour_flat, person=neighbour_owner, exclusive_area_m2=Decimal("60.00"))
    developer = organisation_create(name="开发商", kind=OrganisationKind.DEVELOPER, place=district)
    return Tree(district, street, other_street, community, neighbour, far_community, estate, neighbour_estate,
                building, corridor, flat, neighbour_flat, owner, neighbour_owner, developer)


ROLE_SCOPE = {
    RoleKind.DISTRICT_ADMIN: "district",
    RoleKind.STREET_STAFF: "street",
    RoleKind.COMMUNITY_WORKER: "community",
    RoleKind.GRID_WORKER: "community",
    RoleKind.BUILDING_COMMISSIONER: "building",
    RoleKind.RENEWAL_WORKER: "estate",
    RoleKind.PROPERTY_MANAGER: "estate",
    RoleKind.OWNERS_COMMITTEE_MEMBER: "estate",
    RoleKind.RESIDENT: "estate",
    RoleKind.ENTERPRISE_CONTACT: "building",
}


@pytest.fixture
def make_user(db):
    """make_user(role, scope_place) → a user holding that role there (password 'pw-test-123')."""
    counter = {"n": 0}

    def factory(role: str | None = None, scope: Place | None = None, *, person: Person | None = None,
                is_staff: bool = False) -> User:
        counter["n"] += 1
        user = User.objects.create_user(username=f"user{counter['n']}", password="pw-test-123", person=person,
                                        is_staff=is_staff)
        if role:
            role_assign(user=user, role=role, scope=scope, valid_from=VALID_FROM)
        return user

    return factory


@pytest.fixture
def role_users(tree, make_user) -> dict[str, User]:
    """One user per role kind, each scoped as ROLE_SCOPE says (in the first community's chain)."""
    return {role: make_user(role, getattr(tree, attr)) for role, attr in ROLE_SCOPE.items()}


# What a refused call must leave alone: every row of every CommonGround table (audit history included).
# Sessions, login records and a user's last login are the test client's logging in, not the refused call's.
LOGIN_BOOKKEEPING = {"last_login"}


def database_state() -> dict[str, tuple[int, str]]:
    """Each CommonGround table's row count and a digest of its rows, in primary-key order."""
    state = {}
    for model in apps.get_models(include_auto_created=True):
        if not model.__module__.startswith("commonground."):
            continue
        columns = [f.attname for f in model._meta.concrete_fields if f.attname not in LOGIN_BOOKKEEPING]
        rows = model._base_manager.order_by("pk").values_list(*columns)
        digest = hashlib.sha256(repr(list(rows)).encode()).hexdigest()
        state[model._meta.label] = (len(rows), digest)
    return state


@contextmanager
def _unchanged(*but: type) -> Iterator[None]:
    before = database_state()
    yield
    after = database_state()
    allowed = {model._meta.label for model in but}
    changed = sorted(label for label in before if before[label] != after[label] and label not in allowed)
    assert not changed, f"written by a call that should have written nothing: {', '.join(changed)}"


@pytest.fixture
def nothing_written(db):
    """`with nothing_written(): refused_call()` fails if the block changed any row of any CommonGround table;
    `nothing_written(ImportJob)` allows the record of the attempt itself."""
    return _unchanged
