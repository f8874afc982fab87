"""The cases API under /api/cases: queue and filters, one case, reporting with an idempotency key,
the transitions, categories; 400/403/404, and a queue whose query count does not grow with its rows."""

from __future__ import annotations

import datetime
import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from commonground.cases.models import Case, CaseEvent, Stage
from commonground.cases.services.intake import Contact, case_report
from commonground.cases.services.tallies import tallies_rebuild
from commonground.cases.services.workflow import case_accept, case_dispatch, case_feedback, case_verify

from .conftest import at, frozen

LIFT_ANSWERS = {"lift_number": "1号梯", "people_trapped": "否"}


@pytest.fixture
def as_user():
    def login(user) -> Client:
        client = Client(HTTP_ACCEPT_LANGUAGE="en")
        client.force_login(user)
        return client
    return login


def report(tree, people, category, *, reporter="resident", place=None, **kwargs) -> Case:
    kwargs.setdefault("description", "楼道口垃圾三天没人清理")
    if category.code == "lift-broken":
        kwargs.setdefault("answers", LIFT_ANSWERS)
    return case_report(actor=people[reporter], category=category, place=place or tree.building, **kwargs)


def dispatched(tree, people, category, moment, **kwargs) -> Case:
    with frozen(moment):
        case = report(tree, people, category, **kwargs)
        case_accept(case=case, actor=people["worker"])
        return case_dispatch(case=case, actor=people["worker"])


def items(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["number"] for row in response.json()["items"]]


@pytest.fixture
def queue(located, categories, people):
    """For the first community: a new case, two dispatched (the lift one due first), one closed, one
    overdue; and a case in the neighbouring community."""
    new = report(located, people, categories["rubbish"], place=located.estate)
    later = dispatched(located, people, categories["rubbish"], at(2024, 9, 23, 9, 0))
    sooner = dispatched(located, people, categories["lift"], at(2024, 9, 20, 9, 0))
    closed = dispatched(located, people, categories["rubbish"], at(2024, 9, 19, 9, 0))
    case_feedback(case=closed, actor=people["grid"], note="已清运")
    case_verify(case=closed, actor=people["worker"], approved=True)
    overdue = dispatched(located, people, categories["rubbish"], at(2024, 9, 24, 9, 0))
    Case.objects.filter(pk=overdue.pk).update(is_overdue=True)
    tallies_rebuild()  # the update above went past the services that keep the counts
    neighbour = report(located, people, categories["rubbish"], reporter="neighbour_resident",
                       place=located.neighbour_estate)
    return {"new": new.number, "later": later.number, "sooner": sooner.number, "closed": closed.number,
            "overdue": overdue.number, "neighbour": neighbour.number}


def test_case_list__anonymous__401(client, tree):
    assert client.get("/api/cases").status_code == 401


def test_case_list__worker__open_cases_in_scope_new_first_then_soonest_deadline(as_user, queue, people):
    response = as_user(people["worker"]).get("/api/cases")
    assert items(response) == [queue["new"], queue["sooner"], queue["later"], queue["overdue"]]
    assert response.json()["count"] == 4
    first = response.json()["items"][1]
    assert {k: first[k] for k in ("category", "category_name", "stage", "stage_label", "level", "place",
                                  "handling_place", "handler", "is_overdue", "merged_into")} == {
        "category": "lift-broken", "category_name": "电梯故障", "stage": "dispatch", "stage_label": "dispatched",
        "level": "building", "place": "330105001001-E1-B1", "handling_place": "330105001001-E1-B1",
        "handler": None, "is_overdue": False, "merged_into": None}
    assert first["deadline"] == "2024-09-23T09:30:00+08:00"  # Friday 9:00 + 8 working hours


QUEUE_FILTERS = [
    ({"stage": "collect"}, ["new"]),
    ({"stage": "closed"}, ["closed"]),
    ({"stage": "all"}, ["new", "closed", "sooner", "later", "overdue"]),
    ({"stage": "nonsense"}, []),
    ({"category": "lift-broken"}, ["sooner"]),
    ({"category": "environment"}, ["new", "later", "overdue"]),  # a parent takes in its children
    ({"place": "330105001001-E1-B1"}, ["sooner", "later", "overdue"]),
    ({"place": "330105001001-E1"}, ["new", "sooner", "later", "overdue"]),
    ({"place": "nowhere"}, []),
    ({"overdue": "true"}, ["overdue"]),
    ({"stage": "dispatch", "category": "exposed-rubbish", "overdue": "false"}, ["later", "overdue"]),
    ({"sort": "newest"}, ["new", "overdue", "later", "sooner"]),
    ({"q": "SX2024092"}, ["sooner", "later", "overdue"]),
    ({"q": "sx20240923"}, ["later"]),
    ({"mine": "true"}, ["new", "sooner", "later", "overdue"]),  # building-level cases are followed by the community
]


