"""Declarations (opt-in, revocable, one active per person), zones within the facility's floor area, and the couriers'
council's items as cases of the case engine."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from commonground.cases.models import Case, Channel, Stage
from commonground.core import clock
from commonground.core.models import OrganisationKind, RoleKind
from commonground.programs.audience import is_new_employment_family
from commonground.programs.groups_selectors import declaration_counts, declarations_for
from commonground.programs.models import EmploymentDeclaration, EmploymentGroup, FacilityZone
from commonground.programs.services.groups import (
    council_item_file,
    council_member_add,
    declaration_change,
    declaration_create,
    declaration_revoke,
    zone_create,
    zone_update,
)

from .activity_fixtures import TODAY, at
from .groups_fixtures import declare


def test_declaration_create__own__active_at_the_estate(couriers):
    with clock.frozen_at(at(TODAY, 10)):
        item = declare(couriers.courier, couriers.tree.estate)

    assert (item.person, item.group, item.platform, item.place, item.place_path, item.revoked_at) == (
        couriers.tree.owner, EmploymentGroup.COURIER, "顺丰", couriers.tree.estate, couriers.tree.estate.path, None)
    assert item.declared_at == at(TODAY, 10)
    assert item.declared_by == couriers.courier
    assert is_new_employment_family(couriers.child) is True


def test_declaration_create__at_the_home__allowed(couriers):
    item = declare(couriers.courier, couriers.home, platform="美团", group=EmploymentGroup.RIDER)

    assert (item.place, item.group) == (couriers.home, EmploymentGroup.RIDER)


def test_declaration_create__estate_not_theirs__refused(couriers, nothing_written):
    with nothing_written(), pytest.raises(ValidationError) as error:
        declare(couriers.courier, couriers.tree.neighbour_estate)

    assert list(error.value.message_dict) == ["place"]


def test_declaration_create__second_active__refused(couriers, nothing_written):
    declare(couriers.courier, couriers.tree.estate)

    with nothing_written(), pytest.raises(ValidationError) as error:
        declare(couriers.courier, couriers.tree.estate, platform="中通")

    assert list(error.value.message_dict) == ["group"]
    assert EmploymentDeclaration.objects.count() == 1


def test_declaration__second_active_row__refused_by_the_database(couriers):
    item = declare(couriers.courier, couriers.tree.estate)

    with pytest.raises(IntegrityError), transaction.atomic():
        EmploymentDeclaration.objects.create(person=item.person, group=item.group, platform="中通", place=item.place,
                                             place_path=item.place_path, declared_at=clock.now())


def test_declaration_create__blank_platform_and_bad_group__refused(couriers, nothing_written):
    with nothing_written(), pytest.raises(ValidationError) as error:
        declaration_create(actor=couriers.courier, person=couriers.tree.owner, group="pilot", platform="  ",
                           place=couriers.tree.estate)

    assert sorted(error.value.message_dict) == ["group", "platform"]


def test_declaration_create__staff_at_the_desk__recorded_by_them(couriers):
    item = declaration_create(actor=couriers.worker, person=couriers.tree.owner, group=EmploymentGroup.DRIVER,
                              platform="滴滴", place=couriers.tree.estate)

    assert (item.declared_by, item.person) == (couriers.worker, couriers.tree.owner)


@pytest.mark.parametrize("who", ["grid", "outsider"])
def test_declaration_create__for_someone_else_without_manage__forbidden(couriers, nothing_written, who):
    with nothing_written(), pytest.raises(PermissionDenied):
        declaration_create(actor=getattr(couriers, who), person=couriers.tree.owner, group=EmploymentGroup.COURIER,
                           platform="顺丰", place=couriers.tree.estate)


def test_declaration_revoke__own__hidden_from_lists_audience_and_counts(couriers):
    item = declare(couriers.courier, couriers.tree.estate)
    assert [d.pk for d in declarations_for(couriers.worker)] == [item.pk]

    with clock.frozen_at(at(TODAY, 15)):
        revoked = declaration_revoke(actor=couriers.courier, declaration=item)

    assert revoked.revoked_at == at(TODAY, 15)
    assert list(declarations_for(couriers.worker)) == []
    assert declaration_counts(couriers.worker).total == 0
    assert is_new_employment_family(couriers.tree.owner) is False
    assert is_new_employment_family(couriers.child) is False
    assert EmploymentDeclaration.objects.get(pk=item.pk).revoked_at is not None  # kept on record


def test_declaration_revoke__twice__refused(couriers, nothing_written):
    item = declaration_revoke(actor=couriers.courier, declaration=declare(couriers.courier, couriers.tree.estate))

    with nothing_written(), pytest.raises(ValidationError):
        declaration_revoke(actor=couriers.courier, declaration=item)


def test_declaration_revoke__by_outsider__forbidden(couriers, nothing_written):
    item = declare(couriers.courier, couriers.tree.estate)

    with nothing_written(), pytest.raises(PermissionDenied):
        declaration_revoke(actor=couriers.outsider, declaration=item)


def test_declaration_change__new_platform__old_withdrawn_new_active(couriers):
    old = declare(couriers.courier, couriers.tree.estate)

    new = declaration_change(actor=couriers.courier, declaration=old, group=EmploymentGroup.RIDER, platform="饿了么")

    old.refresh_from_db()
    assert old.revoked_at is not None and new.revoked_at is None
    assert (new.group, new.platform, new.place) == (EmploymentGroup.RIDER, "饿了么", couriers.tree.estate)
    assert list(EmploymentDeclaration.objects.filter(person=couriers.tree.owner).values_list("platform", flat=True)
                .order_by("pk")) == ["顺丰", "饿了么"]


def test_declaration_change__nothing_changed__refused(couriers, nothing_written):
    old = declare(couriers.courier, couriers.tree.estate)

    with nothing_written(), pytest.raises(ValidationError):
        declaration_change(actor=couriers.courier, declaration=old, group=EmploymentGroup.COURIER, platform="顺丰")


# --- zones ----------------------------------------------------------------------------------------------------

def test_zone_create__within_floor_area__created(couriers):
    zone_create(actor=couriers.worker, facility=couriers.home, name="先锋议事区", area_m2=Decimal("150"))
    zone = zone_create(actor=couriers.worker, facility=couriers.home, name="服务区", area_m2=Decimal("350"))

    assert zone.area_m2 == Decimal("350")
    assert FacilityZone.objects.filter(facility=couriers.home).count() == 2


def test_zone_create__above_floor_area__refused(couriers, nothing_written):
    zone_create(actor=couriers.worker, facility=couriers.home, name="先锋议事区", area_m2=Decimal("450"))

    with nothing_written(), pytest.raises(ValidationError) as error:
        zone_create(actor=couriers.worker, facility=couriers.home, name="服务区", area_m2=Decimal("50.01"))

    assert list(error.value.message_dict) == ["area_m2"]


@pytest.mark.parametrize("area", [Decimal("0"), Decimal("-5")])
def test_zone_create__area_not_positive__refused(couriers, nothing_written, area):
    with nothing_written(), pytest.raises(ValidationError):
        zone_create(actor=couriers.worker, facility=couriers.home, name="服务区", area_m2=area)


def test_zone_update__grow_beyond_floor_area__refused_own_area_not_counted_twice(couriers):
    zone = zone_create(actor=couriers.worker, facility=couriers.home, name="服务区", area_m2=Decimal("400"))

    zone_update(actor=couriers.worker, zone=zone, name="服务区", area_m2=Decimal("500"))
    with pytest.raises(ValidationError):
        zone_update(actor=couriers.worker, zone=zone, name="服务区", area_m2=Decimal("500.5"))

    zone.refresh_from_db()
    assert zone.area_m2 == Decimal("500")


def test_zone_create__not_a_facility__refused(couriers, nothing_written):
    with nothing_written(), pytest.raises(ValidationError):
        zone_create(actor=couriers.worker, facility=couriers.tree.estate, name="服务区")


@pytest.mark.parametrize("who", ["grid", "outsider", "courier"])
def test_zone_create__without_manage__forbidden(couriers, nothing_written, who):
    with nothing_written(), pytest.raises(PermissionDenied):
        zone_create(actor=getattr(couriers, who), facility=couriers.home, name="服务区")


# --- the council ---------------------------------------------------------------------------------------------

def test_council__is_a_core_organisation_at_the_home(couriers):
    assert (couriers.council.kind, couriers.council.place) == (OrganisationKind.COURIERS_COUNCIL, couriers.home)


def test_council_member_add__without_declaration__refused(couriers, nothing_written):
    with nothing_written(), pytest.raises(ValidationError):
        council_member_add(actor=couriers.worker, council=couriers.council, person=couriers.tree.owner)


def test_council_item_file__member__a_case_at_the_home_for_the_council(couriers):
    declare(couriers.courier, couriers.tree.estate)
    council_member_add(actor=couriers.worker, council=couriers.council, person=couriers.tree.owner, position="委员")

    case = council_item_file(actor=couriers.courier, council=couriers.council,
                             description="地下室电动车充电桩不够用，晚上排队到十点")

    assert (case.category.code, case.place, case.place_path, case.stage, case.channel, case.reporter) == (
        "courier-council-item", couriers.home, couriers.home.path, Stage.COLLECT, Channel.WEB, couriers.courier)
    assert case.category.handler_kind == OrganisationKind.COURIERS_COUNCIL
    assert case.unit_path == couriers.tree.community.path


def test_council_item_file__staff__on_the_spot(couriers):
    case = council_item_file(actor=couriers.worker, council=couriers.council,
                             description="小区门口需要快递临时停车点，请议一议")

    assert (case.channel, case.recorded_by, case.place) == (Channel.STAFF, couriers.worker, couriers.home)


@pytest.mark.parametrize("who", ["courier", "grid", "outsider"])
def test_council_item_file__not_member_nor_staff__forbidden(couriers, nothing_written, who):
    with nothing_written(), pytest.raises(PermissionDenied):
        council_item_file(actor=getattr(couriers, who), council=couriers.council,
                          description="地下室电动车充电桩不够用，晚上排队到十点")
    assert Case.objects.count() == 0


def test_council_item_file__former_member__forbidden(couriers, make_user):
    declare(couriers.courier, couriers.tree.estate)
    membership = council_member_add(actor=couriers.worker, council=couriers.council, person=couriers.tree.owner)
    membership.term_to = clock.today().replace(year=clock.today().year - 1)
    membership.term_from = membership.term_to.replace(month=1, day=1)
    membership.save()

    with pytest.raises(PermissionDenied):
        council_item_file(actor=couriers.courier, council=couriers.council, description="地下室电动车充电桩不够用了")


def test_is_new_employment_family__role_irrelevant__reads_active_declarations(couriers, make_user):
    staff = make_user(RoleKind.STREET_STAFF, couriers.tree.street)
    declaration_create(actor=staff, person=couriers.tree.owner, group=EmploymentGroup.COURIER, platform="圆通",
                       place=couriers.tree.estate)

    assert is_new_employment_family(couriers.child) is True
