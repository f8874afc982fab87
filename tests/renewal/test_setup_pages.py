"""Setting up a campaign in the browser and through the API: a new project from the register, its phases and
thresholds, and its work groups (a group, a field group's buildings, a member who then works there)."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from commonground.core import clock
from commonground.core.models import RoleKind
from commonground.renewal.models import AgreementsState, Household, Project, WorkGroup
from commonground.renewal.services.projects import project_update
from commonground.renewal.services.signing import agreements_decide
from tests.renewal.signing_helpers import at


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def new_project_form(tree, **changes) -> dict:
    return {"estate": tree.estate.code, "name": "第二期", "effect_threshold": "90", "consent_threshold": "85",
            "signing_from": "2027-03-01", "signing_until": "2027-05-31", **changes}


def lapsed(campaign) -> Project:
    """The signing period over without the threshold: the agreements lapse (the switch's own service)."""
    with clock.frozen_at(at(datetime.date(2023, 7, 1), 0, 5)):
        assert agreements_decide(project=campaign.project) == AgreementsState.LAPSED
    return Project.objects.get(pk=campaign.project.pk)


def test_project_new_page__office__project_with_the_registers_households(campaign, tree):
    office = logged_in(campaign.office)

    listing = office.get("/renewal/").content.decode()
    form = office.get("/renewal/new/")
    response = office.post("/renewal/new/", new_project_form(tree))

    assert "/renewal/new/" in listing
    assert form.status_code == 200 and tree.estate.name in form.content.decode()
    project = Project.objects.get(name="第二期")
    assert response.status_code == 302 and response["Location"] == f"/renewal/{project.pk}/"
    assert project.effect_threshold == Decimal("0.9") and project.consent_threshold == Decimal("0.85")
    assert project.signing_until == datetime.date(2027, 5, 31)
    assert Household.objects.filter(project=project).count() == 11
    assert "11" in office.get(f"/renewal/{project.pk}/").content.decode()


def test_project_new_page__effect_threshold_79__400_error_at_the_field_nothing_written(campaign, tree,
                                                                                      nothing_written):
    office = logged_in(campaign.office)

    with nothing_written():
        response = office.post("/renewal/new/", new_project_form(tree, effect_threshold="79"))

    assert response.status_code == 400
    assert response.context["form"].errors["effect_threshold"] == [
        "The signing threshold for effect must be between 80% and 100%."]
    assert "between 80% and 100%" in response.content.decode()


def test_project_api__create_then_patch_then_bad_threshold__201_200_400(campaign, tree, nothing_written):
    office = logged_in(campaign.office)

    created = office.post("/api/renewal/projects", {"estate": tree.estate.code, "name": "第二期",
                                                     "effect_threshold": "0.85"}, content_type="application/json")
    project_id = created.json()["id"]
    patched = office.patch(f"/api/renewal/projects/{project_id}", {"signing_from": "2027-03-01",
                                                                    "signing_until": "2027-05-31"},
                           content_type="application/json")
    with nothing_written():
        bad = office.patch(f"/api/renewal/projects/{project_id}", {"effect_threshold": "0.79"},
                           content_type="application/json")

    assert created.status_code == 201 and created.json()["effect_threshold"] == "0.8500"
    assert Household.objects.filter(project_id=project_id).count() == 11
    assert patched.status_code == 200 and patched.json()["signing_until"] == "2027-05-31"
    assert bad.status_code == 400 and "effect_threshold" in bad.json()["detail"]


def test_project_edit_page__office__dates_and_thresholds_saved(campaign):
    office = logged_in(campaign.office)
    url = f"/renewal/{campaign.project.pk}/edit/"

    form = office.get(url)
    response = office.post(url, {"name": "竹竿巷小区有机更新", "effect_threshold": "85", "consent_threshold": "90",
                                 "signing_from": "2023-04-07", "signing_until": "2023-07-15"})

    assert form.status_code == 200 and 'value="80"' in form.content.decode()
    assert response.status_code == 302
    project = Project.objects.get(pk=campaign.project.pk)
    assert project.effect_threshold == Decimal("0.85") and project.signing_until == datetime.date(2023, 7, 15)
    assert f"/renewal/{campaign.project.pk}/edit/" in office.get(f"/renewal/{campaign.project.pk}/").content.decode()


@pytest.mark.parametrize("who", ["outsider", "member"])
def test_setup_pages_and_api__outsider_404_field_member_403(campaign, tree, who, nothing_written):
    client = logged_in(getattr(campaign, who))
    project, group = campaign.project, campaign.groups[0]
    expected = 404 if who == "outsider" else 403

    with nothing_written():
        new = client.get("/renewal/new/")
        answers = {
            "edit": client.get(f"/renewal/{project.pk}/edit/").status_code,
            "edit-post": client.post(f"/renewal/{project.pk}/edit/", {"name": "x"}).status_code,
            "groups": client.get(f"/renewal/{project.pk}/work-groups/").status_code,
            "buildings": client.post(f"/renewal/work-groups/{group.pk}/buildings/", {}).status_code,
            "member": client.post(f"/renewal/work-groups/{group.pk}/members/", {}).status_code,
            "remove": client.post(f"/renewal/work-groups/{group.pk}/members/{campaign.member.pk}/remove/").status_code,
            "api-patch": client.patch(f"/api/renewal/projects/{project.pk}", {"name": "x"},
                                      content_type="application/json").status_code,
            "api-group": client.post(f"/api/renewal/projects/{project.pk}/work-groups", {"name": "x"},
                                     content_type="application/json").status_code,
            "api-buildings": client.put(f"/api/renewal/work-groups/{group.pk}/buildings", {"buildings": []},
                                        content_type="application/json").status_code,
            "api-member": client.delete(f"/api/renewal/work-groups/{group.pk}/members/{campaign.member.pk}").status_code,
        }
        created = client.post("/api/renewal/projects", {"estate": campaign.project.estate.code, "name": "x"},
                              content_type="application/json")

    assert answers == dict.fromkeys(answers, expected)
    assert created.status_code == 404
    if who == "member":  # may manage no estate: no new project at all
        assert new.status_code == 404 and "/renewal/new/" not in client.get("/renewal/").content.decode()
    else:  # may open one on their own estate only
        choices = [code for code, _name in new.context["form"].fields["estate"].choices]
        assert new.status_code == 200 and choices == [tree.neighbour_estate.code]


def test_work_groups_page__create_buildings_member__the_member_sees_that_buildings_households(campaign, tree,
                                                                                            make_user):
    office = logged_in(campaign.office)
    helper = make_user(RoleKind.GRID_WORKER, tree.community)  # a role in the community, no renewal reach
    url = f"/renewal/{campaign.project.pk}/work-groups/"
    assert logged_in(helper).get(f"/renewal/{campaign.project.pk}/households/").status_code == 404

    page = office.get(url).content.decode()
    created = office.post(url, {"name": "三组", "kind": "field", "leader": ""})
    group = WorkGroup.objects.get(project=campaign.project, name="三组")
    buildings = office.post(f"/renewal/work-groups/{group.pk}/buildings/", {f"g{group.pk}-buildings": [tree.building.pk]})
    member = office.post(f"/renewal/work-groups/{group.pk}/members/", {f"m{group.pk}-user": helper.pk})
    after = office.get(url).content.decode()

    assert "甲幢" in page and "一组" in page and helper.username in page
    assert created.status_code == buildings.status_code == member.status_code == 302
    assert list(group.buildings.all()) == [tree.building]
    assert Household.objects.get(project=campaign.project, building=tree.building).group == group
    assert "三组" in after and helper.username in after
    listing = logged_in(helper).get(f"/renewal/{campaign.project.pk}/households/")
    flats = [row.flat for row in listing.context["page"]]
    assert listing.status_code == 200 and flats == [tree.flat]

    removed = office.post(f"/renewal/work-groups/{group.pk}/members/{helper.pk}/remove/")
    assert removed.status_code == 302 and not group.members.filter(pk=helper.pk).exists()


def test_work_groups_page__building_of_another_group__400_error_nothing_written(campaign, nothing_written):
    office = logged_in(campaign.office)
    first, second = campaign.groups

    with nothing_written():
        response = office.post(f"/renewal/work-groups/{second.pk}/buildings/",
                               {f"g{second.pk}-buildings": [campaign.buildings[0].pk, campaign.buildings[1].pk]})
        duplicate = office.post(f"/renewal/{campaign.project.pk}/work-groups/", {"name": "一组", "kind": "field"})

    assert response.status_code == 400 and "Already owned by another group" in response.content.decode()
    assert duplicate.status_code == 400
    assert duplicate.context["form"].errors["name"] == ["This project already has a group of that name."]


def test_work_groups_api__create_list_buildings_members(campaign, tree, make_user):
    office = logged_in(campaign.office)
    helper = make_user(RoleKind.GRID_WORKER, tree.community)
    base = f"/api/renewal/projects/{campaign.project.pk}/work-groups"

    created = office.post(base, {"name": "三组", "leader": helper.pk, "buildings": [tree.building.code]},
                          content_type="application/json")
    group_id = created.json()["id"]
    freed = office.put(f"/api/renewal/work-groups/{group_id}/buildings", {"buildings": []},
                       content_type="application/json")
    added = office.post(f"/api/renewal/work-groups/{group_id}/members/{campaign.member.pk}")
    stranger = office.post(f"/api/renewal/work-groups/{group_id}/members/{campaign.outsider.pk}")
    removed = office.delete(f"/api/renewal/work-groups/{group_id}/members/{helper.pk}")
    listing = logged_in(campaign.member).get(base)

    assert created.status_code == 201
    assert created.json()["buildings"] == [tree.building.code]
    assert created.json()["leader"]["id"] == helper.pk and [m["id"] for m in created.json()["members"]] == [helper.pk]
    assert freed.status_code == 200 and freed.json()["buildings"] == []
    assert added.status_code == 200 and campaign.member.pk in [m["id"] for m in added.json()["members"]]
    assert stranger.status_code == 400 and "user" in stranger.json()["detail"]
    assert removed.status_code == 200 and helper.pk not in [m["id"] for m in removed.json()["members"]]
    assert listing.status_code == 200 and {row["name"] for row in listing.json()} == {"一组", "二组", "三组"}
    assert json.loads(json.dumps(listing.json()))  # plain JSON


def test_project_update__effect_threshold_after_the_agreements_lapsed__refused_dates_still_change(campaign,
                                                                                                 nothing_written):
    project = lapsed(campaign)

    with nothing_written(), pytest.raises(ValidationError) as error:
        project_update(actor=campaign.office, project=project, effect_threshold=Decimal("0.85"))
    with nothing_written():
        refused = logged_in(campaign.office).patch(f"/api/renewal/projects/{project.pk}", {"effect_threshold": "0.9"},
                                                   content_type="application/json")
    changed = project_update(actor=campaign.office, project=project, effect_threshold=Decimal("0.8"),
                             done_on=datetime.date(2024, 1, 31))

    assert error.value.message_dict["effect_threshold"] == [
        "The signing threshold for effect cannot change once the agreements have taken effect or lapsed."]
    assert refused.status_code == 400 and "effect_threshold" in refused.json()["detail"]
    assert changed.done_on == datetime.date(2024, 1, 31) and changed.effect_threshold == Decimal("0.8")


def test_project_update__effective__threshold_field_fixed_on_the_page(campaign):
    Project.objects.filter(pk=campaign.project.pk).update(agreements_state=AgreementsState.EFFECTIVE)
    office = logged_in(campaign.office)
    url = f"/renewal/{campaign.project.pk}/edit/"

    response = office.post(url, {"name": "竹竿巷小区有机更新", "effect_threshold": "95", "consent_threshold": "90"})

    assert response.status_code == 302
    assert Project.objects.get(pk=campaign.project.pk).effect_threshold == Decimal("0.8")
    assert "Fixed: the agreements have taken effect or lapsed." in office.get(url).content.decode()


def test_project_update__unknown_field__type_error(campaign):
    with pytest.raises(TypeError):
        project_update(actor=campaign.office, project=campaign.project, estate_path="x")