def test_case_list__filters(as_user, queue, people):
    client = as_user(people["worker"])
    for params, expected in QUEUE_FILTERS:
        assert items(client.get("/api/cases", params)) == [queue[name] for name in expected], params


def test_case_list__other_community_worker__sees_only_their_own(as_user, queue, people):
    assert items(as_user(people["neighbour_worker"]).get("/api/cases", {"stage": "all"})) == [queue["neighbour"]]


def test_case_list__resident__own_reports(as_user, queue, people):
    assert items(as_user(people["neighbour_resident"]).get("/api/cases")) == [queue["neighbour"]]


def test_case_list__paginated(as_user, queue, people):
    response = as_user(people["worker"]).get("/api/cases", {"page": 2, "page_size": 3})
    assert (items(response), response.json()["count"]) == ([queue["overdue"]], 4)


def _queue_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/api/cases", {"stage": "all"}).status_code == 200
    return len(queries)


def test_case_list__query_count_constant_for_2_and_10_cases(as_user, located, categories, people):
    client = as_user(people["worker"])
    for _ in range(2):
        dispatched(located, people, categories["rubbish"], at(2024, 9, 23, 9, 0))
    few = _queue_queries(client)
    for _ in range(8):
        dispatched(located, people, categories["lift"], at(2024, 9, 23, 9, 0))
    assert Case.objects.count() == 10
    assert _queue_queries(client) == few


# one case


def test_case_detail__events_actions_and_contact(as_user, located, categories, people):
    case = report(located, people, categories["rubbish"], reporter="grid", channel="phone",
                  contact=Contact(name="王五", phone="13900000009"))
    case_accept(case=case, actor=people["worker"], note="属实")
    body = as_user(people["worker"]).get(f"/api/cases/{case.number}").json()
    assert [(e["action"], e["from_stage"], e["to_stage"], e["note"]) for e in body["events"]] == [
        ("reported", "", "collect", ""), ("accepted", "collect", "create", "属实")]
    assert body["events"][1]["actor"] == str(people["worker"])
    assert (body["contact_name"], body["contact_phone"], body["actions"]) == (
        "王五", "13900000009", ["dispatch", "merge"])


def test_case_detail__role_without_personal_data__phone_masked(as_user, located, categories, people):
    case = report(located, people, categories["rubbish"], reporter="grid", channel="phone",
                  contact=Contact(name="王五", phone="13900000009"))
    body = as_user(people["commissioner"]).get(f"/api/cases/{case.number}").json()
    assert (body["contact_phone"], body["actions"]) == ("139****0009", [])


def test_contact__role_without_personal_data__masked_alike_in_api_page_and_export(as_user, located, categories,
                                                                                 people, make_user):
    """A property manager may read the estate's cases but not residents' personal data, wherever it is shown."""
    from commonground.core.models import RoleKind

    manager = make_user(RoleKind.PROPERTY_MANAGER, located.estate)
    case = report(located, people, categories["rubbish"], reporter="grid", channel="phone",
                  contact=Contact(name="王小明", phone="13900000009", email="wangxm@example.com"))
    client = as_user(manager)

    body = client.get(f"/api/cases/{case.number}").json()
    page = client.get(f"/cases/{case.number}/").content.decode()

    assert (body["contact_name"], body["contact_phone"], body["contact_email"]) == (
        "王**", "139****0009", "w***@example.com")
    assert "王**" in page and "139****0009" in page and "王小明" not in page and "13900000009" not in page


@pytest.mark.parametrize("who", ["neighbour_worker", "neighbour_resident"])
def test_case_detail__outside_scope__404(as_user, located, categories, people, who):
    case = report(located, people, categories["rubbish"])
    assert as_user(people[who]).get(f"/api/cases/{case.number}").status_code == 404


# reporting


PAYLOAD = {"category": "exposed-rubbish", "description": "小区门口垃圾堆积", "place": "330105001001-E1-B1"}


def test_case_create__resident__201_and_recorded(as_user, located, categories, people):
    response = as_user(people["resident"]).post("/api/cases", {**PAYLOAD, "answers": {}},
                                                content_type="application/json")
    assert response.status_code == 201
    case = Case.objects.get()
    assert (response.json()["number"], response.json()["stage"], response.json()["events"][0]["action"]) == (
        case.number, "collect", "reported")
    assert (case.reporter, case.channel, case.place) == (people["resident"], "api", located.building)


