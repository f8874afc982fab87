"""Who voted how: only those who may `ballot.inspect` a vote (the owners' committee of its estate) see its ballots
by owner, on a page and in the API; everyone else gets 403/404, and no page, record, notice or API answer names an
owner next to a ballot (issue 8 item 4)."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from commonground.core.models import RoleKind
from commonground.core.services.accounts import role_assign
from commonground.deliberation.models import Ballot, Vote
from commonground.deliberation.services.ballots import ballot_cast
from tests.conftest import VALID_FROM

CLOSED = ["closed_decision", "closed_election"]
# The register's holders other than owners[0] (the `owner_user` login, whose own name its pages may show).
OTHER_OWNERS = ("张三", "王二", "王三", "赵四", "钱五", "孙六", "拱墅置业")


def as_user(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


ROW = re.compile(r'<tr data-receipt="([A-Z0-9]+)">(.*?)</tr>', re.S)
CELL = re.compile(r"<td[^>]*>(.*?)</td>", re.S)
TAG = re.compile(r"<[^>]+>")


def table_rows(html: str) -> dict[str, list[str]]:
    return {code: [" ".join(TAG.sub(" ", cell).split()) for cell in CELL.findall(row)]
            for code, row in ROW.findall(html)}


@pytest.fixture
def committee(make_user, tree):
    return make_user(RoleKind.OWNERS_COMMITTEE_MEMBER, tree.estate)


def expected_rows(vote: Vote) -> dict[str, list[str]]:
    names = dict(vote.candidates.values_list("pk", "person__name"))
    rows = {}
    for b in Ballot.objects.filter(vote=vote).select_related("elector"):
        channel = str(b.get_channel_display()) + (f" ({b.proxy_name})" if b.proxy_name else "") + \
            (f" (version {b.version})" if b.version > 1 else "")
        marks = "、".join(names[pk] for pk in b.candidates) or "no candidate marked" if vote.is_election \
            else str(b.get_choice_display())
        rows[b.receipt_code] = [b.elector.label, "、".join(b.elector.flats), channel, marks, b.receipt_code]
    return rows


@pytest.mark.parametrize("fixture", CLOSED)
def test_vote_ballots__committee_member__owner_flats_channel_and_choice_of_every_ballot(request, fixture, committee):
    vote = request.getfixturevalue(fixture)
    response = as_user(committee).get(reverse("deliberation:vote-ballots", args=[vote.pk]))
    assert response.status_code == 200
    assert table_rows(response.content.decode()) == expected_rows(vote)


def test_vote_ballots__committee_member_searches_owner__only_that_owner(closed_decision, committee, register):
    response = as_user(committee).get(reverse("deliberation:vote-ballots", args=[closed_decision.pk]), {"q": "王三"})
    (row,) = table_rows(response.content.decode()).values()
    assert row[:4] == ["王二、王三", "9幢301室", "online", "against"]


def test_vote_ballots__committee_member__linked_from_manage_and_result_pages(closed_decision, committee, clerk):
    url = reverse("deliberation:vote-ballots", args=[closed_decision.pk])
    for page in ("vote-manage", "vote-result"):
        assert url in as_user(committee).get(reverse(f"deliberation:{page}", args=[closed_decision.pk])).content.decode()
        assert url not in as_user(clerk).get(reverse(f"deliberation:{page}", args=[closed_decision.pk])).content.decode()


def test_vote_ballots__vote_still_open__404_for_committee(open_vote, committee, logins):
    vote = open_vote()
    ballot_cast(vote=vote, actor=logins["o3"], choice="agree")
    client = as_user(committee)
    assert client.get(reverse("deliberation:vote-ballots", args=[vote.pk])).status_code == 404
    assert client.get(f"/api/votes/{vote.pk}/ballots").status_code == 409


def test_vote_ballots__committee_of_another_estate__404_no_names(closed_decision, make_user, tree):
    other = make_user(RoleKind.OWNERS_COMMITTEE_MEMBER, tree.neighbour_estate)
    assert as_user(other).get(reverse("deliberation:vote-ballots", args=[closed_decision.pk])).status_code == 404
    assert as_user(other).get(f"/api/votes/{closed_decision.pk}/ballots").status_code == 404


@pytest.mark.parametrize("fixture", CLOSED)
def test_ballot_inspection_api__committee_member__every_ballot_with_its_owner(request, fixture, committee):
    vote = request.getfixturevalue(fixture)
    body = as_user(committee).get(f"/api/votes/{vote.pk}/ballots").json()
    assert body["count"] == 7
    assert sorted(body["items"], key=lambda row: row["receipt_code"]) == [
        {"receipt_code": b.receipt_code, "owner": b.elector.label, "flats": b.elector.flats, "channel": b.channel,
         "channel_label": str(b.get_channel_display()), "proxy_name": b.proxy_name, "choice": b.choice,
         "candidates": b.candidates, "version": b.version}
        for b in Ballot.objects.filter(vote=vote).select_related("elector").order_by("receipt_code")]


def test_ballot_inspection_api__page_past_2_63__422_and_409_documented(closed_decision, committee, client):
    response = as_user(committee).get(f"/api/votes/{closed_decision.pk}/ballots", {"page": "200000000000000000"})
    assert (response.status_code, list(response.json()["detail"])) == (422, ["page"])
    responses = client.get("/api/openapi.json").json()["paths"]["/api/votes/{vote_id}/ballots"]["get"]["responses"]
    assert responses["409"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ErrorOut"}


# Everyone else: the owner on the register, staff who see the vote (403), those who do not (404).
REFUSED = [
    ("owner", 403), (RoleKind.PROPERTY_MANAGER, 404), (RoleKind.GRID_WORKER, 403),
    ("neighbour_worker", 404), (RoleKind.COMMUNITY_WORKER, 403), (RoleKind.STREET_STAFF, 403),
    (RoleKind.DISTRICT_ADMIN, 403), (RoleKind.RENEWAL_WORKER, 403),
]


def viewer(role: str, make_user, tree, owner_user):
    if role == "owner":
        return owner_user
    if role == "neighbour_worker":
        return make_user(RoleKind.COMMUNITY_WORKER, tree.neighbour)
    scope = {RoleKind.PROPERTY_MANAGER: tree.estate, RoleKind.RENEWAL_WORKER: tree.estate,
             RoleKind.STREET_STAFF: tree.street, RoleKind.DISTRICT_ADMIN: tree.district}.get(role, tree.community)
    return make_user(role, scope)


def no_names(content: bytes) -> list[str]:
    text = content.decode()
    return [name for name in OTHER_OWNERS if name in text]


@pytest.mark.parametrize(("role", "status"), REFUSED)
def test_vote_ballots__any_other_role__refused_without_names(closed_decision, make_user, tree, owner_user, role,
                                                           status):
    client = as_user(viewer(role, make_user, tree, owner_user))
    page = client.get(reverse("deliberation:vote-ballots", args=[closed_decision.pk]))
    api = client.get(f"/api/votes/{closed_decision.pk}/ballots")
    assert (page.status_code, api.status_code) == (status, status)
    assert no_names(page.content) == no_names(api.content) == []


def test_vote_ballots__anonymous__login_page_and_401(closed_decision):
    page = Client().get(reverse("deliberation:vote-ballots", args=[closed_decision.pk]))
    assert page.status_code == 302 and page["Location"].startswith(reverse("login"))
    assert Client().get(f"/api/votes/{closed_decision.pk}/ballots").status_code == 401


@pytest.mark.parametrize("role", ["owner", RoleKind.GRID_WORKER, RoleKind.COMMUNITY_WORKER, RoleKind.STREET_STAFF,
                                  RoleKind.DISTRICT_ADMIN, RoleKind.OWNERS_COMMITTEE_MEMBER])
def test_vote_pages__closed_vote__no_owner_name_outside_the_inspection_page(closed_decision, make_user, tree,
                                                                         owner_user, role):
    """The vote, its result (and a receipt search), the record, the manage page with its turnout, the notices and
    the API's result, record and turnout show who took part and how, never by name."""
    user = viewer(role, make_user, tree, owner_user) if role != RoleKind.OWNERS_COMMITTEE_MEMBER else \
        make_user(role, tree.estate)
    vote, client = closed_decision, as_user(user)
    receipt = Ballot.objects.filter(vote=vote).order_by("receipt_code").values_list("receipt_code", flat=True)[0]
    urls = [reverse("deliberation:vote", args=[vote.pk]), reverse("deliberation:vote-result", args=[vote.pk]),
            reverse("deliberation:vote-result", args=[vote.pk]) + f"?receipt={receipt}",
            reverse("deliberation:vote-record", args=[vote.pk]), reverse("deliberation:vote-manage", args=[vote.pk]),
            reverse("deliberation:notices"), f"/api/votes/{vote.pk}/result?include_record=true",
            f"/api/votes/{vote.pk}/turnout", f"/api/votes/{vote.pk}", "/api/notices"]
    urls += [reverse("deliberation:notice", args=[pk]) for pk in vote.notices.values_list("pk", flat=True)]
    seen = {url: client.get(url) for url in urls}
    leaks = {url: no_names(response.content) for url, response in seen.items() if response.status_code == 200}
    assert leaks == {url: [] for url in leaks}
    assert seen[urls[1]].status_code == 200  # every one of these roles sees the result
    assert all(row != [name] for notice in vote.notices.all() for row in notice.table for name in OTHER_OWNERS)


def test_role_assign__street_staff_appoints_committee_member__allowed_without_inspecting_themselves(
        closed_decision, make_user, tree):
    """Appointing is not inspecting: the street office grants the committee role although it may not inspect."""
    street = make_user(RoleKind.STREET_STAFF, tree.street)
    member = make_user()
    role_assign(user=member, role=RoleKind.OWNERS_COMMITTEE_MEMBER, scope=tree.estate, valid_from=VALID_FROM,
                actor=street)
    assert as_user(member).get(f"/api/votes/{closed_decision.pk}/ballots").status_code == 200
    assert as_user(street).get(f"/api/votes/{closed_decision.pk}/ballots").status_code == 403
