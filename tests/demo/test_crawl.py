"""The demo crawled as every demo account and an anonymous visitor (see crawl.py): no 5xx, no traceback, no
name of a place outside the user's reach, and in Chinese no English text that the catalogue translates.

What the crawl does to the data (a notification opened, say) is rolled back after each user.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.db import transaction
from django.test import Client

from commonground.cases.models import Category
from commonground.core.models import Place, PlaceKind, RoleAssignment, User
from commonground.core.models.places import ancestor_ids
from commonground.deliberation.rules import HOME_ROLES
from commonground.demo.accounts import USERNAMES
from tests import summary
from tests.browser import ARTIFACTS

from .crawl import Crawl, Visit, squeeze

CATALOGUE = Path(__file__).resolve().parents[2] / "commonground/locale/zh_Hans/LC_MESSAGES/django.po"
# Places whose names a user may meet only inside their reach (buildings and flats are named alike everywhere).
NAMED_KINDS = (PlaceKind.STREET, PlaceKind.COMMUNITY, PlaceKind.BUSINESS_COMMUNITY, PlaceKind.ESTATE)
# Page kinds every crawl together must reach: the detail pages of each app and every export.
MUST_REACH = {
    "core:place-list", "core:place-detail", "core:person-detail", "core:household-detail", "core:roster-index",
    "core:roster-download", "core:report", "cases:queue", "cases:detail", "cases:dashboard", "cases:map",
    "cases:export-csv", "cases:export-xlsx", "cases:export-geojson", "cases:mine", "cases:report",
    "deliberation:my-votes", "deliberation:vote", "deliberation:vote-result", "deliberation:vote-record",
    "deliberation:votes", "deliberation:vote-manage", "deliberation:notices", "deliberation:notice",
    "deliberation:notice-pdf", "deliberation:meetings", "deliberation:meeting", "deliberation:meeting-ics",
    "deliberation:representatives", "admin:index",
}
# Pages published for everyone (the public notice board): any place may be named there, whoever looks.
# The micro-governance funds' public pages too; and the district's noticeboards (programs/rules.py): a published
# activity or job posting names its place, anywhere, and so does a couriers' home (its council and zones included)
# for every signed-in user. Their staff pages (manage, sign-up lists, desk, import) stay scoped and are checked.
# The district's published policy packages (business/rules.py) are a noticeboard too: a policy may name a place;
# a policy's page (its eligible firms) stays scoped and is checked.
PUBLIC_PAGES = re.compile(r"^/gongshi/|^/coordination/public/|^/programs/couriers/homes/"
                          r"|^/programs/(activities|postings)/((\d+|fairs/\d+)/)?(\?.*)?$|^/business/policies/(\?.*)?$")
VISITS: dict[str, list[Visit]] = {}


def catalogue_msgids() -> set[str]:
    """English source strings the catalogue translates (so they must never show on a Chinese page)."""
    text = CATALOGUE.read_text()
    msgids = set()
    for block in text.split("\n\n"):
        if "msgid_plural" in block or "\n#, fuzzy" in block:
            continue
        match = re.search(r'^msgid ((?:".*"\n?)+)msgstr ((?:".*"\n?)+)', block, re.M)
        if not match:
            continue
        msgid, msgstr = (squeeze("".join(re.findall(r'"(.*)"', part)).replace('\\"', '"')) for part in match.groups())
        if msgid and msgstr and msgid != msgstr and re.search(r"[A-Za-z]{3}", msgid) and "%" not in msgid:
            msgids.add(msgid)
    return msgids


def reach_of(user: User | None) -> tuple[list[str], list[str]]:
    """(names the user may meet, names they must not): places of the named kinds inside or above their roles'
    places (and, for a resident, under their community) are theirs; the rest are another scope's. Whole-district
    users and visitors have nothing forbidden."""
    if user is None or user.is_superuser:
        return [], []
    roles = list(RoleAssignment.objects.active().filter(user=user).select_related("scope"))
    scopes = [role.scope for role in roles]
    if any(scope.parent_id is None for scope in scopes):
        return [], []
    near = {pk for scope in scopes for pk in ancestor_ids(scope.path)}
    # A resident reads the boards of their community (its meetings and notices speak of its estates), so the
    # places under the community of a home role are theirs to meet; another community's stay forbidden.
    homes = [role.scope for role in roles if role.role in HOME_ROLES]
    scopes += list(Place.objects.filter(pk__in={pk for home in homes for pk in ancestor_ids(home.path)},
                                        kind__in=(PlaceKind.COMMUNITY, PlaceKind.BUSINESS_COMMUNITY)))
    allowed, forbidden = [], []
    for place in Place.objects.filter(kind__in=NAMED_KINDS).only("pk", "name", "path"):
        mine = place.pk in near or any(place.path.startswith(scope.path) for scope in scopes)
        (allowed if mine else forbidden).append(place.name)
    return allowed, forbidden


def checker(allowed: list[str], forbidden: list[str], msgids: set[str]):
    allowed_re = re.compile("|".join(map(re.escape, sorted(allowed, key=len, reverse=True)))) if allowed else None
    forbidden_re = re.compile("|".join(map(re.escape, sorted(forbidden, key=len, reverse=True)))) if forbidden \
        else None

    def check(url: str, texts: list[str]) -> list[str]:
        problems = [f"untranslated: {text!r}" for text in {squeeze(t) for t in texts} if text in msgids]
        if forbidden_re and not PUBLIC_PAGES.match(url):
            joined = " ".join(texts)
            if allowed_re:
                joined = allowed_re.sub(" ", joined)
            problems += [f"another scope's place: {name}" for name in sorted(set(forbidden_re.findall(joined)))]
        return problems

    return check


@pytest.fixture(scope="module")
def msgids(demo_built, django_db_blocker) -> set[str]:
    """The catalogue's msgids, less the demo's data that happen to be English words (user names such as
    "community", category codes such as "meeting"): those are shown as stored, not translated."""
    with django_db_blocker.unblock():
        data = {*USERNAMES, *Category.objects.values_list("code", flat=True)}
    return catalogue_msgids() - data


@pytest.mark.slow
def test_crawl_checks__another_scope_and_untranslated__reported(demo_built, db, msgids):
    """The crawl's oracle can fail: a page of the community worker naming another community, or English text."""
    allowed, forbidden = reach_of(User.objects.get(username="community"))
    check = checker(allowed, forbidden, msgids)
    other = next(name for name in forbidden if name.endswith("社区"))

    assert check("/x/", ["河东社区的事项", "拱墅区"]) == []
    assert check("/x/", [f"{other}的事项"]) == [f"another scope's place: {other}"]
    assert check("/x/", ["Log out"]) == ["untranslated: 'Log out'"]
    assert reach_of(User.objects.get(username="district")) == ([], [])