def test_case_create__pin_and_contact_by_staff_on_phone(as_user, located, categories, people):
    response = as_user(people["grid"]).post("/api/cases", {
        "category": "exposed-rubbish", "description": "电话反映垃圾堆积", "latitude": "30.280090",
        "longitude": "120.160090", "channel": "phone", "contact": {"name": "王五", "phone": "13900000009"},
        "media_urls": ["https://img.example.org/1.jpg"]}, content_type="application/json")
    assert response.status_code == 201
    case = Case.objects.get()
    assert (case.place, case.reporter, case.recorded_by, case.contact_phone, response.json()["media"]) == (
        located.building, None, people["grid"], "13900000009", ["https://img.example.org/1.jpg"])


def test_case_create__idempotency_key__retry_returns_same_case_200(as_user, located, categories, people):
    client = as_user(people["resident"])
    headers = {"Idempotency-Key": "abc-1"}
    first = client.post("/api/cases", PAYLOAD, content_type="application/json", headers=headers)
    retry = client.post("/api/cases", PAYLOAD, content_type="application/json", headers=headers)
    other = client.post("/api/cases", PAYLOAD, content_type="application/json", headers={"Idempotency-Key": "abc-2"})
    assert (first.status_code, retry.status_code, other.status_code) == (201, 200, 201)
    assert first.json()["number"] == retry.json()["number"] != other.json()["number"]
    assert Case.objects.count() == 2


@pytest.mark.parametrize(("payload", "fields"), [
    ({**PAYLOAD, "description": "脏"}, ["description"]),
    ({**PAYLOAD, "category": "lift-broken"}, ["answers.lift_number", "answers.people_trapped"]),
    ({**PAYLOAD, "category": "enterprise-parking"}, ["category"]),
    ({**PAYLOAD, "category": "potholes"}, ["category"]),
    ({**PAYLOAD, "place": "nowhere"}, ["place"]),
    ({"category": "exposed-rubbish", "description": "小区门口垃圾堆积"}, ["location"]),
])
def test_case_create__invalid__400_nothing_saved(as_user, located, categories, people, payload, fields):
    response = as_user(people["resident"]).post("/api/cases", payload, content_type="application/json")
    assert response.status_code == 400
    assert sorted(response.json()["detail"]) == fields
    assert (Case.objects.count(), CaseEvent.objects.count()) == (0, 0)


def test_case_create__user_without_role__403_nothing_saved(as_user, located, categories, make_user):
    response = as_user(make_user()).post("/api/cases", PAYLOAD, content_type="application/json")
    assert response.status_code == 403
    assert Case.objects.count() == 0


def test_case_create__session_without_csrf_token__403(located, categories, people):
    client = Client(enforce_csrf_checks=True)
    client.force_login(people["resident"])
    assert client.post("/api/cases", PAYLOAD, content_type="application/json").status_code == 403
    assert Case.objects.count() == 0


# transitions


def act(client, case: Case, action: str, **body):
    return client.post(f"/api/cases/{case.number}/{action}", body, content_type="application/json")


def test_transitions__whole_loop_through_the_api(as_user, located, categories, people):
    case = report(located, people, categories["rubbish"])
    worker, grid, checker = as_user(people["worker"]), as_user(people["grid"]), as_user(people["checker"])
    assert act(worker, case, "accept", note="属实").json()["stage"] == Stage.CREATE
    body = act(worker, case, "dispatch", level="community").json()
    assert (body["stage"], body["level"], body["handling_place"]) == (Stage.DISPATCH, "community", "330105001001")
    assert act(grid, case, "note", note="已联系保洁").json()["stage"] == Stage.HANDLE
    assert act(grid, case, "feedback", note="已清运").json()["stage"] == Stage.FEEDBACK
    assert act(checker, case, "verify", approved=True, note="干净").json()["stage"] == Stage.CLOSED
    body = act(as_user(people["resident"]), case, "rate", rating=5, comment="满意").json()
    assert (body["stage"], body["rating"]) == (Stage.EVALUATED, 5)
    assert [e["action"] for e in body["events"]] == [
        "reported", "accepted", "dispatched", "note", "feedback", "closed", "rated"]


def test_transition__reject_with_reason__closed_out(as_user, located, categories, people):
    case = report(located, people, categories["rubbish"])
    body = act(as_user(people["worker"]), case, "reject", reason="重复反映").json()
    assert (body["stage"], body["events"][-1]["note"]) == (Stage.REJECTED, "重复反映")


