"""Three-party disputes go to the community's three-party office first, then the street's, then the district's,
through the case engine's ladder (which hands the case to the office of the category's kind at each level)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from commonground.cases.categories import seed_by_code
from commonground.cases.models import Category, Level, Stage
from commonground.cases.services.intake import case_report
from commonground.cases.services.workflow import case_accept, case_dispatch, case_escalate
from commonground.core.models import OrganisationKind
from tests.coordination.network_fixtures import net_fixture  # noqa: F401  (fixture)


def dispatched(net, place=None, code="three-party-dispute"):
    actor = net.users["district"]
    case = case_report(actor=actor, category=Category.objects.get(code=code), description="业委会与物业就停车费争议",
                       place=place or net.tree.estate, channel="staff")
    case_accept(case=case, actor=actor)
    return case_dispatch(case=case, actor=actor)


def test_category_seed__three_party_dispute__handled_by_offices_from_the_community():
    seed = seed_by_code()["three-party-dispute"]

    assert (seed.name, seed.default_level, seed.handler_kind, seed.is_dispute) == (
        "三方纠纷", Level.COMMUNITY, OrganisationKind.THREE_PARTY_OFFICE, True)


def test_case_dispatch__three_party_dispute__the_community_office(net):
    case = dispatched(net)

    assert (case.stage, case.level, case.handling_place, case.handler) == (
        Stage.DISPATCH, Level.COMMUNITY, net.tree.community, net.offices["community"])


def test_case_escalate__three_party_dispute__street_office_then_district_office_then_top(net):
    case = dispatched(net)
    worker, street = net.users["community"], net.users["street"]

    case = case_escalate(case=case, actor=worker, reason="社区层面无法协调")
    assert (case.level, case.handling_place, case.handler, case.escalations) == (
        Level.STREET, net.tree.street, net.offices["street"], 1)

    case = case_escalate(case=case, actor=street, reason="需区级协调")
    assert (case.level, case.handling_place, case.handler, case.escalations) == (
        Level.DISTRICT, net.tree.district, net.offices["district"], 2)

    with pytest.raises(ValidationError):
        case_escalate(case=case, actor=net.users["district"], reason="再上一级")
    case.refresh_from_db()
    assert (case.level, case.handler, case.escalations) == (Level.DISTRICT, net.offices["district"], 2)


def test_case_escalate__community_worker_of_another_community__refused_case_unchanged(net):
    case = dispatched(net)

    with pytest.raises(PermissionDenied):
        case_escalate(case=case, actor=net.users["far"], reason="不是我的")

    case.refresh_from_db()
    assert (case.level, case.handler) == (Level.COMMUNITY, net.offices["community"])


def test_case_dispatch__category_handled_by_a_department__no_handler_as_before(net):
    case = dispatched(net, code="street-cleaning")  # handled by 环卫所, not an organisation kind

    assert (case.level, case.handling_place, case.handler) == (Level.COMMUNITY, net.tree.community, None)


def test_case_dispatch__handler_named__kept(net):
    actor = net.users["district"]
    case = case_report(actor=actor, category=Category.objects.get(code="three-party-dispute"), description="业委会与物业的争议",
                       place=net.tree.estate, channel="staff")
    case_accept(case=case, actor=actor)

    case = case_dispatch(case=case, actor=actor, level=Level.STREET, handler=net.offices["street"])

    assert (case.level, case.handler) == (Level.STREET, net.offices["street"])
