"""The couriers' pages and API: who sees what (declared people only for staff in scope, masked for grid workers),
declaring and withdrawing on the page, the council's items, zones for staff, exports; fixed query counts."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commonground.cases.models import Case
from commonground.core.models import PlaceKind, RoleKind
from commonground.core.services.people import household_create, person_create
from commonground.core.services.places import place_create
from commonground.programs.models import EmploymentDeclaration, EmploymentGroup, FacilityZone
from commonground.programs.services.groups import council_member_add, declaration_create
from tests.conftest import make_id_number

from .groups_fixtures import declare


def login(client, user):
    client.force_login(user)
    return client


def test_couriers_home__resident_of_the_community__sees_the_home(couriers, client):
    response = login(client, couriers.courier).get("/programs/couriers/", follow=True)

    assert response.redirect_chain == [(f"/programs/couriers/homes/{couriers.home.pk}/", 302)]
    text = response.content.decode()
    assert "竹竿巷小哥之家" in text and "竹竿巷小哥治家会" in text
    assert "/programs/couriers/declarations/" not in text  # declared people: staff only


def test_couriers_home__postings_for_couriers_families_in_the_street__shown_others_not(couriers, client):
    from commonground.programs.models import PostingAudience

    from .jobs_fixtures import make_posting

    make_posting(couriers.worker, couriers.tree.community, title="小哥家属分拣岗",
                 audience=PostingAudience.COURIER_FAMILIES)
    make_posting(couriers.worker, couriers.tree.community, title="面向所有人的前台岗",
                 audience=PostingAudience.EVERYONE)
    make_posting(couriers.worker, couriers.tree.community, title="草稿岗位", publish=False,
                 audience=PostingAudience.NEW_EMPLOYMENT)

    text = login(client, couriers.courier).get(f"/programs/couriers/homes/{couriers.home.pk}/").content.decode()

    assert "小哥家属分拣岗" in text
    assert "面向所有人的前台岗" not in text and "草稿岗位" not in text
    assert "No couriers' meeting at the home yet." in text


def test_couriers_home__user_of_another_street__chooser_lists_the_homes(couriers, client):
    response = login(client, couriers.outsider).get("/programs/couriers/", follow=True)

    assert response.redirect_chain == [("/programs/couriers/homes/", 302)]
    assert f"/programs/couriers/homes/{couriers.home.pk}/" in response.content.decode()


def test_couriers_home_detail__not_a_home__404(couriers, client):
    assert login(client, couriers.courier).get(
        f"/programs/couriers/homes/{couriers.tree.estate.pk}/").status_code == 404


def test_couriers_home__anonymous__sent_to_login(couriers, client):
    assert client.get("/programs/couriers/").status_code == 302


def test_declaration_page__declare_then_withdraw(couriers, client):
    login(client, couriers.courier)

    response = client.post("/programs/couriers/declaration/", {
        "group": EmploymentGroup.COURIER, "platform": "中通", "place": couriers.tree.estate.pk})
    assert response.status_code == 302
    item = EmploymentDeclaration.objects.get()
    assert (item.platform, item.revoked_at) == ("中通", None)
    assert "中通" in client.get("/programs/couriers/declaration/").content.decode()

    assert client.post(f"/programs/couriers/declaration/{item.pk}/withdraw/").status_code == 302
    item.refresh_from_db()
    assert item.revoked_at is not None


def test_declaration_page__change_platform__history_kept(couriers, client):
    declare(couriers.courier, couriers.tree.estate)
    login(client, couriers.courier)

    client.post("/programs/couriers/declaration/", {
        "group": EmploymentGroup.RIDER, "platform": "美团", "place": couriers.tree.estate.pk})

    assert [(d.platform, d.active) for d in EmploymentDeclaration.objects.order_by("pk")] == [
        ("顺丰", False), ("美团", True)]


def test_declaration_page__other_estate__400_nothing_saved(couriers, client):
    response = login(client, couriers.courier).post("/programs/couriers/declaration/", {
        "group": EmploymentGroup.COURIER, "platform": "中通", "place": couriers.tree.neighbour_estate.pk})

    assert response.status_code == 400
    assert EmploymentDeclaration.objects.count() == 0


def test_declaration_withdraw__someone_elses__404(couriers, client, make_user):
    item = declare(couriers.courier, couriers.tree.estate)
    stranger = make_user(RoleKind.RESIDENT, couriers.tree.neighbour_estate, person=couriers.tree.neighbour_owner)

    assert login(client, stranger).post(f"/programs/couriers/declaration/{item.pk}/withdraw/").status_code == 404
    assert login(client, couriers.outsider).post(
        f"/programs/couriers/declaration/{item.pk}/withdraw/").status_code == 404
    item.refresh_from_db()
    assert item.revoked_at is None


def test_declaration_withdraw__grid_worker_sees_but_may_not__403(couriers, client):
    item = declare(couriers.courier, couriers.tree.estate)

    assert login(client, couriers.grid).post(f"/programs/couriers/declaration/{item.pk}/withdraw/").status_code == 403
    item.refresh_from_db()
    assert item.revoked_at is None


def test_declarations__worker_full_grid_masked_outsider_none_resident_403(couriers, client):
    declare(couriers.courier, couriers.tree.estate)

    worker = login(client, couriers.worker).get("/programs/couriers/declarations/").content.decode()
    grid = login(client, couriers.grid).get("/programs/couriers/declarations/").content.decode()
    outsider = login(client, couriers.outsider).get("/programs/couriers/declarations/").content.decode()

    assert "张三" in worker and "13800000001" in worker
    assert "张**" in grid and "138****0001" in grid and "张三" not in grid and "13800000001" not in grid
    assert "张" not in outsider.split("<tbody>")[1].split("</tbody>")[0]
    assert login(client, couriers.courier).get("/programs/couriers/declarations/").status_code == 403


def test_declarations__withdrawn__not_listed(couriers, client):
    item = declare(couriers.courier, couriers.tree.estate)
    login(client, couriers.courier).post(f"/programs/couriers/declaration/{item.pk}/withdraw/")

    text = login(client, couriers.worker).get("/programs/couriers/declarations/").content.decode()
    assert "张三" not in text


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content if response.streaming else
                                                  [response.content]).decode("utf-8-sig"))))


def test_declarations_export__masked_as_the_role_requires(couriers, client):
    declare(couriers.courier, couriers.tree.estate)

    worker = _csv(login(client, couriers.worker).get("/programs/couriers/declarations/export.csv"))
    grid = _csv(login(client, couriers.grid).get("/programs/couriers/declarations/export.csv"))
    outsider = _csv(login(client, couriers.outsider).get("/programs/couriers/declarations/export.csv"))

    assert worker[1][:4] == ["张三", "13800000001", "parcel courier", "顺丰"]
    assert grid[1][:2] == ["张**", "138****0001"]
    assert len(outsider) == 1
    assert login(client, couriers.courier).get("/programs/couriers/declarations/export.xlsx").status_code == 403


def test_council_page__member_files_an_item__a_case_at_the_home(couriers, client):
    declare(couriers.courier, couriers.tree.estate)
    council_member_add(actor=couriers.worker, council=couriers.council, person=couriers.tree.owner, position="委员")
    login(client, couriers.courier)

    response = client.post(f"/programs/couriers/homes/{couriers.home.pk}/council/",
                           {"description": "地下室电动车充电桩不够用，晚上排队到十点"})

    assert response.status_code == 302
    case = Case.objects.get()
    assert (case.place, case.reporter) == (couriers.home, couriers.courier)
    assert case.number in client.get(f"/programs/couriers/homes/{couriers.home.pk}/council/").content.decode()


def test_council_page__not_a_member__no_form_and_post_403(couriers, client):
    login(client, couriers.courier)

    page = client.get(f"/programs/couriers/homes/{couriers.home.pk}/council/")
    response = client.post(f"/programs/couriers/homes/{couriers.home.pk}/council/",
                           {"description": "地下室电动车充电桩不够用，晚上排队到十点"})

    assert page.status_code == 200 and 'data-action="file-item"' not in page.content.decode()
    assert response.status_code == 403
    assert Case.objects.count() == 0


def test_council_page__member_names_masked_for_residents(couriers, client):
    declare(couriers.courier, couriers.tree.estate)
    council_member_add(actor=couriers.worker, council=couriers.council, person=couriers.tree.owner, position="会长")

    resident = login(client, couriers.courier).get(f"/programs/couriers/homes/{couriers.home.pk}/council/")
    staff = login(client, couriers.worker).get(f"/programs/couriers/homes/{couriers.home.pk}/council/")

    assert "会长 张**" in resident.content.decode()
    assert "会长 张三" in staff.content.decode()


def test_zones_page__worker_adds__grid_and_resident_403(couriers, client):
    url = f"/programs/couriers/homes/{couriers.home.pk}/zones/"

    assert login(client, couriers.grid).post(url, {"name": "服务区", "area_m2": "100"}).status_code == 403
    assert login(client, couriers.courier).get(url).status_code == 403
    assert login(client, couriers.worker).post(url, {"name": "服务区", "area_m2": "100"}).status_code == 302
    over = client.post(url, {"name": "活动充电区", "area_m2": "400.5"})

    assert over.status_code == 400
    assert list(FacilityZone.objects.values_list("name", "area_m2")) == [("服务区", 100)]


def test_zone_edit__outsider__404(couriers, client):
    from commonground.programs.services.groups import zone_create

    zone = zone_create(actor=couriers.worker, facility=couriers.home, name="服务区")

    assert login(client, couriers.outsider).get(f"/programs/couriers/zones/{zone.pk}/").status_code == 404
    assert login(client, couriers.worker).get(f"/programs/couriers/zones/{zone.pk}/").status_code == 200


# --- API -----------------------------------------------------------------------------------------------------

def test_api_declarations__declare_list_revoke(couriers, client):
    login(client, couriers.courier)

    created = client.post("/api/programs/couriers/declarations", {
        "group": "courier", "platform": "圆通", "place": couriers.tree.estate.pk}, content_type="application/json")
    assert created.status_code == 200, created.content
    pk = created.json()["id"]
    assert [d["platform"] for d in client.get("/api/programs/couriers/declarations/mine").json()] == ["圆通"]
    assert client.get("/api/programs/couriers/declarations").status_code == 403

    grid = login(client, couriers.grid).get("/api/programs/couriers/declarations").json()
    assert (grid["count"], grid["items"][0]["person_name"], grid["items"][0]["person_phone"]) == (
        1, "张**", "138****0001")
    assert login(client, couriers.outsider).get("/api/programs/couriers/declarations").json()["count"] == 0
    assert login(client, couriers.worker).get("/api/programs/couriers/declarations").json()["items"][0][
        "person_name"] == "张三"

    assert login(client, couriers.courier).post(f"/api/programs/couriers/declarations/{pk}/revoke").json()[
        "active"] is False
    assert login(client, couriers.worker).get("/api/programs/couriers/declarations").json()["count"] == 0


def test_api_declarations__second_active__400(couriers, client):
    declare(couriers.courier, couriers.tree.estate)

    response = login(client, couriers.courier).post("/api/programs/couriers/declarations", {
        "group": "courier", "platform": "圆通", "place": couriers.tree.estate.pk}, content_type="application/json")

    assert response.status_code == 400
    assert EmploymentDeclaration.objects.count() == 1


def test_api_declarations__staff_for_a_resident_outside_scope__404(couriers, client):
    response = login(client, couriers.outsider).post("/api/programs/couriers/declarations", {
        "group": "courier", "platform": "圆通", "place": couriers.tree.estate.pk, "person": couriers.tree.owner.pk},
        content_type="application/json")

    assert response.status_code == 404
    assert EmploymentDeclaration.objects.count() == 0


def test_api_home__facts_zones_items(couriers, client):
    from commonground.programs.services.groups import council_item_file, zone_create

    zone_create(actor=couriers.worker, facility=couriers.home, name="服务区", area_m2=200)
    council_item_file(actor=couriers.worker, council=couriers.council, description="小区门口需要快递临时停车点")

    data = login(client, couriers.courier).get(f"/api/programs/couriers/homes/{couriers.home.pk}").json()

    assert (data["name"], data["floor_area_m2"], data["council"], data["zones_area_m2"]) == (
        "竹竿巷小哥之家", "500.00", "竹竿巷小哥治家会", "200.00")
    assert (data["council_items_open"], data["council_items_solved"]) == (1, 0)
    assert data["latest_council_items"][0]["stage"] == "collect"
    assert [h["name"] for h in client.get("/api/programs/couriers/homes").json()] == ["竹竿巷小哥之家"]


def test_api_council_item__member_files__non_member_403(couriers, client):
    url = f"/api/programs/couriers/homes/{couriers.home.pk}/council/items"
    body = {"description": "地下室电动车充电桩不够用，晚上排队到十点"}

    assert login(client, couriers.courier).post(url, body, content_type="application/json").status_code == 403
    declare(couriers.courier, couriers.tree.estate)
    council_member_add(actor=couriers.worker, council=couriers.council, person=couriers.tree.owner)
    response = client.post(url, body, content_type="application/json")

    assert response.status_code == 200
    assert Case.objects.get().number == response.json()["number"]


# --- query counts --------------------------------------------------------------------------------------------

def _more_declarations(couriers, n: int) -> None:
    for i in range(n):
        person = person_create(name=f"快递员{i}", id_number=make_id_number(seq=100 + i), phone=f"139000000{i:02d}")
        flat = place_create(code=f"{couriers.tree.corridor.code}-{201 + i}", name=f"{201 + i}室",
                            kind=PlaceKind.FLAT, parent=couriers.tree.corridor)
        household_create(flat=flat, head=person)
        declaration_create(actor=couriers.worker, person=person, group=EmploymentGroup.COURIER,
                           platform=["顺丰", "中通", "美团"][i % 3], place=couriers.tree.estate)


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", ["/programs/couriers/declarations/", "/programs/couriers/declarations/export.csv",
                                 "/api/programs/couriers/declarations", "/programs/couriers/homes/{home}/",
                                 "/api/programs/couriers/homes/{home}", "/programs/couriers/homes/{home}/council/"])
def test_query_count__same_for_one_and_many_rows(couriers, client, url):
    from commonground.programs.services.groups import council_item_file, zone_create

    url = url.format(home=couriers.home.pk)
    declare(couriers.courier, couriers.tree.estate)
    council_member_add(actor=couriers.worker, council=couriers.council, person=couriers.tree.owner)
    zone_create(actor=couriers.worker, facility=couriers.home, name="服务区", area_m2=100)
    council_item_file(actor=couriers.worker, council=couriers.council, description="小区门口需要快递临时停车点")
    login(client, couriers.worker)
    one = _count(client, url)

    _more_declarations(couriers, 6)
    zone_create(actor=couriers.worker, facility=couriers.home, name="活动充电区", area_m2=100)
    for _ in range(4):
        council_item_file(actor=couriers.worker, council=couriers.council, description="地下室电动车充电桩不够用")
    many = _count(client, url)

    assert many == one


def test_declarations_desk__worker_records_for_a_resident(couriers, client):
    response = login(client, couriers.worker).post("/programs/couriers/declarations/", {
        "id_number": couriers.tree.owner.id_number, "group": EmploymentGroup.DRIVER, "platform": "滴滴"})

    assert response.status_code == 302
    item = EmploymentDeclaration.objects.get()
    assert (item.person, item.place, item.declared_by, item.platform) == (
        couriers.tree.owner, couriers.tree.estate, couriers.worker, "滴滴")


def test_declarations_desk__resident_of_another_street__not_found_nothing_saved(couriers, client):
    response = login(client, couriers.outsider).post("/programs/couriers/declarations/", {
        "id_number": couriers.tree.owner.id_number, "group": EmploymentGroup.DRIVER, "platform": "滴滴"})

    assert response.status_code == 400
    assert EmploymentDeclaration.objects.count() == 0


def test_declarations_desk__grid_worker__403(couriers, client):
    response = login(client, couriers.grid).post("/programs/couriers/declarations/", {
        "id_number": couriers.tree.owner.id_number, "group": EmploymentGroup.DRIVER, "platform": "滴滴"})

    assert response.status_code == 403
    assert EmploymentDeclaration.objects.count() == 0