def test_transition__escalate__one_level_up(as_user, located, categories, people):
    case = dispatched(located, people, categories["lift"], at(2024, 9, 23, 9, 0))
    body = act(as_user(people["commissioner"]), case, "escalate", reason="需要社区协调").json()
    assert (body["level"], body["escalations"]) == ("estate", 1)


def test_transition__merge__duplicate_points_at_main(as_user, located, categories, people):
    main = report(located, people, categories["rubbish"])
    repeat = report(located, people, categories["rubbish"], place=located.estate)
    body = act(as_user(people["worker"]), repeat, "merge", into=main.number).json()
    assert (body["stage"], body["merged_into"]) == (Stage.MERGED, main.number)


@pytest.mark.parametrize(("who", "action", "body", "status"), [
    ("worker", "reject", {}, 400),  # no reason
    ("worker", "feedback", {"note": "done"}, 400),  # not dispatched yet
    ("worker", "rate", {"rating": 5}, 403),  # not the reporter
    ("worker", "merge", {}, 400),  # into what?
    ("worker", "merge", {"into": "SX0"}, 404),
    ("resident", "accept", {}, 403),  # sees their own case, may not accept it
    ("neighbour_worker", "accept", {}, 404),
    ("worker", "teleport", {}, 422),  # the schema lists the actions
])
def test_transition__refused__status_and_nothing_changed(as_user, located, categories, people, who, action, body,
                                                         status, nothing_written):
    case = report(located, people, categories["rubbish"])
    with nothing_written():
        response = act(as_user(people[who]), case, action, **body)
        assert response.status_code == status
        assert "detail" in response.json()


def test_transition__merge_into_other_community_case__404_nothing_changed(as_user, located, categories, people,
                                                                         nothing_written):
    case = report(located, people, categories["rubbish"])
    elsewhere = report(located, people, categories["rubbish"], reporter="neighbour_resident",
                       place=located.neighbour_estate)
    with nothing_written():
        assert act(as_user(people["worker"]), case, "merge", into=elsewhere.number).status_code == 404


def test_transition__without_body__accepted(as_user, located, categories, people):
    case = report(located, people, categories["rubbish"])
    response = as_user(people["worker"]).generic("POST", f"/api/cases/{case.number}/accept", b"")
    assert (response.status_code, response.json()["stage"]) == (200, Stage.CREATE)


# categories


def test_categories__listed_with_questions_and_who_may_report(as_user, categories, people):
    body = as_user(people["resident"]).get("/api/categories").json()
    assert [(c["code"], c["parent"], c["may_report"]) for c in body] == [
        ("enterprise-parking", None, False), ("environment", None, True), ("exposed-rubbish", "environment", True),
        ("lift-broken", None, True), ("noise-dispute", None, True)]
    lift = next(c for c in body if c["code"] == "lift-broken")
    assert [(q["key"], q["type"], q["required"]) for q in lift["questions"]] == [
        ("lift_number", "text", True), ("people_trapped", "boolean", True)]


def test_categories__user_without_role__403(as_user, categories, make_user):
    assert as_user(make_user()).get("/api/categories").status_code == 403


def test_openapi__cases_paths_documented(as_user, people):
    paths = as_user(people["worker"]).get("/api/openapi.json").json()["paths"]
    assert {"/api/cases", "/api/cases/{number}", "/api/cases/{number}/{action}", "/api/categories"} <= set(paths)


def test_deadline_is_local_iso(as_user, located, categories, people):
    case = dispatched(located, people, categories["rubbish"], at(2024, 9, 23, 9, 0))
    body = as_user(people["worker"]).get(f"/api/cases/{case.number}").json()
    assert datetime.datetime.fromisoformat(body["deadline"]) == at(2024, 9, 23, 14, 30)


# bad input: a 4xx with a message, in JSON, and nothing saved


def test_case_create__lone_longitude_past_decimal_field__422_nothing_saved_feeds_still_up(as_user, located,
                                                                                         categories, people):
    """The issue's report: this answered 500 after saving the row, and the row then took every feed down."""
    client = as_user(people["resident"])
    response = client.post("/api/cases", {**PAYLOAD, "latitude": None, "longitude": -1.4469813660243294e16},
                           content_type="application/json")
    assert (response.status_code, list(response.json()["detail"])) == (422, ["longitude"])
    assert (Case.objects.count(), CaseEvent.objects.count()) == (0, 0)
    assert client.get("/open311/v2/requests.json").status_code == 200
    assert client.get("/api/cases", {"stage": "all"}).status_code == 200


