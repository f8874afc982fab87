"""Fixtures of the offices and network tests: three-party offices at every level of the test tree with staff,
the party network of the first estate, a second building, a mass association; users of each scope."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest

from commonground.cases.services.categories import category_seed
from commonground.core.models import Organisation, OrganisationKind, Place, PlaceKind, RoleKind, User
from commonground.core.services.organisations import organisation_create, organisation_member_add
from commonground.core.services.people import person_create
from commonground.core.services.places import place_create
from tests.conftest import Tree

K = OrganisationKind


@dataclass
class Net:
    tree: Tree
    offices: dict[str, Organisation]  # district, street, other_street, community, neighbour, far
    community_party: Organisation
    estate_branch: Organisation
    branch: Organisation  # the corridor branch of the first estate's 1幢1单元
    second_building: Place  # 2幢 of the first estate
    neighbour_building: Place  # 1幢 of the neighbour community's estate
    association: Organisation
    director: str  # the community office director's name
    users: dict[str, User]


def office(place: Place, name: str) -> Organisation:
    return organisation_create(name=name, kind=K.THREE_PARTY_OFFICE, place=place,
                               established_on=datetime.date(2019, 1, 1))


@pytest.fixture(name="net")
def net_fixture(tree, make_user) -> Net:
    category_seed()
    offices = {
        "district": office(tree.district, "区三方办"), "street": office(tree.street, "武林街道三方办"),
        "other_street": office(tree.other_street, "天水街道三方办"),
        "community": office(tree.community, "竹竿巷社区三方办"), "neighbour": office(tree.neighbour, "龙游社区三方办"),
        "far": office(tree.far_community, "武林路社区三方办"),
    }
    director = person_create(name="王建国", phone="13900000001", registered_place=tree.community)
    organisation_member_add(organisation=offices["community"], person=director, position="主任",
                            term_from=datetime.date(2023, 1, 1))
    far_director = person_create(name="赵远方", phone="13900000002", registered_place=tree.far_community)
    organisation_member_add(organisation=offices["far"], person=far_director, position="主任",
                            term_from=datetime.date(2023, 1, 1))
    party = organisation_create(name="竹竿巷社区党委", kind=K.PARTY_ORGANISATION, place=tree.community)
    estate_branch = organisation_create(name="竹竿巷小区党支部", kind=K.PARTY_ORGANISATION, place=tree.estate)
    branch = organisation_create(name="1幢1单元楼道党支部", kind=K.PARTY_ORGANISATION, place=tree.corridor)
    member = person_create(name="刘党员", registered_place=tree.estate)
    organisation_member_add(organisation=branch, person=member, position="书记")
    second = place_create(code=f"{tree.estate.code}-B2", name="2幢", kind=PlaceKind.BUILDING, parent=tree.estate)
    neighbour_building = Place.objects.get(code=f"{tree.neighbour_estate.code}-B1")
    association = organisation_create(name="竹竿巷大妈志愿队", kind=K.MASS_ASSOCIATION, place=tree.community)
    users = {
        "community": make_user(RoleKind.COMMUNITY_WORKER, tree.community),
        "far": make_user(RoleKind.COMMUNITY_WORKER, tree.far_community),
        "street": make_user(RoleKind.STREET_STAFF, tree.street),
        "district": make_user(RoleKind.DISTRICT_ADMIN, tree.district),
        "committee": make_user(RoleKind.OWNERS_COMMITTEE_MEMBER, tree.estate),
        "grid": make_user(RoleKind.GRID_WORKER, tree.community),
    }
    return Net(tree, offices, party, estate_branch, branch, second, neighbour_building, association, "王建国", users)
