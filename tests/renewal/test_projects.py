"""Setting up a campaign from the register, its organisation, and who sees which households."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from commonground.renewal.models import Household, Project
from commonground.renewal.rules import needed
from commonground.renewal.selectors import households_for, project_standing, projects_for
from commonground.renewal.services.organisation import work_group_buildings_set, work_group_member_remove
from commonground.renewal.services.projects import flat_floor, project_create


def test_project_create__register_with_co_owners__one_household_per_flat_with_every_owner(campaign, tree):
    households = Household.objects.filter(project=campaign.project)

    # the tree's own flat (101室 of 1幢, owned by 张三) is in the estate too
    assert households.count() == 11
    co_owned = households.get(flat=campaign.flats[1])
    assert set(co_owned.owners.values_list("name", flat=True)) == {"业主1", "共有人"}
    assert co_owned.area_m2 == Decimal("61.75") and co_owned.floor == 1
    assert co_owned.place_path == campaign.flats[1].path
    assert co_owned.street_path == tree.street.path and co_owned.unit_path == tree.community.path
    assert households.get(flat=campaign.flats[9]).group == campaign.groups[1]


@pytest.mark.parametrize("threshold", [Decimal("0.79"), Decimal("1.01")])
def test_project_create__effect_threshold_outside_80_to_100__refused_nothing_written(tree, make_user, threshold,
                                                                                     nothing_written):
    from commonground.core.models import RoleKind

    office = make_user(RoleKind.RENEWAL_WORKER, tree.estate)
    with nothing_written(), pytest.raises(ValidationError) as error:
        project_create(actor=office, estate=tree.estate, name="x", effect_threshold=threshold)
    assert "effect_threshold" in error.value.message_dict


def test_project_create__comment_period_under_30_days__refused(tree, make_user):
    from commonground.core.models import RoleKind

    office = make_user(RoleKind.RENEWAL_WORKER, tree.estate)
    with pytest.raises(ValidationError) as error:
        project_create(actor=office, estate=tree.estate, name="x", plan_published_on=datetime.date(2023, 3, 1),
                       comment_until=datetime.date(2023, 3, 30))
    assert "comment_until" in error.value.message_dict


def test_project_create__by_a_worker_of_another_estate__permission_denied(tree, make_user):
    from commonground.core.models import RoleKind

    outsider = make_user(RoleKind.RENEWAL_WORKER, tree.neighbour_estate)
    with pytest.raises(PermissionDenied):
        project_create(actor=outsider, estate=tree.estate, name="x")
    assert not Project.objects.exists()


def test_households_for__field_member_office_owner_outsider__each_their_own(campaign):
    def flats(user):
        return set(households_for(user, campaign.project).values_list("flat_id", flat=True))

    assert flats(campaign.member) == {f.pk for f in campaign.flats[:6]}
    assert len(flats(campaign.office)) == 11
    assert flats(campaign.owner) == {campaign.flats[0].pk}
    assert flats(campaign.outsider) == set()
    assert list(projects_for(campaign.member)) == [campaign.project]
    assert list(projects_for(campaign.outsider)) == []


def test_work_group__building_moves_to_another_group__households_and_reach_follow(campaign):
    work_group_buildings_set(actor=campaign.office, group=campaign.groups[1], buildings=[])
    work_group_buildings_set(actor=campaign.office, group=campaign.groups[0], buildings=campaign.buildings)

    assert set(households_for(campaign.member, campaign.project).values_list("flat_id", flat=True)) >= \
        {f.pk for f in campaign.flats}


def test_work_group__building_owned_by_another_group__refused(campaign):
    with pytest.raises(ValidationError):
        work_group_buildings_set(actor=campaign.office, group=campaign.groups[1], buildings=campaign.buildings)


def test_work_group_member_remove__reach_ends(campaign):
    work_group_member_remove(actor=campaign.office, group=campaign.groups[0], user=campaign.member)

    assert not households_for(campaign.member, campaign.project).exists()


@pytest.mark.parametrize(("total", "threshold", "expected"), [
    (548, Decimal("0.8"), 439), (548, Decimal("0.9"), 494), (10, Decimal("0.8"), 8), (5, Decimal("1"), 5)])
def test_needed__smallest_whole_number_at_or_above(total, threshold, expected):
    assert needed(total, threshold) == expected


def test_flat_floor__chinese_numbering():
    from types import SimpleNamespace

    assert flat_floor(SimpleNamespace(code="X-B1-U1-1203", name="")) == 12
    assert flat_floor(SimpleNamespace(code="X-B1-U1-101", name="")) == 1


def test_project_standing__counts_all_households(campaign):
    standing = project_standing(campaign.project)

    assert (standing.households, standing.signed, standing.needed) == (11, 0, 9)


def test_work_group__building_given_to_another_group__old_members_lose_it(campaign):
    work_group_buildings_set(actor=campaign.office, group=campaign.groups[0], buildings=[])
    work_group_buildings_set(actor=campaign.office, group=campaign.groups[1], buildings=campaign.buildings)

    assert not households_for(campaign.member, campaign.project).exists()
    assert list(projects_for(campaign.member)) == []


def test_households_for__owners_committee_member__own_household_only(campaign, tree, make_user):
    from commonground.core.models import RoleKind

    committee = make_user(RoleKind.OWNERS_COMMITTEE_MEMBER, tree.estate, person=campaign.owners[3])

    assert set(households_for(committee, campaign.project).values_list("flat_id", flat=True)) == {
        campaign.flats[3].pk}


def test_standing_percent__one_short_of_all__never_shows_100():
    from commonground.renewal.selectors import Standing

    assert Standing(548, 547, 494, 0, 0, 494).percent == "99.8"
    assert Standing(548, 548, 494, 0, 0, 494).percent == "100.0"
    assert Standing(0, 0, 0, 0, 0, 0).percent == "0.0"