@pytest.mark.parametrize("pin", [{"longitude": 120.16009}, {"latitude": "30.280090"}, {"latitude": None,
                                                                                        "longitude": "120.160090"}])
def test_case_create__one_coordinate_without_the_other__400_nothing_saved(as_user, located, categories, people, pin):
    response = as_user(people["resident"]).post("/api/cases", {**PAYLOAD, **pin}, content_type="application/json")
    assert (response.status_code, list(response.json()["detail"])) == (400, ["location"])
    assert Case.objects.count() == 0


@pytest.mark.parametrize("pin", [{"latitude": 91, "longitude": 120}, {"latitude": 30, "longitude": "180.5"},
                                 {"latitude": 30, "longitude": ""}, {"latitude": 30, "longitude": True},
                                 {"latitude": "30.1234567", "longitude": 120}])
def test_case_create__coordinate_the_schema_does_not_accept__422_nothing_saved(as_user, located, categories, people,
                                                                              pin):
    response = as_user(people["resident"]).post("/api/cases", {**PAYLOAD, **pin}, content_type="application/json")
    assert response.status_code == 422
    assert set(response.json()["detail"]) <= {"latitude", "longitude"}
    assert Case.objects.count() == 0


def test_openapi__coordinates_say_what_is_accepted(client):
    fields = client.get("/api/openapi.json").json()["components"]["schemas"]["CaseIn"]["properties"]
    number, decimal_string, null = fields["longitude"]["anyOf"]
    assert (number, decimal_string["type"], null) == (
        {"type": "number", "minimum": -180, "maximum": 180}, "string", {"type": "null"})
    assert fields["channel"]["enum"] == ["api", "staff", "phone"]


def test_case_create__lone_surrogate_in_json__dropped_at_intake(as_user, located, categories, people):
    # json.dumps would refuse to write a lone surrogate; a client's JSON escapes it like this
    body = json.dumps({**PAYLOAD, "description": "小区门口@垃圾#堆积"}).replace("@", "\\ud800").replace("#", "\\u0000")
    response = as_user(people["resident"]).post("/api/cases", body, content_type="application/json")
    assert response.status_code == 201
    assert Case.objects.get().description == "小区门口垃圾堆积"


def test_case_create__multipart_without_boundary__json_400_nothing_saved(located, categories, people):
    client = Client(enforce_csrf_checks=True)  # the API's own CSRF check is what reads the body
    client.force_login(people["resident"])
    client.cookies["csrftoken"] = "x" * 32
    response = client.post("/api/cases", b"category=exposed-rubbish", content_type="multipart/form-data",
                           headers={"X-CSRFToken": "x" * 32})
    assert (response.status_code, response["Content-Type"]) == (400, "application/json; charset=utf-8")
    assert list(response.json()) == ["detail"]
    assert Case.objects.count() == 0


@pytest.mark.parametrize("page", ["200000000000000000", "0", "-1", "x"])
def test_case_list__page_out_of_range__422(as_user, queue, people, page):
    response = as_user(people["worker"]).get("/api/cases", {"page": page})
    assert (response.status_code, list(response.json()["detail"])) == (422, ["page"])


@pytest.mark.parametrize("channel", ["phone", "staff", "web", "open311"])
def test_case_create__resident_names_a_channel_not_theirs__refused_nothing_saved(as_user, located, categories, people,
                                                                                channel):
    response = as_user(people["resident"]).post("/api/cases", {**PAYLOAD, "channel": channel},
                                                content_type="application/json")
    assert response.status_code == (400 if channel in ("phone", "staff") else 422)
    assert list(response.json()["detail"]) == ["channel"]
    assert Case.objects.count() == 0


def test_case_create__no_channel__the_server_says_api(as_user, located, categories, people):
    as_user(people["worker"]).post("/api/cases", PAYLOAD, content_type="application/json")
    assert Case.objects.get().channel == "api"


@pytest.mark.parametrize(("path", "field"), [("/api/cases/SX0/accept", None), ("/api/cases/SX%00/accept", "number"),
                                             ("/api/cases/SX0/teleport", "action")])
def test_case_action__path_the_schema_refuses__422_or_404(as_user, located, categories, people, path, field):
    response = as_user(people["worker"]).post(path, {}, content_type="application/json")
    assert response.status_code == (404 if field is None else 422)
    if field:
        assert list(response.json()["detail"]) == [field]
