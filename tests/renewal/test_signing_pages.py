"""The signing and flat-choice pages and API as each user meets them."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from commonground.core import clock
from commonground.core.tables import csv_bytes
from commonground.renewal.agreement_pdf import yuan_in_capitals
from commonground.renewal.models import Agreement, AgreementStatus, NewFlat, OptionKind, Signature
from commonground.renewal.services.flats import new_flats_import
from tests.conftest import start_clock_on
from tests.renewal.signing_helpers import (  # noqa: F401  (fixtures)
    SIGNING_DAY,
    household_of,
    offers_fixture,
    sign_fully,
    signing_clock_fixture,
)

pytestmark = pytest.mark.usefixtures("signing_clock")


def png() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (20, 30), "white").save(out, format="PNG")
    return SimpleUploadedFile("scan.png", out.getvalue(), content_type="image/png")


def test_yuan_in_capitals__amounts__as_financial_writing():
    from decimal import Decimal

    assert yuan_in_capitals(Decimal("1234.50")) == "壹仟贰佰叁拾肆元伍角整"
    assert yuan_in_capitals(Decimal("100100")) == "壹拾万零壹佰元整"
    assert yuan_in_capitals(Decimal("-70605.10")) == "柒万零陆佰零伍元壹角整"
    assert yuan_in_capitals(Decimal("1000000.07")) == "壹佰万元零柒分"


def test_household_page__office_draws_signs_scans_in_the_browser__signed_with_number(client, campaign, offers):
    client.force_login(campaign.office)
    household = household_of(campaign, 1)
    url = f"/renewal/households/{household.pk}/"

    page = client.get(url).content.decode()
    assert 'id="agreement"' in page and "agreement/draw/" in page
    response = client.post(f"{url}agreement/draw/", {"option": OptionKind.EXCHANGE})
    assert response.status_code == 302
    agreement = Agreement.objects.get(household=household)
    for person in household.owners.order_by("pk"):
        response = client.post(f"/renewal/agreements/{agreement.pk}/sign/", {"person": person.pk, "witness": "王组长"})
        assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.SIGNED and agreement.sequence == 1

    assert client.post(f"/renewal/agreements/{agreement.pk}/scan/", {"scan": png()}).status_code == 302
    assert client.get(f"/renewal/agreements/{agreement.pk}/scan/file/")["Content-Type"] == "image/png"
    pdf = client.get(f"/renewal/agreements/{agreement.pk}/pdf/")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    page = client.get(url).content.decode()
    assert "王组长" in page and "/scan/file/" in page and "/cancel/" in page


def test_household_page__sign_for_a_non_owner__400_nothing_signed(client, campaign, offers):
    client.force_login(campaign.office)
    household = household_of(campaign, 0)
    client.post(f"/renewal/households/{household.pk}/agreement/draw/", {"option": OptionKind.CASH})
    agreement = Agreement.objects.get(household=household)

    response = client.post(f"/renewal/agreements/{agreement.pk}/sign/", {"person": campaign.owners[5].pk})

    assert response.status_code == 400
    assert not Signature.objects.exists()


def test_household_page__cancel_with_reason__cancelled(client, campaign, offers):
    client.force_login(campaign.office)
    with clock.frozen_at(SIGNING_DAY):
        agreement = sign_fully(campaign, household_of(campaign, 0))

    assert client.post(f"/renewal/agreements/{agreement.pk}/cancel/", {"reason": ""}).status_code == 400
    assert client.post(f"/renewal/agreements/{agreement.pk}/cancel/", {"reason": "重新协商"}).status_code == 302
    assert Agreement.objects.get(pk=agreement.pk).status == AgreementStatus.CANCELLED


def test_agreement_pages__owner__reads_own_agreement_cannot_sign_or_see_others(client, campaign, offers):
    with clock.frozen_at(SIGNING_DAY):
        own = agreement = sign_fully(campaign, household_of(campaign, 0))
        other = sign_fully(campaign, household_of(campaign, 3))
    client.force_login(campaign.owner)

    assert client.get(f"/renewal/agreements/{own.pk}/pdf/").status_code == 200
    page = client.get(f"/renewal/households/{household_of(campaign, 0).pk}/").content.decode()
    assert "agreement/draw/" not in page and "/cancel/" not in page
    assert client.post(f"/renewal/agreements/{agreement.pk}/cancel/", {"reason": "x"}).status_code == 403
    assert client.get(f"/renewal/agreements/{other.pk}/pdf/").status_code == 404
    assert client.get(f"/api/renewal/agreements/{own.pk}").status_code == 200
    assert client.get(f"/api/renewal/agreements/{other.pk}").status_code == 404
    assert client.post(f"/api/renewal/agreements/{own.pk}/cancel", {"reason": "x"},
                       content_type="application/json").status_code == 403
    listed = client.get(f"/api/renewal/projects/{campaign.project.pk}/agreements").json()
    assert [item["id"] for item in listed["items"]] == [own.pk]


def test_agreement_pages__member_of_other_group__404(client, campaign, offers):
    with clock.frozen_at(SIGNING_DAY):
        other = sign_fully(campaign, household_of(campaign, 7))
        own = sign_fully(campaign, household_of(campaign, 0))
    client.force_login(campaign.member)

    assert client.get(f"/renewal/agreements/{other.pk}/pdf/").status_code == 404
    assert client.post(f"/renewal/agreements/{other.pk}/cancel/", {"reason": "x"}).status_code == 404
    assert client.get(f"/api/renewal/agreements/{other.pk}").status_code == 404
    listed = client.get(f"/renewal/{campaign.project.pk}/agreements/").content.decode()
    assert campaign.flats[0].name in listed and campaign.flats[7].name not in listed
    assert client.get(f"/api/renewal/projects/{campaign.project.pk}/agreements").json()["count"] == 1
    assert client.get(f"/renewal/agreements/{own.pk}/pdf/").status_code == 200


def test_agreement_pages__outsider__404(client, campaign, offers):
    with clock.frozen_at(SIGNING_DAY):
        agreement = sign_fully(campaign, household_of(campaign, 0))
    client.force_login(campaign.outsider)
    pk = campaign.project.pk

    for url in (f"/renewal/{pk}/agreements/", f"/renewal/{pk}/flats/", f"/renewal/{pk}/flats/board/",
                f"/renewal/agreements/{agreement.pk}/pdf/", f"/api/renewal/agreements/{agreement.pk}",
                f"/api/renewal/projects/{pk}/agreements/state", f"/api/renewal/projects/{pk}/new-flats/board"):
        assert client.get(url).status_code == 404, url


def test_agreements_tab__office__state_count_deadline_and_numbers(client, campaign, offers):
    with clock.frozen_at(SIGNING_DAY):
        sign_fully(campaign, household_of(campaign, 0))
    client.force_login(campaign.office)

    page = client.get(f"/renewal/{campaign.project.pk}/agreements/").content.decode()

    assert "2023-06-30" in page and "1 of 11" in page and "9 needed" in page
    state = client.get(f"/api/renewal/projects/{campaign.project.pk}/agreements/state").json()
    assert (state["state"], state["signed"], state["needed"], state["deadline"]) == ("pending", 1, 9, "2023-06-30")


def test_flats_tab__office_imports_chooses_in_turn_board_shows_it(client, campaign, offers):
    with clock.frozen_at(SIGNING_DAY):
        first = sign_fully(campaign, household_of(campaign, 0))
        sign_fully(campaign, household_of(campaign, 2))
    client.force_login(campaign.office)
    pk = campaign.project.pk
    data = csv_bytes(["building", "floor", "number", "area_m2", "orientation"],
                     [["新1幢", 3, "301", "60.00", "南"], ["新1幢", 3, "302", "120.00", "北"]])

    response = client.post(f"/renewal/{pk}/flats/import/", {"file": SimpleUploadedFile("f.csv", data)})
    assert response.status_code == 302
    page = client.get(f"/renewal/{pk}/flats/").content.decode()
    assert 'hx-trigger="every 5s"' in page and "301" in page
    flat = NewFlat.objects.get(number="301")
    too_big = NewFlat.objects.get(number="302")

    assert client.post(f"/renewal/{pk}/flats/choose/", {"household": first.household_id,
                                                         "flat": too_big.pk}).status_code == 400
    assert client.post(f"/renewal/{pk}/flats/choose/", {"household": first.household_id,
                                                         "flat": flat.pk}).status_code == 302
    board = client.get(f"/renewal/{pk}/flats/board/").content.decode()
    assert "1 left, 1 chosen" in board
    api = client.get(f"/api/renewal/projects/{pk}/new-flats/board").json()
    assert (api["left"], api["chosen"]) == (1, 1)


def test_flat_choice_api__taken_flat__400_with_clear_message(client, campaign, offers):
    with clock.frozen_at(SIGNING_DAY):
        first = sign_fully(campaign, household_of(campaign, 0))
        second = sign_fully(campaign, household_of(campaign, 2))
    flat = new_flats_import(actor=campaign.office, project=campaign.project,
                            rows=[{"building": "新1幢", "floor": 3, "number": "301", "area_m2": "60"}])[0]
    client.force_login(campaign.office)

    ok = client.post(f"/api/renewal/new-flats/{flat.pk}/choose", {"household": first.household_id},
                     content_type="application/json")
    assert ok.status_code == 200 and ok.json()["chosen"]
    skip = client.post(f"/api/renewal/households/{second.household_id}/flat-turn/skip", content_type="application/json")
    assert skip.status_code == 200
    taken = client.post(f"/api/renewal/new-flats/{flat.pk}/choose", {"household": second.household_id},
                        content_type="application/json")
    assert taken.status_code == 400
    assert "just been chosen by another household" in str(taken.json()["detail"])


def test_agreement_api__office_draws_signs_cancels(client, campaign, offers):
    client.force_login(campaign.office)
    household = household_of(campaign, 0)

    drawn = client.post(f"/api/renewal/households/{household.pk}/agreement", {"option": "cash"},
                        content_type="application/json")
    assert drawn.status_code == 201, drawn.content
    pk = drawn.json()["id"]
    signed = client.post(f"/api/renewal/agreements/{pk}/signatures", {"person": campaign.owners[0].pk,
                                                                      "witness": "王组长"},
                         content_type="application/json")
    assert signed.status_code == 200 and signed.json()["sequence"] == 1
    assert client.get(f"/api/renewal/households/{household.pk}/agreement").json()["status"] == "signed"
    scanned = client.post(f"/api/renewal/agreements/{pk}/scan", {"scan": png()})
    assert scanned.status_code == 200 and scanned.json()["has_scan"]
    cancelled = client.post(f"/api/renewal/agreements/{pk}/cancel", {"reason": "重新协商"},
                            content_type="application/json")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"


def test_agreement_draw_page__after_the_signing_period__refused_400(client, campaign, offers):
    start_clock_on(datetime.date(2023, 7, 2))
    client.force_login(campaign.office)
    household = household_of(campaign, 0)

    response = client.post(f"/renewal/households/{household.pk}/agreement/draw/", {"option": "cash"})

    assert response.status_code == 400
    assert not Agreement.objects.exists()


def test_signing_pages__owner__sees_state_and_board_cannot_sign_choose_or_skip(client, campaign, offers):
    with clock.frozen_at(SIGNING_DAY):
        own = sign_fully(campaign, household_of(campaign, 0))
        drawn = Agreement.objects.create(household=household_of(campaign, 1), rule_set=own.rule_set, option="cash",
                                         total=own.total, lines=own.lines, drawn_by=campaign.office)
    flat = new_flats_import(actor=campaign.office, project=campaign.project,
                            rows=[{"building": "新1幢", "floor": 3, "number": "301", "area_m2": "60"}])[0]
    client.force_login(campaign.owner)
    pk = campaign.project.pk

    agreements_page = client.get(f"/renewal/{pk}/agreements/").content.decode()
    flats_page = client.get(f"/renewal/{pk}/flats/").content.decode()

    assert "1 of 11" in agreements_page and campaign.flats[1].name not in agreements_page
    assert "301" in flats_page and "flats/choose/" not in flats_page and "flats/import/" not in flats_page
    assert client.post(f"/renewal/agreements/{drawn.pk}/sign/", {"person": campaign.owners[1].pk}).status_code == 404
    assert client.post(f"/renewal/agreements/{own.pk}/scan/", {"scan": png()}).status_code == 403
    assert client.post(f"/renewal/{pk}/flats/choose/", {"household": own.household_id,
                                                         "flat": flat.pk}).status_code == 403
    assert client.post(f"/api/renewal/new-flats/{flat.pk}/choose", {"household": own.household_id},
                       content_type="application/json").status_code == 403
    assert client.post(f"/renewal/{pk}/flats/import/", {"file": SimpleUploadedFile("f.csv", b"x")}).status_code == 403
    assert not NewFlat.objects.filter(chosen_by__isnull=False).exists()


def test_new_flats_api__office_adds_rows_member_may_not__list_and_left_filter(client, campaign):
    pk = campaign.project.pk
    rows = [{"building": "新1幢", "floor": 3, "number": "301", "area_m2": "60.00", "orientation": "南"},
            {"building": "新1幢", "floor": 3, "number": "302", "area_m2": "75.50"}]
    client.force_login(campaign.member)
    assert client.post(f"/api/renewal/projects/{pk}/new-flats", rows, content_type="application/json").status_code \
        == 403
    client.force_login(campaign.office)

    added = client.post(f"/api/renewal/projects/{pk}/new-flats", rows, content_type="application/json")
    again = client.post(f"/api/renewal/projects/{pk}/new-flats", rows[:1], content_type="application/json")

    assert added.status_code == 201 and [f["number"] for f in added.json()] == ["301", "302"]
    assert again.status_code == 400 and "already in the inventory" in str(again.json()["detail"])
    listed = client.get(f"/api/renewal/projects/{pk}/new-flats?left=true").json()
    assert listed["count"] == 2 and listed["items"][1]["area_m2"] == "75.50"


def test_agreements_and_flats_pages__one_or_many_rows__same_queries(client, campaign, offers):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(campaign.office)
    pk = campaign.project.pk

    def counts() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as agreements_page:
            assert client.get(f"/renewal/{pk}/agreements/").status_code == 200
        with CaptureQueriesContext(connection) as board:
            assert client.get(f"/renewal/{pk}/flats/board/").status_code == 200
        return len(agreements_page), len(board)

    with clock.frozen_at(SIGNING_DAY):
        sign_fully(campaign, household_of(campaign, 0))
    new_flats_import(actor=campaign.office, project=campaign.project,
                     rows=[{"building": "新1幢", "floor": 3, "number": "301", "area_m2": "60"}])
    one = counts()
    with clock.frozen_at(SIGNING_DAY):
        for i in (2, 3, 4, 5):
            sign_fully(campaign, household_of(campaign, i))
    new_flats_import(actor=campaign.office, project=campaign.project,
                     rows=[{"building": f"新{b}幢", "floor": f, "number": f"{f}01", "area_m2": "60"}
                           for b in (1, 2) for f in (4, 5, 6)])

    assert counts() == one
