"""Accounts: login throttling (django-axes), API-key throttling, changing one's password, and the community
resetting a resident's password."""

from __future__ import annotations

import datetime

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.hashers import check_password
from django.test import Client
from django.urls import reverse

from commonground.cases.models import ApiClient
from commonground.core.models import RoleKind, User
from commonground.core.services.accounts import role_assign
from tests.conftest import VALID_FROM

PASSWORD = "pw-test-123"
LOGIN = "/login/"


def attempt(client: Client, username: str, password: str, address: str = "10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


@pytest.fixture
def resident(tree, make_user) -> User:
    return make_user(RoleKind.RESIDENT, tree.estate, person=tree.owner)


# --- login throttling ---------------------------------------------------------------------------

def test_login__30_wrong_passwords_then_the_right_one__locked_out(client, resident, settings):
    for _ in range(30):
        attempt(client, resident.username, "wrong-password")

    response = attempt(client, resident.username, PASSWORD)

    assert response.status_code == 429
    assert not logged_in(client)
    assert AccessAttempt.objects.filter(username=resident.username, ip_address="10.0.0.1").exists()


def test_login__below_the_limit__right_password_logs_in_and_forgets_failures(client, resident, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt(client, resident.username, "wrong-password").status_code == 200

    assert attempt(client, resident.username, PASSWORD).status_code == 302
    assert logged_in(client)
    assert not AccessAttempt.objects.filter(username=resident.username).exists()


def test_login__lockout__per_user_and_address(client, resident, make_user, tree, settings):
    other = make_user(RoleKind.RESIDENT, tree.estate)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, resident.username, "wrong-password")

    assert attempt(client, resident.username, PASSWORD, address="10.0.0.2").status_code == 302
    assert attempt(Client(), other.username, PASSWORD).status_code == 302


def test_login__after_the_cool_off__right_password_works(client, resident, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, resident.username, "wrong-password")
    assert attempt(client, resident.username, PASSWORD).status_code == 429

    AccessAttempt.objects.update(attempt_time=AccessAttempt.objects.get().attempt_time
                                 - settings.AXES_COOLOFF_TIME - datetime.timedelta(seconds=1))

    assert attempt(client, resident.username, PASSWORD).status_code == 302


# --- Open311 api_key guessing ---------------------------------------------------------------------

def test_open311_api_key__guessing_from_one_address__locked_out_even_for_a_valid_key(tree, settings):
    ApiClient.objects.create(name="市民App", api_key="key-public")
    http = Client(HTTP_ACCEPT_LANGUAGE="en", REMOTE_ADDR="10.0.0.9")
    for n in range(settings.AXES_FAILURE_LIMIT):
        assert http.get("/open311/v2/services.json", {"api_key": f"guess-{n}"}).status_code == 403

    locked = http.get("/open311/v2/services.json", {"api_key": "key-public"})

    assert locked.status_code == 429
    assert locked.json()[0]["code"] == 429
    assert Client(REMOTE_ADDR="10.0.0.10").get("/open311/v2/services.json", {"api_key": "key-public"}).status_code \
        == 200


# --- changing one's own password ---------------------------------------------------------------------

def test_password_change__resident__own_page_changes_it(client, resident):
    client.force_login(resident)
    page = client.get(reverse("password-change"))
    assert page.status_code == 200

    response = client.post(reverse("password-change"), {
        "old_password": PASSWORD, "new_password1": "new-secret-2023", "new_password2": "new-secret-2023"})

    assert response.status_code == 302
    resident.refresh_from_db()
    assert resident.check_password("new-secret-2023")
    assert logged_in(client)  # the session survives the change


def test_password_change__wrong_old_password__refused_and_unchanged(client, resident):
    client.force_login(resident)
    before = User.objects.get(pk=resident.pk).password

    response = client.post(reverse("password-change"), {
        "old_password": "not-it", "new_password1": "new-secret-2023", "new_password2": "new-secret-2023"})

    assert response.status_code == 200 and response.context["form"].errors
    assert User.objects.get(pk=resident.pk).password == before


def test_password_change__anonymous__sent_to_login(client, db):
    assert client.get(reverse("password-change")).status_code == 302


# --- the community resets a resident's password ---------------------------------------------------------

def reset(client: Client, person_pk: int):
    return client.post(reverse("core:person-password-reset", args=[person_pk]))


def test_password_reset__community_worker__temporary_password_then_resident_must_change_it(client, tree, resident,
                                                                                           role_users):
    worker = role_users[RoleKind.COMMUNITY_WORKER]
    client.force_login(worker)
    assert reverse("core:person-password-reset", args=[tree.owner.pk]) in \
        client.get(reverse("core:person-detail", args=[tree.owner.pk])).content.decode()

    response = reset(client, tree.owner.pk)

    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    temporary = response.context["temporary"]
    resident.refresh_from_db()
    assert resident.check_password(temporary) and resident.must_change_password
    owner_client = Client()
    assert owner_client.post(LOGIN, {"username": resident.username, "password": temporary}).status_code == 302
    assert owner_client.get(reverse("home"))["Location"] == reverse("password-change")
    owner_client.post(reverse("password-change"), {
        "old_password": temporary, "new_password1": "my-own-secret-9", "new_password2": "my-own-secret-9"})
    resident.refresh_from_db()
    assert not resident.must_change_password and resident.check_password("my-own-secret-9")
    assert owner_client.get(reverse("home")).status_code == 200


def test_password_reset__user_who_also_acts_for_the_street__refused_unchanged(client, tree, resident, role_users):
    role_assign(user=resident, role=RoleKind.STREET_STAFF, scope=tree.street, valid_from=VALID_FROM)
    client.force_login(role_users[RoleKind.COMMUNITY_WORKER])
    before = User.objects.get(pk=resident.pk).password

    assert reset(client, tree.owner.pk).status_code == 403
    assert User.objects.get(pk=resident.pk).password == before
    assert reverse("core:person-password-reset", args=[tree.owner.pk]) not in \
        client.get(reverse("core:person-detail", args=[tree.owner.pk])).content.decode()


@pytest.mark.parametrize("role", [RoleKind.GRID_WORKER, RoleKind.PROPERTY_MANAGER, RoleKind.RESIDENT])
def test_password_reset__roles_without_the_permission__refused_unchanged(client, tree, resident, make_user, role):
    scope = tree.estate if role != RoleKind.GRID_WORKER else tree.community
    client.force_login(make_user(role, scope))
    before = User.objects.get(pk=resident.pk).password

    assert reset(client, tree.owner.pk).status_code in (403, 404)
    assert User.objects.get(pk=resident.pk).password == before


def test_password_reset__resident_of_another_community__404_unchanged(client, tree, make_user):
    neighbour = make_user(RoleKind.RESIDENT, tree.neighbour_estate, person=tree.neighbour_owner)
    client.force_login(make_user(RoleKind.COMMUNITY_WORKER, tree.community))
    before = neighbour.password

    assert reset(client, tree.neighbour_owner.pk).status_code == 404
    assert User.objects.get(pk=neighbour.pk).password == before


def test_password_reset__get__not_allowed(client, tree, resident, role_users):
    client.force_login(role_users[RoleKind.COMMUNITY_WORKER])
    assert client.get(reverse("core:person-password-reset", args=[tree.owner.pk])).status_code == 405
    assert check_password(PASSWORD, User.objects.get(pk=resident.pk).password)
