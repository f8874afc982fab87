"""包楼连片: the buildings a corridor party branch covers, set through the service, its own estate's only."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from commonground.coordination.models import BranchBuilding
from commonground.coordination.services.network import branch_buildings_set, estate_branch_coverage_set
from tests.coordination.network_fixtures import net_fixture  # noqa: F401  (fixture)


def covered(branch) -> list[str]:
    return list(BranchBuilding.objects.filter(branch=branch).order_by("building__code")
                .values_list("building__name", flat=True))


def test_branch_buildings_set__own_and_next_building__both_covered_then_replaced(net):
    worker = net.users["community"]

    branch_buildings_set(actor=worker, branch=net.branch, buildings=[net.tree.building, net.second_building])
    assert covered(net.branch) == ["1幢", "2幢"]

    branch_buildings_set(actor=worker, branch=net.branch, buildings=[net.second_building])
    assert covered(net.branch) == ["2幢"]


def test_branch_buildings_set__building_of_another_estate__refused_nothing_written(net, nothing_written):
    branch_buildings_set(actor=net.users["community"], branch=net.branch, buildings=[net.tree.building])

    with nothing_written(), pytest.raises(ValidationError) as refused:
        branch_buildings_set(actor=net.users["community"], branch=net.branch,
                             buildings=[net.second_building, net.neighbour_building])

    assert "buildings" in refused.value.message_dict
    assert covered(net.branch) == ["1幢"]


def test_branch_buildings_set__a_corridor_not_a_building__refused_nothing_written(net, nothing_written):
    with nothing_written(), pytest.raises(ValidationError):
        branch_buildings_set(actor=net.users["community"], branch=net.branch, buildings=[net.tree.corridor])


def test_estate_branch_coverage_set__estate_branch_is_not_a_corridor_branch__refused_nothing_written(
        net, nothing_written):
    with nothing_written(), pytest.raises(ValidationError) as refused:
        estate_branch_coverage_set(actor=net.users["community"], estate=net.tree.estate,
                                   coverage={net.branch: [net.tree.building],
                                             net.estate_branch: [net.second_building]})

    assert "branch" in refused.value.message_dict


def test_estate_branch_coverage_set__other_estate__refused_nothing_written(net, nothing_written):
    with nothing_written(), pytest.raises(ValidationError):
        estate_branch_coverage_set(actor=net.users["district"], estate=net.tree.neighbour_estate,
                                   coverage={net.branch: [net.tree.building]})


@pytest.mark.parametrize("who", ["committee", "grid", "far"])
def test_branch_buildings_set__without_manage_here__refused_nothing_written(net, nothing_written, who):
    with nothing_written(), pytest.raises(PermissionDenied):
        branch_buildings_set(actor=net.users[who], branch=net.branch, buildings=[net.tree.building])


def test_branch_building__same_pair_twice__refused_by_the_database(net):
    from django.db import IntegrityError, transaction

    BranchBuilding.objects.create(branch=net.branch, building=net.tree.building)
    with pytest.raises(IntegrityError), transaction.atomic():
        BranchBuilding.objects.create(branch=net.branch, building=net.tree.building)
