"""The nets' world: the test district with a case, an open vote, a draft election with a candidate and a
preparatory group, a held meeting with a resolution and the notices these post, built by the suite's own
fixtures and services; the logins the fuzzers act as; and the row keys they aim at besides random ones.

Fuzzing is bounded: CG_FUZZ_EXAMPLES generated examples per operation (default 12) besides the fixed edge
cases, derandomized, so CI runs the same requests every time. Each fuzzer adds a line to the test summary
(operations, requests, time).
"""

from __future__ import annotations

import datetime
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, Phase
from hypothesis import settings as hypothesis_settings

from commonground.cases.services.intake import case_report
from commonground.cases.services.workflow import case_accept
from commonground.core.models import OrganisationKind, RoleKind, User
from commonground.core.services.organisations import organisation_create
from commonground.deliberation.services.elections import candidate_register, preparatory_member_add
from commonground.deliberation.services.meetings import meeting_create, resolution_add
from tests import summary
from tests.cases.conftest import categories, located  # noqa: F401  (fixtures the world is built with)
from tests.deliberation.conftest import clerk, open_vote, register  # noqa: F401

EXAMPLES = int(os.environ.get("CG_FUZZ_EXAMPLES", "12"))
CSRF_TOKEN = "fuzzfuzzfuzzfuzzfuzzfuzzfuzzfuzz"  # 32 characters: Django accepts it as cookie and header


def fuzz_settings(**overrides: Any) -> hypothesis_settings:
    """Bounded and deterministic; no example database, so a run never depends on an earlier one."""
    return hypothesis_settings(**{
        "max_examples": EXAMPLES, "derandomize": True, "database": None, "deadline": None,
        "suppress_health_check": list(HealthCheck), "phases": [Phase.explicit, Phase.generate, Phase.shrink],
        "report_multiple_bugs": False, **overrides})


@dataclass
class World:
    users: dict[str, User | None]
    known: dict[str, list[Any]]  # path parameter → keys of rows that exist
    plausible: dict[str, Any]  # field name → a value a real client would send (any endpoint, any location)


@dataclass
class Tally:
    """What one fuzzer did, for the summary line and the assertion message."""

    name: str
    operations: list[str] = field(default_factory=list)
    requests: int = 0
    failures: dict[str, list[str]] = field(default_factory=dict)
    started: float = field(default_factory=time.monotonic)

    def fail(self, operation: str, failure: BaseException) -> None:
        """Keep a few failures of each kind (what comes before " for <request>") per operation."""
        found = self.failures.setdefault(operation, [])
        text = str(failure)
        kind = text.split(" for ", 1)[0]
        if sum(1 for seen in found if seen.split(" for ", 1)[0] == kind) < 2 and len(found) < 12:
            found.append(text)

    def report(self) -> str:
        return "\n\n".join(f"{operation}:\n" + "\n".join(found) for operation, found in self.failures.items())

    def finish(self) -> str:
        line = (f"{self.name}: {len(self.operations)} operations, {self.requests} requests, "
                f"{len(self.failures)} failing, {time.monotonic() - self.started:.1f}s")
        summary.note("fuzzers", line)
        return line


def session_cookies(user: User | None) -> dict[str, str]:
    """A logged-in session (or none) and a CSRF cookie whose token the fuzzers send as X-CSRFToken."""
    cookies = {"csrftoken": CSRF_TOKEN}
    if user is not None:
        client = Client()
        client.force_login(user)
        cookies["sessionid"] = client.cookies["sessionid"].value
    return cookies


@pytest.fixture(autouse=True)
def _connection_kept():
    """schemathesis calls the WSGI app itself, not through Django's test client, so, as that client does, a
    request must not close the database connection at its end (on PostgreSQL that ends the test's transaction)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def world(tree, located, categories, register, clerk, open_vote, make_user) -> World:  # noqa: F811
    resident = make_user(RoleKind.RESIDENT, tree.estate, person=register.owners[0])
    district = make_user(RoleKind.DISTRICT_ADMIN, tree.district)
    case = case_report(actor=resident, category=categories["rubbish"], description="楼道口垃圾三天没人清理",
                       place=tree.building)
    accepted = case_report(actor=resident, category=categories["rubbish"], description="单元门口堆放建筑垃圾",
                           place=tree.building)
    case_accept(case=accepted, actor=clerk)
    vote = open_vote()
    window = {"opens_at": timezone.now() + datetime.timedelta(days=20),
              "closes_at": timezone.now() + datetime.timedelta(days=27)}
    election = open_vote(kind="election", seats=3, term_years=5, announce=False, **window)
    member = preparatory_member_add(actor=clerk, vote=election, name="街道 陈", role="leader")
    candidate = candidate_register(actor=clerk, vote=election, person=register.owners[3], statement="愿为大家服务")
    committee = organisation_create(name="竹竿巷社区居委会", kind=OrganisationKind.RESIDENTS_COMMITTEE,
                                    place=tree.community)
    starts = timezone.now() - datetime.timedelta(hours=1)
    meeting = meeting_create(actor=clerk, place=tree.community, convener=committee, kind="council", title="红茶议事会",
                             starts_at=starts, ends_at=starts + datetime.timedelta(hours=2), venue="社区会议室",
                             agenda=["电梯加装"], invitees=[register.owners[0]])
    resolution = resolution_add(actor=clerk, meeting=meeting, text="先做楼道照明")
    soon = timezone.localtime() + datetime.timedelta(days=2)
    plausible = {
        "category": categories["rubbish"].code, "description": "楼道口垃圾三天没人清理", "place": tree.community.code,
        "estate": tree.estate.code, "title": "更换电梯", "venue": "社区会议室", "text": "先做楼道照明", "note": "已核实",
        "reason": "需要上级协调", "statement": "愿为大家服务", "matter": "5", "choice": "agree", "role": "owner",
        "convener": committee.pk, "person": register.owners[4].pk, "rating": 5,
        "starts_at": soon.isoformat(), "ends_at": (soon + datetime.timedelta(hours=2)).isoformat(),
        "opens_at": (soon + datetime.timedelta(days=18)).isoformat(),
        "closes_at": (soon + datetime.timedelta(days=25)).isoformat(), "record_date": soon.date().isoformat(),
    }
    return World(
        users={"resident": resident, "worker": clerk, "district": district, "anonymous": None},
        known={"vote_id": [vote.pk, election.pk], "candidate_id": [candidate.pk], "member_id": [member.pk],
               "notice_id": list(vote.notices.values_list("pk", flat=True)), "meeting_id": [meeting.pk],
               "resolution_id": [resolution.pk], "number": [case.number, accepted.number],
               "code": [tree.estate.code, tree.building.code]},
        plausible=plausible,
    )


def each(values: dict[str, list[Any]]) -> Iterator[dict[str, Any]]:
    """One dict per key row, for every known value of each name (no cross product: one name at a time)."""
    for name, options in values.items():
        for value in options:
            yield {name: value}