@pytest.mark.slow
@pytest.mark.parametrize("username", [*USERNAMES, None], ids=[*USERNAMES, "anonymous"])
def test_crawl__as_each_demo_user__no_error_no_other_scope_nothing_untranslated(demo_built, db, msgids, username):
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    user = User.objects.get(username=username) if username else None
    if user is not None:
        client.force_login(user)
    with transaction.atomic():
        visits = Crawl(client, checker(*reach_of(user), msgids)).run("/")
        transaction.set_rollback(True)
    VISITS[username or "anonymous"] = visits

    kinds = {visit.kind.split("?")[0] for visit in visits}
    summary.note("crawl", f"crawl as {username or 'anonymous'}: {len(visits)} pages, {len(kinds)} page kinds, "
                          f"{sum(v.ms for v in visits) / 1000:.1f} s")
    problems = [f"{visit.url} [{visit.status}]: {problem}" for visit in visits for problem in visit.problems]
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"crawl-{username or 'anonymous'}.txt").write_text("\n".join(
        [*problems, "", *(f"{v.status} {v.ms:6.0f} ms {v.kind} {v.url}" for v in visits)]))
    assert problems == []
    assert len(visits) > (1 if username else 0)


@pytest.mark.slow
def test_crawl__together__reached_every_page_kind_and_its_slowest_pages():
    if len(VISITS) < len(USERNAMES) + 1:
        pytest.skip("runs after the crawl of every user")
    reached = {visit.kind.split("?")[0] for visits in VISITS.values() for visit in visits}
    slowest = sorted((visit for visits in VISITS.values() for visit in visits), key=lambda v: -v.ms)[:5]
    summary.note("crawl", "crawl pages per user: " + ", ".join(f"{name} {len(v)}" for name, v in VISITS.items()))
    summary.note("crawl", "crawl slowest pages: " + "; ".join(f"{v.url} {v.ms:.0f} ms" for v in slowest))
    assert MUST_REACH - reached == set()
