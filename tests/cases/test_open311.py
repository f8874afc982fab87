"""Open311 GeoReport v2 under /open311/v2/: every resource in JSON and XML, field by field against
the spec, its errors, idempotent POST, and what each caller may read."""

from __future__ import annotations

import datetime
import json
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from commonground.cases.models import (
    ApiClient,
    Case,
    CaseAttachment,
    CaseEvent,
    CategoryQuestion,
    Channel,
    QuestionType,
    Stage,
)
from commonground.cases.services.intake import Contact, case_report
from commonground.cases.services.workflow import (
    case_accept,
    case_dispatch,
    case_feedback,
    case_merge,
    case_note,
    case_reject,
    case_verify,
)

from .conftest import at, frozen

BASE = "/open311/v2"
PIN = {"lat": "30.280090", "long": "120.160090"}  # next to the first building


@pytest.fixture
def http() -> Client:
    """English strings, so assertions do not depend on the translation catalogue."""
    return Client(HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def clients(people) -> dict[str, ApiClient]:
    return {
        "public": ApiClient.objects.create(name="市民App", api_key="key-public"),
        "worker": ApiClient.objects.create(name="社区工作台", api_key="key-worker", user=people["worker"]),
        "neighbour": ApiClient.objects.create(name="龙游工作台", api_key="key-neighbour",
                                              user=people["neighbour_worker"]),
        "retired": ApiClient.objects.create(name="旧系统", api_key="key-retired", is_active=False),
    }


@pytest.fixture
def questions(categories):
    """The public parent category asks a date, a number and a choice."""
    environment = categories["rubbish"].parent
    environment.description = "环境卫生类问题"
    environment.keywords = "垃圾,卫生"
    environment.save()
    CategoryQuestion.objects.create(category=environment, key="seen_on", label="发现日期", type=QuestionType.DATE)
    CategoryQuestion.objects.create(category=environment, key="bags", label="几袋", type=QuestionType.NUMBER,
                                    order=1)
    CategoryQuestion.objects.create(category=environment, key="amount", label="数量", type=QuestionType.CHOICE,
                                    choices=["少量", "大量"], required=True, order=2)
    categories["rubbish"].name_en = "Exposed rubbish"
    categories["rubbish"].save()
    return categories


def post(http: Client, fmt: str = "json", headers: dict | None = None, **data):
    return http.post(f"{BASE}/requests.{fmt}", data, headers=headers or {})


def report(located, people, category, reporter="resident", **kwargs) -> Case:
    kwargs.setdefault("place", located.building)
    kwargs.setdefault("description", "楼道口垃圾三天没人清理")
    return case_report(actor=people[reporter], category=category, **kwargs)


def xml_of(response) -> ET.Element:
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    return ET.fromstring(response.content)


def texts(element: ET.Element) -> dict[str, str]:
    return {child.tag: (child.text or "") for child in element}


def errors(response) -> list[dict]:
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return response.json()


# discovery and services


def test_discovery__json__endpoint_described(http, tree):
    response = http.get(f"{BASE}/discovery.json")
    assert response.status_code == 200
    assert response.json() == {
        "changeset": "2025-01-01T00:00:00+08:00",
        "contact": "commonground@localhost",
        "key_service": "Ask the district administrators for an api_key (API clients in the admin).",
        "endpoints": [{
            "specification": "http://wiki.open311.org/GeoReport_v2",
            "url": "http://testserver/open311/v2/",
            "changeset": "2025-01-01T00:00:00+08:00",
            "type": "production",
            "formats": ["text/xml", "application/json"],
        }],
    }


def test_discovery__xml__same_document(http, tree):
    root = xml_of(http.get(f"{BASE}/discovery.xml"))
    assert root.tag == "discovery"
    assert [child.tag for child in root] == ["changeset", "contact", "key_service", "endpoints"]
    endpoint = root.find("endpoints/endpoint")
    assert texts(endpoint)["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert texts(endpoint)["url"] == "http://testserver/open311/v2/"
    assert [f.text for f in endpoint.findall("formats/format")] == ["text/xml", "application/json"]


def test_services__anonymous__public_categories_field_by_field(http, questions):
    response = http.get(f"{BASE}/services.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json() == [
        {"service_code": "environment", "service_name": "环境卫生", "description": "环境卫生类问题",
         "metadata": True, "type": "realtime", "keywords": "垃圾,卫生", "group": ""},
        {"service_code": "exposed-rubbish", "service_name": "Exposed rubbish", "description": "",
         "metadata": False, "type": "realtime", "keywords": "", "group": "环境卫生"},
    ]


def test_services__chinese__chinese_names(questions):
    response = Client(HTTP_ACCEPT_LANGUAGE="zh-hans").get(f"{BASE}/services.json")
    assert [s["service_name"] for s in response.json()] == ["环境卫生", "暴露垃圾"]


def test_services__xml__service_elements(http, questions):
    root = xml_of(http.get(f"{BASE}/services.xml"))
    assert root.tag == "services"
    assert [texts(service) for service in root.findall("service")] == [
        {"service_code": "environment", "service_name": "环境卫生", "description": "环境卫生类问题",
         "metadata": "true", "type": "realtime", "keywords": "垃圾,卫生", "group": ""},
        {"service_code": "exposed-rubbish", "service_name": "Exposed rubbish", "description": "",
         "metadata": "false", "type": "realtime", "keywords": "", "group": "环境卫生"},
    ]


def test_services__client_acting_as_staff__staff_categories_too(http, questions, clients):
    response = http.get(f"{BASE}/services.json", {"api_key": "key-worker"})
    assert [s["service_code"] for s in response.json()] == [
        "enterprise-parking", "environment", "exposed-rubbish", "lift-broken", "noise-dispute"]


def test_services__invalid_api_key__403(http, questions, clients):
    response = http.get(f"{BASE}/services.json", {"api_key": "key-retired"})
    assert response.status_code == 403
    assert errors(response) == [{"code": 403, "description": "api_key is invalid."}]


def test_service_definition__json__attributes_mapped_from_questions(http, questions):
    response = http.get(f"{BASE}/services/environment.json")
    assert response.status_code == 200
    assert response.json() == {"service_code": "environment", "attributes": [
        {"variable": True, "code": "seen_on", "datatype": "datetime", "required": False,
         "datatype_description": "A date as YYYY-MM-DD.", "order": 0, "description": "发现日期"},
        {"variable": True, "code": "bags", "datatype": "number", "required": False,
         "datatype_description": "A number.", "order": 1, "description": "几袋"},
        {"variable": True, "code": "amount", "datatype": "singlevaluelist", "required": True,
         "datatype_description": "", "order": 2, "description": "数量",
         "values": [{"key": "少量", "name": "少量"}, {"key": "大量", "name": "大量"}]},
    ]}


def test_service_definition__boolean_and_text__values_and_string(http, questions, clients):
    response = http.get(f"{BASE}/services/lift-broken.json", {"api_key": "key-worker"})
    assert response.json()["attributes"] == [
        {"variable": True, "code": "lift_number", "datatype": "string", "required": True,
         "datatype_description": "", "order": 0, "description": "电梯编号"},
        {"variable": True, "code": "people_trapped", "datatype": "singlevaluelist", "required": True,
         "datatype_description": "", "order": 1, "description": "是否有人被困",
         "values": [{"key": "true", "name": "yes"}, {"key": "false", "name": "no"}]},
    ]


def test_service_definition__xml__nested_attributes_and_values(http, questions):
    root = xml_of(http.get(f"{BASE}/services/environment.xml"))
    assert root.tag == "service_definition"
    assert root.findtext("service_code") == "environment"
    attributes = root.findall("attributes/attribute")
    assert [texts(a)["code"] for a in attributes] == ["seen_on", "bags", "amount"]
    assert {k: v for k, v in texts(attributes[2]).items() if k != "values"} == {
        "variable": "true", "code": "amount", "datatype": "singlevaluelist", "required": "true",
        "datatype_description": "", "order": "2", "description": "数量"}
    assert [texts(v) for v in attributes[2].findall("values/value")] == [
        {"key": "少量", "name": "少量"}, {"key": "大量", "name": "大量"}]
    assert attributes[0].find("values") is None


@pytest.mark.parametrize("code", ["no-such-code", "lift-broken"])  # unknown, or not open to the public
def test_service_definition__not_listed__404(http, questions, code):
    response = http.get(f"{BASE}/services/{code}.json")
    assert response.status_code == 404
    assert errors(response) == [{"code": 404, "description": f"service_code {code} was not found."}]


# POST requests


def test_post_request__public_client_with_pin__case_created_field_by_field(http, located, questions, clients):
    response = post(http, api_key="key-public", service_code="exposed-rubbish", description="小区门口垃圾堆积",
                    email="a@example.org", first_name="小明", last_name="王", phone="13900000009",
                    media_url="https://img.example.org/1.jpg", account_id="acc-7", device_id="dev-1",
                    address_string="竹竿巷1幢门口", **PIN)
    assert response.status_code == 200
    case = Case.objects.get()
    assert response.json() == [{"service_request_id": case.number,
                                "service_notice": "Handled within 4 working hours of dispatch.",
                                "account_id": "acc-7"}]
    assert (case.category.code, case.channel, case.stage, case.place, case.reporter, case.recorded_by) == (
        "exposed-rubbish", Channel.OPEN311, Stage.COLLECT, located.building, None, None)
    assert (case.latitude, case.longitude, case.address) == (
        Decimal("30.280090"), Decimal("120.160090"), "竹竿巷1幢门口")
    assert (case.contact_name, case.contact_phone, case.contact_email) == ("王小明", "13900000009", "a@example.org")
    assert list(case.attachments.values_list("url", flat=True)) == ["https://img.example.org/1.jpg"]


def test_post_request__xml__service_requests_document(http, located, questions, clients):
    root = xml_of(post(http, "xml", api_key="key-public", service_code="exposed-rubbish",
                       description="小区门口垃圾堆积", **PIN))
    assert root.tag == "service_requests"
    assert texts(root.find("request")) == {"service_request_id": Case.objects.get().number,
                                           "service_notice": "Handled within 4 working hours of dispatch.",
                                           "account_id": ""}


def test_post_request__attributes__stored_as_answers(http, located, questions, clients):
    response = post(http, api_key="key-public", service_code="environment", description="小区门口垃圾堆积",
                    **{"attribute[amount]": "大量", "attribute[bags]": "3", "attribute[seen_on]": "2024-09-01"},
                    **PIN)
    assert response.status_code == 200
    assert Case.objects.get().answers == {"amount": "大量", "bags": "3", "seen_on": "2024-09-01"}


def test_post_request__english_contact_name__first_then_last(http, located, questions, clients):
    post(http, api_key="key-public", service_code="exposed-rubbish", description="Rubbish at the gate",
         first_name="Ada", last_name="Lovelace", **PIN)
    assert Case.objects.get().contact_name == "Ada Lovelace"


POST_ERRORS = [
    ({}, 403, "api_key was not provided or is invalid."),
    ({"api_key": "nope"}, 403, "api_key is invalid."),
    ({"api_key": "key-retired"}, 403, "api_key is invalid."),
    ({"api_key": "key-public"}, 400, "service_code was not provided."),
    ({"api_key": "key-public", "service_code": "potholes"}, 404, "service_code potholes was not found."),
    ({"api_key": "key-public", "service_code": "exposed-rubbish", "lat": "30.28"}, 400,
     "lat/long: send both lat and long."),
    ({"api_key": "key-public", "service_code": "exposed-rubbish", "lat": "north", "long": "120.16"}, 400,
     "lat must be a decimal number of degrees."),
    ({"api_key": "key-public", "service_code": "exposed-rubbish"}, 400,
     "lat/long, address_string, or address_id were not provided."),
    ({"api_key": "key-public", "service_code": "exposed-rubbish", "address_string": "火星"}, 400,
     "address_string: No place has this name or address; send lat and long instead."),
    ({"api_key": "key-public", "service_code": "exposed-rubbish", "address_id": "nowhere"}, 400,
     "address_id: No place has this address_id."),
    ({"api_key": "key-public", "service_code": "exposed-rubbish", "lat": "31.230000", "long": "121.470000"}, 400,
     "lat/long: This location is outside 拱墅区."),
    ({"api_key": "key-public", "service_code": "exposed-rubbish", **PIN, "description": "脏"}, 400,
     "description: Describe the matter in 5 to 2000 characters."),
    ({"api_key": "key-public", "service_code": "noise-dispute", **PIN}, 400,
     "service_code: This category is not open to you; choose another or call the hotline."),
    ({"api_key": "key-public", "service_code": "environment", **PIN}, 400, "attribute[amount]: Please answer: 数量"),
    ({"api_key": "key-public", "service_code": "environment", **PIN, "attribute[amount]": "很多"}, 400,
     "attribute[amount]: “很多” is not a valid answer to: 数量"),
    ({"api_key": "key-public", "service_code": "exposed-rubbish", **PIN, "phone": "12345"}, 400,
     "phone: Enter an 11-digit mobile number or a landline with area code, such as 0571-87654321."),
    ({"api_key": "key-public", "service_code": "exposed-rubbish", **PIN, "email": "not-an-email"}, 400,
     "email: Enter a valid email address."),
    ({"api_key": "key-public", "service_code": "exposed-rubbish", **PIN, "media_url": "javascript:alert(1)"}, 400,
     "media_url: A media link must be an http or https address of at most 200 characters."),
    ({"api_key": "key-public", "service_code": "exposed-rubbish", **PIN, "media_url": "https://x.org/" + "a" * 190},
     400, "media_url: A media link must be an http or https address of at most 200 characters."),
]


def test_post_request__spec_errors__status_and_description_nothing_saved(http, located, questions, clients):
    for data, status, description in POST_ERRORS:
        response = post(http, **{"description": "小区门口垃圾堆积", **data})
        assert (response.status_code, errors(response)) == (
            status, [{"code": status, "description": description}]), data
    assert (Case.objects.count(), CaseEvent.objects.count(), CaseAttachment.objects.count()) == (0, 0, 0)


def test_post_request__errors_in_xml__errors_document(http, located, questions, clients):
    response = post(http, "xml", api_key="key-public")
    assert response.status_code == 400
    root = xml_of(response)
    assert root.tag == "errors"
    assert [texts(e) for e in root.findall("error")] == [{"code": "400", "description": "service_code was not provided."}]


def test_post_request__several_invalid_fields__one_error_each(http, located, questions, clients):
    response = post(http, api_key="key-public", service_code="exposed-rubbish", description="脏", phone="1", **PIN)
    assert response.status_code == 400
    assert sorted(e["description"].split(":")[0] for e in response.json()) == ["description", "phone"]


def test_post_request__address_string_or_id__resolved_to_place(http, located, questions, clients):
    first = post(http, api_key="key-public", service_code="exposed-rubbish", description="小区门口垃圾堆积",
                 address_string="竹竿巷小区")
    second = post(http, api_key="key-public", service_code="exposed-rubbish", description="小区门口垃圾堆积",
                  address_id=located.neighbour_estate.code)
    assert (first.status_code, second.status_code) == (200, 200)
    assert [(c.place, c.address, c.latitude) for c in Case.objects.order_by("pk")] == [
        (located.estate, "竹竿巷小区", None), (located.neighbour_estate, "", None)]


def test_post_request__idempotency_key__retry_returns_same_request(http, located, questions, clients):
    headers = {"Idempotency-Key": "retry-1"}
    data = {"api_key": "key-public", "service_code": "exposed-rubbish", "description": "小区门口垃圾堆积", **PIN}
    first, retry = post(http, headers=headers, **data), post(http, headers=headers, **data)
    other_client = post(http, headers=headers, **{**data, "api_key": "key-worker"})
    assert first.json() == retry.json()
    assert other_client.json()[0]["service_request_id"] != first.json()[0]["service_request_id"]
    assert Case.objects.count() == 2


def test_post_request__client_acting_as_staff__reporter_is_its_user(http, located, questions, clients, people):
    response = post(http, api_key="key-worker", service_code="lift-broken", description="3号楼电梯停运",
                    **{"attribute[lift_number]": "3号梯", "attribute[people_trapped]": "false"}, **PIN)
    assert response.status_code == 200
    case = Case.objects.get()
    assert (case.reporter, case.recorded_by, case.channel, case.answers) == (
        people["worker"], people["worker"], Channel.OPEN311, {"lift_number": "3号梯", "people_trapped": False})


def test_post_request__client_user_may_not_report__403_nothing_saved(http, located, questions, make_user):
    ApiClient.objects.create(name="停用账号", api_key="key-nobody", user=make_user())
    response = post(http, api_key="key-nobody", service_code="exposed-rubbish", description="小区门口垃圾堆积",
                    **PIN)
    assert (response.status_code, errors(response)) == (
        403, [{"code": 403, "description": "You do not have permission to do this here."}])
    assert Case.objects.count() == 0


def test_post_request__no_csrf_token_needed(located, questions, clients):
    response = post(Client(enforce_csrf_checks=True), api_key="key-public", service_code="exposed-rubbish",
                    description="小区门口垃圾堆积", **PIN)
    assert response.status_code == 200


# GET requests


@pytest.fixture
def dispatched(located, questions, people):
    """A public-category case dispatched on a known Monday morning, with a handler's note and a photo link."""
    with frozen(at(2024, 9, 23, 9, 0)):
        case = report(located, people, questions["rubbish"], latitude=Decimal("30.280090"),
                      longitude=Decimal("120.160090"), address="1幢门口", media_urls=["https://img.example.org/a.jpg"],
                      contact=Contact(name="张三", phone="13800000001"))
        case_accept(case=case, actor=people["worker"])
        case = case_dispatch(case=case, actor=people["worker"])
    with frozen(at(2024, 9, 23, 10, 0)):
        case_note(case=case, actor=people["grid"], note="已联系保洁，张三 13800000001 在场")
    return Case.objects.get(pk=case.pk)


def test_get_request__json__every_field(http, dispatched, clients):
    response = http.get(f"{BASE}/requests/{dispatched.number}.json")
    assert response.status_code == 200
    assert response.json() == [{
        "service_request_id": dispatched.number,
        "status": "open",
        "status_notes": "being handled",
        "service_name": "Exposed rubbish",
        "service_code": "exposed-rubbish",
        "description": "楼道口垃圾三天没人清理",
        "agency_responsible": "竹竿巷社区",
        "service_notice": "Handled within 4 working hours of dispatch.",
        "requested_datetime": "2024-09-23T09:00:00+08:00",
        "updated_datetime": "2024-09-23T10:00:00+08:00",
        "expected_datetime": "2024-09-23T14:30:00+08:00",
        "address": "1幢门口",
        "address_id": dispatched.place.code,
        "zipcode": None,
        "lat": 30.28009,
        "long": 120.16009,
        "media_url": "https://img.example.org/a.jpg",
    }]


def test_get_request__xml__every_field(http, dispatched, clients):
    root = xml_of(http.get(f"{BASE}/requests/{dispatched.number}.xml"))
    assert root.tag == "service_requests"
    assert texts(root.find("request")) == {
        "service_request_id": dispatched.number, "status": "open", "status_notes": "being handled",
        "service_name": "Exposed rubbish", "service_code": "exposed-rubbish", "description": "楼道口垃圾三天没人清理",
        "agency_responsible": "竹竿巷社区", "service_notice": "Handled within 4 working hours of dispatch.",
        "requested_datetime": "2024-09-23T09:00:00+08:00", "updated_datetime": "2024-09-23T10:00:00+08:00",
        "expected_datetime": "2024-09-23T14:30:00+08:00", "address": "1幢门口", "address_id": dispatched.place.code,
        "zipcode": "", "lat": "30.28009", "long": "120.16009", "media_url": "https://img.example.org/a.jpg",
    }


def test_get_request__never_contact_data__public_never_handler_notes(http, dispatched, clients):
    public = http.get(f"{BASE}/requests/{dispatched.number}.json").content.decode()
    staff = http.get(f"{BASE}/requests/{dispatched.number}.json", {"api_key": "key-worker"})
    assert "13800000001" not in public and "张三" not in public
    assert staff.json()[0]["status_notes"] == "已联系保洁，张三 13800000001 在场"
    assert "contact" not in staff.content.decode()


def test_get_request__client_user_outside_scope__404(http, dispatched, clients):
    response = http.get(f"{BASE}/requests/{dispatched.number}.json", {"api_key": "key-neighbour"})
    assert response.status_code == 404
    assert errors(response) == [{"code": 404, "description": f"service_request_id {dispatched.number} was not found."}]


def test_get_request__non_public_category_anonymous__404(http, located, questions, people, clients):
    lift = report(located, people, questions["lift"], answers={"lift_number": "1号梯", "people_trapped": "否"})
    assert http.get(f"{BASE}/requests/{lift.number}.json").status_code == 404
    assert http.get(f"{BASE}/requests/{lift.number}.json", {"api_key": "key-public"}).status_code == 404
    assert http.get(f"{BASE}/requests/{lift.number}.json", {"api_key": "key-worker"}).status_code == 200


def test_get_request__rejected__closed_with_reason(http, located, questions, people):
    case = report(located, people, questions["rubbish"])
    case_reject(case=case, actor=people["worker"], reason="不属于本平台受理范围")
    document = http.get(f"{BASE}/requests/{case.number}.json").json()[0]
    assert (document["status"], document["status_notes"], document["agency_responsible"],
            document["expected_datetime"]) == ("closed", "不属于本平台受理范围", None, None)


def test_get_request__merged__main_case_status_and_note(http, located, questions, people):
    main = report(located, people, questions["rubbish"])
    repeat = report(located, people, questions["rubbish"], reporter="neighbour_resident", place=located.estate)
    case_accept(case=main, actor=people["worker"])
    main = case_dispatch(case=main, actor=people["worker"])
    case_merge(duplicate=repeat, into=main, actor=people["worker"])
    document = http.get(f"{BASE}/requests/{repeat.number}.json").json()[0]
    assert (document["status"], document["status_notes"], document["agency_responsible"],
            document["expected_datetime"]) == (
        "open", f"merged into {main.number}", "竹竿巷社区",
        timezone.localtime(main.deadline).isoformat(timespec="seconds"))
    assert repeat.number in numbers(http.get(f"{BASE}/requests.json", {"status": "open"}))
    case_feedback(case=main, actor=people["grid"], note="已清运")
    case_verify(case=main, actor=people["worker"], approved=True)
    assert http.get(f"{BASE}/requests/{repeat.number}.json").json()[0]["status"] == "closed"
    assert numbers(http.get(f"{BASE}/requests.json", {"status": "open"})) == []
    assert numbers(http.get(f"{BASE}/requests.json", {"status": "closed"})) == [repeat.number, main.number]


@pytest.fixture
def spread(located, questions, people):
    """Open rubbish, closed rubbish, an open lift case (not public), and an old rubbish case (120 days)."""
    now = timezone.now()
    with frozen(now - datetime.timedelta(days=120)):
        old = report(located, people, questions["rubbish"])
    with frozen(now - datetime.timedelta(days=2)):
        closed = report(located, people, questions["rubbish"])
        case_accept(case=closed, actor=people["worker"])
        case_dispatch(case=closed, actor=people["worker"])
        case_feedback(case=closed, actor=people["grid"], note="已清运")
        case_verify(case=closed, actor=people["worker"], approved=True)
    with frozen(now - datetime.timedelta(days=1)):
        open_ = report(located, people, questions["rubbish"])
        lift = report(located, people, questions["lift"], answers={"lift_number": "1号梯", "people_trapped": "否"})
    return {"old": old.number, "closed": closed.number, "open": open_.number, "lift": lift.number}


def numbers(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [r["service_request_id"] for r in response.json()]


REQUEST_FILTERS = [
    ({}, ["open", "closed"]),
    ({"status": "open"}, ["open"]),
    ({"status": "closed"}, ["closed"]),
    ({"status": "open,closed"}, ["open", "closed"]),
    ({"service_code": "environment"}, []),
    ({"service_code": "exposed-rubbish,environment"}, ["open", "closed"]),
    ({"api_key": "key-worker"}, ["lift", "open", "closed"]),
    ({"api_key": "key-worker", "service_code": "lift-broken"}, ["lift"]),
    ({"api_key": "key-neighbour"}, []),
    ({"api_key": "key-public"}, ["open", "closed"]),
    ({"service_request_id": "{old},{lift},{open}"}, ["open", "old"]),  # ids override the period
    ({"api_key": "key-neighbour", "service_request_id": "{old},{open}"}, []),
]


def test_get_requests__filters_and_visibility(http, spread, clients):
    for params, expected in REQUEST_FILTERS:
        if "service_request_id" in params:
            params = {**params, "service_request_id": params["service_request_id"].format(**spread)}
        assert numbers(http.get(f"{BASE}/requests.json", params)) == [spread[name] for name in expected], params


def test_get_requests__period__start_and_end_dates(http, spread, clients):
    now = timezone.now()
    start = (now - datetime.timedelta(days=150)).isoformat()
    end = (now - datetime.timedelta(days=100)).isoformat()
    assert numbers(http.get(f"{BASE}/requests.json", {"start_date": start, "end_date": end})) == [spread["old"]]
    day = timezone.localdate(now - datetime.timedelta(days=2)).isoformat()
    assert numbers(http.get(f"{BASE}/requests.json", {"start_date": day, "end_date": day})) == [spread["closed"]]
    assert numbers(http.get(f"{BASE}/requests.json", {"end_date": end})) == [spread["old"]]


def test_get_requests__xml__list_of_requests(http, spread, clients):
    root = xml_of(http.get(f"{BASE}/requests.xml"))
    assert [(r.findtext("service_request_id"), r.findtext("status")) for r in root.findall("request")] == [
        (spread["open"], "open"), (spread["closed"], "closed")]


BAD_FILTERS = [
    ({"status": "pending"}, "status must be open or closed."),
    ({"start_date": "yesterday"}, "start_date must be an ISO 8601 date and time."),
    ({"start_date": "2024-01-01T00:00:00+08:00", "end_date": "2024-06-01T00:00:00+08:00"},
     "start_date and end_date may not span more than 90 days."),
    ({"start_date": "2024-03-01", "end_date": "2024-02-01"}, "start_date is after end_date."),
    ({"api_key": "stolen"}, None),
]


def test_get_requests__bad_parameters__spec_errors(http, tree):
    for params, description in BAD_FILTERS:
        response = http.get(f"{BASE}/requests.json", params)
        status = 403 if description is None else 400
        assert (response.status_code, errors(response)) == (
            status, [{"code": status, "description": description or "api_key is invalid."}]), params


def test_get_requests__queries_do_not_grow_with_rows(http, located, questions, people, clients,
                                                    django_assert_max_num_queries):
    for _ in range(6):
        case = report(located, people, questions["rubbish"], media_urls=["https://img.example.org/a.jpg"])
        case_accept(case=case, actor=people["worker"])
    with django_assert_max_num_queries(6):
        assert len(http.get(f"{BASE}/requests.json", {"api_key": "key-worker"}).json()) == 6


# tokens, formats, jurisdiction, methods


def test_token__maps_to_request_id_json_and_xml(http, dispatched):
    assert http.get(f"{BASE}/tokens/{dispatched.number}.json").json() == [
        {"service_request_id": dispatched.number, "token": dispatched.number}]
    root = xml_of(http.get(f"{BASE}/tokens/{dispatched.number}.xml"))
    assert [texts(r) for r in root.findall("request")] == [
        {"service_request_id": dispatched.number, "token": dispatched.number}]


def test_token__unknown_or_invisible__404(http, dispatched, clients):
    assert http.get(f"{BASE}/tokens/SX0.json").status_code == 404
    response = http.get(f"{BASE}/tokens/{dispatched.number}.xml", {"api_key": "key-neighbour"})
    assert response.status_code == 404
    assert texts(xml_of(response).find("error")) == {"code": "404",
                                                    "description": f"token {dispatched.number} was not found."}


@pytest.mark.parametrize("path", ["services.csv", "requests.html", "discovery.yaml"])
def test_unknown_format__404(http, tree, path):
    response = http.get(f"{BASE}/{path}")
    assert response.status_code == 404
    assert errors(response)[0]["code"] == 404


def test_jurisdiction_id__ours_accepted_other_404(http, questions, tree):
    assert http.get(f"{BASE}/services.json", {"jurisdiction_id": tree.district.code}).status_code == 200
    response = http.get(f"{BASE}/services.json", {"jurisdiction_id": "310000"})
    assert response.status_code == 404
    assert errors(response) == [{"code": 404, "description": "jurisdiction_id 310000 was not found."}]


def test_wrong_method__405_in_the_spec_error_list(http, tree):
    response = http.post(f"{BASE}/services.json")
    assert (response.status_code, response["Allow"], errors(response)) == (
        405, "GET", [{"code": 405, "description": "Use GET here."}])
    assert http.delete(f"{BASE}/requests.json").status_code == 405


def test_xml__control_characters_dropped(http, located, questions, people):
    case = report(located, people, questions["rubbish"], description="垃圾\x07堆积三天")
    root = xml_of(http.get(f"{BASE}/requests/{case.number}.xml"))
    assert root.findtext("request/description") == "垃圾堆积三天"


def test_request_id_in_body__matches_json(http, dispatched):
    body = json.loads(http.get(f"{BASE}/requests.json", {"service_request_id": dispatched.number}).content)
    assert [r["service_request_id"] for r in body] == [dispatched.number]


# bad input: each a 4xx in the spec's error list, in the format asked for, and nothing saved


@pytest.mark.parametrize(("params", "description"), [
    ({"start_date": "9999-12-31"}, "start_date: Give a date from 1900-01-01 to 2099-12-31."),
    ({"end_date": "0001-01-01"}, "end_date: Give a date from 1900-01-01 to 2099-12-31."),
    ({"start_date": "0001-01-01", "end_date": "0001-01-02"}, "start_date: Give a date from 1900-01-01 to 2099-12-31."),
    ({"start_date": "9999-12-31T23:00:00-12:00"}, "start_date: Give a date from 1900-01-01 to 2099-12-31."),
])
def test_get_requests__dates_at_the_calendar_edges__400(http, tree, params, description):
    response = http.get(f"{BASE}/requests.json", params)
    assert (response.status_code, errors(response)) == (400, [{"code": 400, "description": description}])


def test_get_requests__jurisdiction_xml_forbids__404_well_formed(http, tree):
    response = http.get(f"{BASE}/requests.xml?jurisdiction_id=%EF%BF%BF")
    assert response.status_code == 404
    assert [texts(e) for e in xml_of(response).findall("error")] == [
        {"code": "404", "description": "jurisdiction_id  was not found."}]


def test_xml__stored_text_xml_forbids__dropped(http, located, questions, people):
    case = report(located, people, questions["rubbish"])
    Case.objects.filter(pk=case.pk).update(description="垃圾\ufffe堆积\uffff三天\x07")  # stored before intake cleaned
    root = xml_of(http.get(f"{BASE}/requests/{case.number}.xml"))
    assert root.findtext("request/description") == "垃圾堆积三天"


@pytest.mark.parametrize(("path", "fmt"), [("discovery.json.json", "json"), ("requests.xml.xml", "xml"),
                                           ("nothing/here", "json")])
def test_unknown_path__spec_404_not_a_page(http, tree, path, fmt):
    response = http.get(f"{BASE}/{path}")
    assert response.status_code == 404
    if fmt == "xml":
        assert xml_of(response).findtext("error/code") == "404"
    else:
        assert errors(response) == [{"code": 404, "description": "There is no such resource; see discovery.json."}]


@pytest.mark.parametrize(("pin", "description"), [
    ({"lat": "1e16", "long": "120.160090"}, "lat must lie from -90 to 90 degrees."),
    ({"lat": "30.280090", "long": "-1.4469813660243294e16"}, "long must lie from -180 to 180 degrees."),
    ({"lat": "30.280090", "long": "NaN"}, "long must be a decimal number of degrees."),
])
def test_post_request__coordinate_out_of_range__400_nothing_saved(http, located, questions, clients, pin, description):
    response = post(http, api_key="key-public", service_code="exposed-rubbish", description="小区门口垃圾堆积", **pin)
    assert (response.status_code, errors(response)) == (400, [{"code": 400, "description": description}])
    assert Case.objects.count() == 0


def test_post_request__control_characters__dropped_at_intake(http, located, questions, clients):
    response = post(http, api_key="key-public", service_code="exposed-rubbish", description="小区门口\x00垃圾\x0b堆积",
                    first_name="小\x1b明", last_name="王", address_string="竹竿巷\n1幢", **PIN)
    assert response.status_code == 200
    case = Case.objects.get()
    assert (case.description, case.contact_name, case.address) == ("小区门口垃圾堆积", "王小明", "竹竿巷 1幢")


def test_post_request__multipart_without_boundary__400_spec_error(http, located, questions, clients):
    response = http.post(f"{BASE}/requests.json", b"api_key=key-public", content_type="multipart/form-data")
    assert (response.status_code, errors(response)) == (
        400, [{"code": 400, "description": "The request body cannot be read."}])
    assert Case.objects.count() == 0


def test_get_requests__nul_in_filters__no_error(http, dispatched, clients):
    """NUL would reach PostgreSQL (which refuses it in a query) from every filter; it is dropped at the edge."""
    response = http.get(f"{BASE}/requests.json", {"service_code": "exposed-rubbish\x00", "api_key": "key-worker",
                                                  "status": "open\x00", "start_date": "2024-09-01\x00"})
    assert [r["service_request_id"] for r in response.json()] == [dispatched.number]
