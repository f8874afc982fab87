from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from commonground.core.models import PlaceKind, RoleKind, User
from commonground.core.services.people import household_create, person_create
from commonground.core.services.places import place_create


@pytest.fixture(autouse=True)
def _english(client):
    """Capability labels are compared in English: the pages answer in the browser's language."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def counts(response) -> list[int]:
    return [number for _label, number in response.context["counts"]]


def capability_labels(response) -> list[str]:
    return [str(item.label) for item in response.context["capabilities"]]


def test_home__anonymous__redirected_to_login(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/"


def test_login__form_login__lands_on_home(client, tree, make_user):
    user = make_user(RoleKind.COMMUNITY_WORKER, tree.community)
    page = client.get("/login/")
    assert page.status_code == 200
    assert b'name="username"' in page.content and b'name="password"' in page.content
    response = client.post("/login/", {"username": user.username, "password": "pw-test-123"})
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_login__wrong_password__error_shown_not_logged_in(client, tree, make_user):
    user = make_user(RoleKind.COMMUNITY_WORKER, tree.community)
    response = client.post("/login/", {"username": user.username, "password": "nope"})
    assert response.status_code == 200
    assert b'role="alert"' in response.content
    assert "_auth_user_id" not in client.session


def test_logout__post__logs_out(client, tree, make_user):
    client.force_login(make_user(RoleKind.COMMUNITY_WORKER, tree.community))
    response = client.post("/logout/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_home__community_worker__area_line_and_no_capability_list(client, tree, make_user):
    user = make_user(RoleKind.COMMUNITY_WORKER, tree.community)
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200
    assert [r["place"] for r in response.context["roles"]] == [tree.community]
    # communities, estates, buildings, households, people in the community only
    assert counts(response) == [1, 1, 1, 1, 1]
    assert "capabilities" not in response.context
    html = response.content.decode()
    assert 'class="my-area"' in html and tree.community.name in html
    assert tree.neighbour.name not in html
    assert f'href="{reverse("abilities")}"' in html


def test_abilities__community_worker__roles_counts_and_capabilities(client, tree, make_user):
    client.force_login(make_user(RoleKind.COMMUNITY_WORKER, tree.community))
    response = client.get(reverse("abilities"))
    assert response.status_code == 200
    assert [(r["place"], r["url"]) for r in response.context["roles"]] == [
        (tree.community, reverse("core:place-detail", args=[tree.community.code]))
    ]
    assert counts(response) == [1, 1, 1, 1, 1]
    labels = capability_labels(response)
    assert "View the places in your area" in labels
    assert "See full ID numbers and phone numbers" in labels
    assert "See who changed what (audit history)" in labels
    assert "Assign roles to staff" not in labels
    assert tree.neighbour.name not in response.content.decode()


def test_home__street_staff__area_counts_cover_both_communities(client, tree, make_user):
    client.force_login(make_user(RoleKind.STREET_STAFF, tree.street))
    assert counts(client.get("/")) == [2, 2, 2, 2, 2]
    assert "Assign roles to staff" not in capability_labels(client.get(reverse("abilities")))


def test_abilities__street_staff_with_admin__admin_work_listed_with_links(client, tree, make_user):
    client.force_login(make_user(RoleKind.STREET_STAFF, tree.street, is_staff=True))
    items = {str(item.label): item.url for item in client.get(reverse("abilities")).context["capabilities"]}
    assert items["Assign roles to staff"] == reverse("admin:core_roleassignment_changelist")
    assert items["Manage people and households"] == reverse("core:person-list")  # the app's own page, not the admin


@pytest.mark.parametrize("role", [RoleKind.RESIDENT, RoleKind.ENTERPRISE_CONTACT])
def test_home__resident_or_enterprise__no_place_counts(client, tree, make_user, role):
    client.force_login(make_user(role, tree.building))
    response = client.get("/")
    assert response.context["counts"] == [] and response.context["roles"] == []
    assert 'class="my-area"' not in response.content.decode()


def test_abilities__resident__what_residents_do_no_place_counts(client, tree, make_user):
    client.force_login(make_user(RoleKind.RESIDENT, tree.estate))
    response = client.get(reverse("abilities"))
    assert counts(response) == []
    assert capability_labels(response) == ["View the places in your area", "Report a matter and follow your cases",
                                           "Sign up for activities, courses and camps near you",
                                           "Read the public notices", "See the deliberation meetings"]


def test_home__resident_with_nothing_to_do__friendly_empty_state_with_next_steps(client, tree, make_user):
    client.force_login(make_user(RoleKind.RESIDENT, tree.estate))
    response = client.get("/")
    assert response.context["has_work"] is False
    html = response.content.decode()
    assert "Nothing is waiting for you right now." in html
    assert [(a.label, a.url) for a in response.context["quick_actions"]] == [
        ("Report a matter", reverse("cases:report")), ("Notice board", reverse("deliberation:notices"))]
    assert f'href="{reverse("cases:report")}"' in html


def test_home__no_role__told_to_ask_for_one_on_the_abilities_page(client, make_user):
    client.force_login(make_user())
    response = client.get("/")
    assert response.status_code == 200
    assert response.context["has_work"] is False and response.context["quick_actions"] == []
    assert "When something needs you, it will show here." in response.content.decode()
    response = client.get(reverse("abilities"))
    assert response.context["roles"] == []
    # What everyone signed in may do: the programmes' noticeboard.
    assert [str(c.label) for c in response.context["capabilities"]] == [
        "Sign up for activities, courses and camps near you"]
    assert response.context["counts"] == []
    assert "You hold no role at the moment." in response.content.decode()


def test_home__nav__links_follow_permissions(client, tree, make_user):
    staff = make_user(RoleKind.COMMUNITY_WORKER, tree.community, is_staff=True)
    client.force_login(staff)
    html = client.get("/").content.decode()
    assert 'href="/places/"' in html
    assert 'href="/admin/"' in html
    assert 'hx-headers=\'{"X-CSRFToken": "' in html
    assert f'action="{reverse("set_language")}"' in html

    client.force_login(make_user(RoleKind.RESIDENT, tree.estate))
    html = client.get("/").content.decode()
    assert 'href="/places/"' in html
    assert 'href="/admin/"' not in html


def test_home__language_switch__english_on_request(client, tree, make_user):
    client.force_login(make_user(RoleKind.COMMUNITY_WORKER, tree.community))
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    html = client.get("/").content.decode()
    assert '<html lang="en"' in html


def test_home__superuser__everything(client, tree):
    client.force_login(User.objects.create_superuser("root", password="pw-test-123"))
    assert counts(client.get("/")) == [3, 3, 3, 2, 2]
    response = client.get(reverse("abilities"))
    assert counts(response) == [3, 3, 3, 2, 2]
    assert "Assign roles to staff" in capability_labels(response)


def _grow(tree, n: int, start: int = 0) -> None:
    """n more estates, each with a building, a flat and a household."""
    for i in range(start, start + n):
        estate = place_create(code=f"G-{i}", name=f"新小区{i}", kind=PlaceKind.ESTATE, parent=tree.community)
        building = place_create(code=f"G-{i}-B", name="1幢", kind=PlaceKind.BUILDING, parent=estate)
        flat = place_create(code=f"G-{i}-B-101", name="101室", kind=PlaceKind.FLAT, parent=building,
                            floor_area_m2=Decimal("50.00"))
        household_create(flat=flat, head=person_create(name=f"住户{i}"))


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


# The home's budget per role kind: session, user, roles, the bell, and a few per app's cards (a count per staff
# queue, one query per list card), whatever the data. The fund reviewers' tile (coordination) is one count.
HOME_QUERY_BUDGET = {RoleKind.COMMUNITY_WORKER: 18, RoleKind.RESIDENT: 9, RoleKind.ENTERPRISE_CONTACT: 9,
                     RoleKind.GRID_WORKER: 14, RoleKind.DISTRICT_ADMIN: 18, RoleKind.OWNERS_COMMITTEE_MEMBER: 12}


@pytest.mark.parametrize("role", list(HOME_QUERY_BUDGET))
def test_home__query_count__bounded_and_not_growing_with_rows(client, tree, make_user, role,
                                                              django_assert_max_num_queries):
    client.force_login(make_user(role, tree.community))
    _grow(tree, 2)
    small = _queries(client, "/")
    _grow(tree, 8, start=2)
    with django_assert_max_num_queries(small):
        response = client.get("/")
    assert response.status_code == 200
    assert small <= HOME_QUERY_BUDGET[role]
