"""The skeleton's own checks: enterprises enter the ledger with their scope, and each kind of user reaches the
firms they should (street staff their street's, a commissioner their buildings', a contact their own)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from commonground.business.ledgers_selectors import access_enterprise, enterprises_visible
from commonground.business.services.ledgers import enterprise_create, tax_record_set

from .business_fixtures import TODAY, make_credit_code

pytestmark = pytest.mark.django_db


def test_enterprise_create__registered_not_present__scoped_by_registration_building(business):
    assert business.absent.place_path == business.office.path
    assert business.absent.community_path == business.community.path
    assert business.absent.street_path == business.tree.street.path


def test_enterprise_create__bad_check_character__refused_and_nothing_written(business, nothing_written):
    code = make_credit_code(9)
    wrong = code[:17] + ("0" if code[17] != "0" else "1")
    with nothing_written(), pytest.raises(ValidationError) as error:
        enterprise_create(actor=business.staff, credit_code=wrong, name="某公司", registered_on=TODAY,
                          building=business.office)
    assert "credit_code" in error.value.message_dict


def test_enterprise_create__code_already_in_ledger__refused(business):
    with pytest.raises(ValidationError) as error:
        enterprise_create(actor=business.staff, credit_code=business.star.credit_code.lower(), name="同码公司",
                          registered_on=TODAY, building=business.office)
    assert error.value.message_dict["credit_code"] == ["An enterprise with this credit code is already in the ledger."]


def test_enterprises_visible__each_user__their_firms(business):
    def names(user):
        return set(enterprises_visible(user).values_list("name", flat=True))

    assert names(business.staff) == {business.star.name, business.cloud.name, business.absent.name}
    assert names(business.far_staff) == {business.far.name}
    # the commissioner is assigned 武林大厦 only: its present firm and the one registered there but absent
    assert names(business.commissioner_user) == {business.star.name, business.absent.name}
    assert names(business.contact) == {business.star.name}


def test_access_enterprise__other_street__404(business):
    with pytest.raises(Http404):
        access_enterprise(business.far_staff, business.star.credit_code)
    with pytest.raises(Http404):
        access_enterprise(business.contact, business.cloud.credit_code)
    assert access_enterprise(business.commissioner_user, business.star.credit_code) == business.star


def test_tax_record_set__copies_scope_and_refuses_negative(business):
    record = tax_record_set(actor=business.staff, enterprise=business.star, year=2024, month=3,
                            amount=Decimal("12000.50"))
    assert record.community_path == business.community.path
    with pytest.raises(ValidationError):
        tax_record_set(actor=business.staff, enterprise=business.star, year=2024, month=4, amount=Decimal("-1"))


def test_access_enterprise__nul_or_odd_characters__404_without_a_query(business, django_assert_num_queries):
    for code in ("\x00", "91330105\x00", "a' OR 1=1", "9" * 19):
        with django_assert_num_queries(0), pytest.raises(Http404):
            access_enterprise(business.staff, code)


def test_pages_and_api__nul_in_the_code__404(client, business):
    client.force_login(business.staff)
    for url in ("/business/enterprises/%00/", "/business/buildings/%00/", "/api/business/enterprises/%00/profile",
                "/api/business/enterprises/%00"):
        assert client.get(url).status_code in (404, 422), url
