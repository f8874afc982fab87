"""The where-to-act list and the profile's data: warnings computed from the records, formation rate, order,
queries constant in the number of estates."""

from __future__ import annotations

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from commonground.coordination.profile_rules import Kind
from commonground.coordination.profile_selectors import (
    EstateFilters,
    estate_profile,
    estates_by_warning,
    formation_rate,
)
from commonground.core.models import PlaceKind, RoleKind
from commonground.core.services.places import place_create

from .profile_fixtures import open_case

kinds = lambda row: [w.kind for w in row.warnings]  # noqa: E731


def test_estates_by_warning__street__neighbour_first_with_no_committee_and_no_contract(estates):
    found = estates_by_warning(estates.street, estates.tree.street)
    assert [row.name for row in found.rows] == ["龙游小区", "竹竿巷小区"]
    assert kinds(found.rows[0]) == [Kind.NO_COMMITTEE, Kind.NO_CONTRACT]
    assert kinds(found.rows[1]) == []
    assert (found.estates, found.with_committee, found.formation_rate) == (2, 1, 0.5)
    assert found.counts[Kind.NO_COMMITTEE] == 1 and found.counts[Kind.OVERDUE_CASES] == 0


def test_estates_by_warning__overdue_case__counted_on_its_estate(estates, make_user):
    resident = make_user(RoleKind.RESIDENT, estates.tree.estate, person=estates.tree.owner)
    open_case(resident, estates.tree.building, overdue=True)
    open_case(resident, estates.tree.building)
    row = next(r for r in estates_by_warning(estates.street, None).rows if r.name == "竹竿巷小区")
    assert (row.open_cases, row.facts.overdue, row.disputes, kinds(row)) == (2, 1, 2, [Kind.OVERDUE_CASES])


def test_estates_by_warning__warning_filter__only_those_estates(estates):
    found = estates_by_warning(estates.street, None, EstateFilters(warning=Kind.NO_COMMITTEE))
    assert [row.name for row in found.rows] == ["龙游小区"]
    assert found.estates == 2  # the counts stay those of the whole scope


def test_estates_by_warning__committee_member__own_estate_only(estates):
    found = estates_by_warning(estates.member, estates.tree.district)
    assert [row.name for row in found.rows] == ["竹竿巷小区"]
    assert estates_by_warning(estates.member, estates.tree.neighbour).rows == []


def test_formation_rate__district__computed(estates):
    assert formation_rate(estates.street, estates.tree.district) == 0.5  # the far community's estate: other street
    assert formation_rate(estates.street, estates.tree.community) == 1.0


def _estate_queries(user, scope) -> int:
    with CaptureQueriesContext(connection) as queries:
        estates_by_warning(user, scope)
    return len(queries)


def test_estates_by_warning__more_estates__same_queries(estates):
    estates_by_warning(estates.street, estates.tree.street)  # the user's roles, loaded once per request
    before = _estate_queries(estates.street, estates.tree.street)
    assert before == 6  # roles' paths, estates, committees and terms, contracts, case figures, evaluation scores
    for i in range(5):
        place_create(code=f"{estates.tree.community.code}-X{i}", name=f"新增小区{i}", kind=PlaceKind.ESTATE,
                     parent=estates.tree.community)
    assert _estate_queries(estates.street, estates.tree.street) == before
    assert len(estates_by_warning(estates.street, estates.tree.street).rows) == 7


def test_estate_profile__property_manager__member_names_masked(estates):
    data = estate_profile(estates.tree.estate, estates.property)
    assert [m.name for m in data["members"]] == ["张**"]
    assert data["contract"].pk == estates.contract.pk and data["filing"].pk == estates.filing.pk
    assert data["warnings"] == []


def test_estate_profile__community_worker__member_names_in_full(estates):
    assert [m.name for m in estate_profile(estates.tree.estate, estates.manager)["members"]] == ["张三"]


def test_estate_profile__term_from_members_when_not_filed(estates):
    estates.filing.delete()
    row = estate_profile(estates.tree.estate, estates.manager)["row"]
    assert row.facts.term_to == datetime.date(2026, 2, 28) and row.warnings == []


def test_estates_by_warning__member_filters_own_community__own_estate(estates):
    own = EstateFilters(community=estates.tree.community.code, street=estates.tree.street.code)
    assert [row.name for row in estates_by_warning(estates.member, None, own).rows] == ["竹竿巷小区"]
    other = EstateFilters(community=estates.tree.neighbour.code)
    assert estates_by_warning(estates.member, None, other).rows == []


def test_estates_by_warning__street_filter_outside_reach__nothing(estates):
    found = estates_by_warning(estates.street, None, EstateFilters(street=estates.tree.other_street.code))
    assert (found.rows, found.estates) == ([], 0)
