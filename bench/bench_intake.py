"""Intake throughput over HTTP: sequential POST /open311/v2/requests.json and POST /api/cases against
a no-op view (GET /healthz) of the same gunicorn server, on loopback, against the current database.

The benchmark starts gunicorn (2 workers) on 127.0.0.1, makes a temporary API client, a session and,
when the database has none that fits, a temporary category; it removes them and every case it
created when done. Rounds are interleaved (no-op, Open311, API) and bounded in requests and time;
the figure is the median of the rounds' requests per second.
"""

from __future__ import annotations

import http.client
import itertools
import json
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from importlib import import_module

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.db import connection, transaction

from commonground.cases.geo import PIN_KINDS
from commonground.cases.models import ApiClient, Case, CaseEvent, Category, ReporterKind
from commonground.cases.selectors import categories_open_to
from commonground.core.models import Place, RoleAssignment, RoleKind, User

HOST = "127.0.0.1"
PORT = int(os.environ.get("CG_BENCH_PORT", "8765"))
WORKERS = 2
ROUNDS = int(os.environ.get("CG_BENCH_ROUNDS", "5"))
PER_ROUND = int(os.environ.get("CG_BENCH_REQUESTS", "40"))
ROUND_SECONDS = 30.0  # a round stops early after this long
START_SECONDS = 30.0
PINS = 200  # spread reports over this many places so few of them are near-duplicates of each other


@dataclass
class Fixture:
    """What the benchmark borrowed or made, so it can put the database back."""

    user: User
    client: ApiClient
    session_key: str
    category: Category
    pins: list[tuple[str, str]]
    cases_before: int = 0
    made_user: bool = False
    made_category: bool = False
    numbers: list[str] = field(default_factory=list)


def _free_port() -> int:
    with socket.socket() as probe:
        try:
            probe.bind((HOST, PORT))
            return PORT
        except OSError:
            probe.bind((HOST, 0))
            return probe.getsockname()[1]


def _category() -> tuple[Category, bool]:
    """An active category open to the public and to staff, asking nothing required; else a temporary one."""
    staff = {c.pk for c in categories_open_to(ReporterKind.STAFF)}
    for category in categories_open_to(ReporterKind.PUBLIC):
        if category.pk in staff and not any(q.required for q in category.questions.all()):
            return category, False
    return Category.objects.create(code=f"bench-{secrets.token_hex(4)}", name="基准测试", sla_hours=8), True


def _staff_user() -> tuple[User, bool]:
    """A demo community worker, or a temporary superuser without a password."""
    role = (RoleAssignment.objects.active().filter(role=RoleKind.COMMUNITY_WORKER, user__is_active=True)
            .select_related("user").order_by("pk").first())
    if role is not None:
        return role.user, False
    user = User.objects.create(username=f"bench-{secrets.token_hex(4)}", is_superuser=True)
    user.set_unusable_password()
    user.save()
    return user, True


def _pins(user: User) -> list[tuple[str, str]]:
    """Centroids of places the user may act on (their scope), else anywhere in the district."""
    places = Place.objects.of_kind(*PIN_KINDS).filter(latitude__isnull=False, longitude__isnull=False)
    role = RoleAssignment.objects.active().filter(user=user).select_related("scope").first()
    if role is not None and places.within(role.scope).exists():
        places = places.within(role.scope)
    return [(f"{lat}", f"{lng}") for lat, lng in places.order_by("path").values_list("latitude", "longitude")[:PINS]]


def _session(user: User) -> str:
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key


def _prepare() -> Fixture | None:
    if not Place.objects.exists():
        print("bench_intake: no district here; run `commonground demo` first")
        return None
    user, made_user = _staff_user()
    pins = _pins(user)
    if not pins:
        print("bench_intake: no places with coordinates to drop pins on")
        return None
    category, made_category = _category()
    client = ApiClient.objects.create(name="bench_intake", api_key=secrets.token_urlsafe(24))
    return Fixture(user=user, client=client, session_key=_session(user), category=category, pins=pins,
                   cases_before=Case.objects.count(), made_user=made_user, made_category=made_category)


@transaction.atomic
def _clean(fixture: Fixture) -> None:
    """Remove what the benchmark made: its cases (with their log lines), client, session, category, user."""
    cases = Case.objects.filter(number__in=fixture.numbers)
    CaseEvent.objects.filter(case__in=cases).delete()
    cases.delete()
    fixture.client.delete()
    import_module(settings.SESSION_ENGINE).SessionStore(session_key=fixture.session_key).delete()
    if fixture.made_category:
        fixture.category.delete()
    if fixture.made_user:
        fixture.user.delete()


class Server:
    """gunicorn on loopback, stopped on exit."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.log = tempfile.NamedTemporaryFile(prefix="bench_intake_", suffix=".log", delete=False)  # noqa: SIM115
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "commonground.config.settings", "LOG_LEVEL": "WARNING"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "commonground.config.wsgi:application", "--bind", f"{HOST}:{port}",
             "--workers", str(WORKERS), "--log-level", "warning"],
            cwd=settings.BASE_DIR, env=env, stdout=self.log, stderr=subprocess.STDOUT,
        )

    def wait_ready(self) -> bool:
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline and self.process.poll() is None:
            try:
                conn = http.client.HTTPConnection(HOST, self.port, timeout=2)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    return True
            except OSError:
                time.sleep(0.2)
        return False

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()

    def tail(self) -> str:
        with open(self.log.name, encoding="utf-8", errors="replace") as log:
            return "".join(log.readlines()[-20:])


Request = Callable[[http.client.HTTPConnection], None]


def _requests(fixture: Fixture) -> dict[str, Request]:
    pins: Iterator[tuple[str, str]] = itertools.cycle(fixture.pins)
    counter = itertools.count(1)
    csrf = secrets.token_hex(16)  # a 32-character secret: cookie and header carry the same value
    cookie = f"{settings.SESSION_COOKIE_NAME}={fixture.session_key}; {settings.CSRF_COOKIE_NAME}={csrf}"

    def fetch(conn: http.client.HTTPConnection, method: str, path: str, body: bytes | None,
              headers: dict[str, str], expect: set[int]) -> bytes:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        content = response.read()
        if response.status not in expect:
            raise RuntimeError(f"{method} {path} answered {response.status}: {content[:300]!r}")
        return content

    def noop(conn: http.client.HTTPConnection) -> None:
        fetch(conn, "GET", "/healthz", None, {}, {200})

    def open311(conn: http.client.HTTPConnection) -> None:
        lat, lng = next(pins)
        body = urllib.parse.urlencode({
            "api_key": fixture.client.api_key, "service_code": fixture.category.code, "lat": lat, "long": lng,
            "description": f"基准测试 Open311 上报 {next(counter)}",
        }).encode()
        content = fetch(conn, "POST", "/open311/v2/requests.json", body,
                        {"Content-Type": "application/x-www-form-urlencoded"}, {200})
        fixture.numbers.append(json.loads(content)[0]["service_request_id"])

    def api(conn: http.client.HTTPConnection) -> None:
        lat, lng = next(pins)
        body = json.dumps({"category": fixture.category.code, "latitude": lat, "longitude": lng,
                           "description": f"基准测试 API 上报 {next(counter)}"}).encode()
        content = fetch(conn, "POST", "/api/cases", body, {"Content-Type": "application/json", "Cookie": cookie,
                                                          "X-CSRFToken": csrf}, {201})
        fixture.numbers.append(json.loads(content)["number"])

    return {"GET /healthz (no-op floor)": noop, "POST /open311/v2/requests.json": open311, "POST /api/cases": api}


def _round(port: int, request: Request) -> float:
    """Up to PER_ROUND sequential requests (at most ROUND_SECONDS); requests per second."""
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    done, start = 0, time.perf_counter()
    try:
        while done < PER_ROUND and time.perf_counter() - start < ROUND_SECONDS:
            request(conn)
            done += 1
    finally:
        conn.close()
    return done / (time.perf_counter() - start)


def run() -> None:
    fixture = _prepare()
    if fixture is None:
        return
    port = _free_port()
    server = Server(port)
    try:
        if not server.wait_ready():
            print(f"bench_intake: gunicorn did not start on {HOST}:{port}\n{server.tail()}")
            return
        requests = _requests(fixture)
        for request in requests.values():  # warm up both workers' imports, caches and connections
            _round(port, request)
        rates: dict[str, list[float]] = {name: [] for name in requests}
        for _ in range(ROUNDS):
            for name, request in requests.items():
                rates[name].append(_round(port, request))
        _print(rates, port, fixture)
    except RuntimeError as error:
        print(f"bench_intake: {error}\n{server.tail()}")
    finally:
        server.stop()
        _clean(fixture)
        os.unlink(server.log.name)


def _print(rates: dict[str, list[float]], port: int, fixture: Fixture) -> None:
    medians = {name: statistics.median(values) for name, values in rates.items()}
    floor_name = next(iter(medians))
    floor = medians[floor_name]
    print(f"\nIntake throughput: sequential requests on {HOST}:{port}, gunicorn {WORKERS} sync workers, "
          f"{connection.vendor}, {Place.objects.count()} places, {fixture.cases_before} cases; "
          f"median of {ROUNDS} rounds of {PER_ROUND} (category {fixture.category.code}, {len(fixture.pins)} pins)")
    for name, median in medians.items():
        spread = f"{min(rates[name]):8.1f} – {max(rates[name]):8.1f}"
        print(f"  {name:<34} {median:8.1f} req/s  ({spread})  {1000 / median:7.2f} ms/req   "
              f"x{median / floor:5.3f} of no-op")
    print(f"  (rows made for the run were removed: {len(fixture.numbers)} cases, the API client and session)")
