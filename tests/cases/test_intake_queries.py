"""What a report costs in SQL: one case through the JSON API, Open311 and the staff web form, by an authenticated
caller with a pin; the answer built from what was written, equal to a fresh read; the places a pin may fall in kept
in process and dropped when a place changes; the number written with the row."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from commonground.cases.geo import pin_place
from commonground.cases.models import ApiClient, Case, CaseEvent
from commonground.cases.services import intake
from commonground.cases.services.intake import case_report, possible_duplicates
from commonground.core.models import Place
from commonground.core.services.places import place_update

from .conftest import at

# A report with a pin, no Idempotency-Key, in the test's transaction: who is asking (session and user, or the
# api_key's throttle and client), the category, the savepoint of the intake, the roles, the case id, the case, the
# three roll-ups (as it stands, by month, by month and category), the possible duplicates, the log line, the
# savepoint's release.
REPORT_QUERIES = 13
PIN = {"latitude": "30.280090", "longitude": "120.160090"}  # next to the first building


def square(west: float, south: float, east: float, north: float) -> dict:
    return {"type": "Polygon", "coordinates": [[[west, south], [east, south], [east, north], [west, north],
                                                [west, south]]]}


@pytest.fixture(params=["outlined", "centroids"])
def district(request, located):
    """Outlines around the street, community and estate (a pin walks down them), or centroids only (a pin is "in
    the district" when near one of its places)."""
    if request.param == "outlined":
        outlines = {located.district.pk: square(120.10, 30.25, 120.20, 30.35),
                    located.street.pk: square(120.14, 30.27, 120.18, 30.30),
                    located.community.pk: square(120.155, 30.275, 120.165, 30.285),
                    located.estate.pk: square(120.157, 30.277, 120.163, 30.283)}
        for pk, outline in outlines.items():
            Place.objects.filter(pk=pk).update(outline=outline)
    return located


def measured(label: str, call):
    """`call()` twice, the first filling what the process keeps; the second's answer and query count (printed)."""
    call()
    with CaptureQueriesContext(connection) as queries:
        response = call()
    print(f"\n{label}: {len(queries)} queries")
    for query in queries.captured_queries:
        print("   ", query["sql"][:120])
    return response, len(queries)


def test_api_case_create__resident_with_a_pin__thirteen_queries(district, categories, people):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(people["resident"])
    body = {"category": "exposed-rubbish", "description": "小区门口垃圾堆积", **PIN}

    response, count = measured("API POST /api/cases", lambda: client.post("/api/cases", body,
                                                                            content_type="application/json"))

    assert response.status_code == 201, response.content
    assert count <= REPORT_QUERIES
    assert Case.objects.get(number=response.json()["number"]).place == district.building


def test_open311_post_request__client_acting_as_worker_with_a_pin__thirteen_queries(district, categories, people):
    ApiClient.objects.create(name="社区工作台", api_key="key-worker", user=people["worker"])
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    data = {"api_key": "key-worker", "service_code": "exposed-rubbish", "description": "小区门口垃圾堆积",
            "lat": PIN["latitude"], "long": PIN["longitude"]}

    response, count = measured("Open311 POST requests.json", lambda: client.post("/open311/v2/requests.json", data))

    assert response.status_code == 200, response.content
    assert count <= REPORT_QUERIES
    assert Case.objects.get(number=response.json()[0]["service_request_id"]).place == district.building


def test_report_form__staff_with_a_pin__as_few_queries_and_the_form_s_categories(district, categories, people):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(people["worker"])
    data = {"category": str(categories["rubbish"].pk), "description": "小区门口垃圾堆积", "channel": "staff", **PIN}

    response, count = measured("web POST /cases/report/ (staff)", lambda: client.post("/cases/report/", data))

    assert response.status_code == 302
    assert count <= REPORT_QUERIES + 1  # the form's categories come with their questions
    assert CaseEvent.objects.filter(action="reported").count() == 2


def test_api_case_create__the_answer_from_memory__equals_the_case_read_back(located, categories, people):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(people["grid"])
    answers = {"lift_number": "3号梯", "people_trapped": "否"}
    client.post("/api/cases", {"category": "lift-broken", "description": "早先的一件", **PIN, "answers": answers},
                content_type="application/json")  # a possible duplicate for the log line

    created = client.post("/api/cases", {
        "category": "lift-broken", "description": "电话反映电梯停运", **PIN, "channel": "phone",
        "answers": answers, "address": "竹竿巷1幢",
        "contact": {"name": "王五", "phone": "13900000009"}, "media_urls": ["https://img.example.org/1.jpg"],
    }, content_type="application/json")

    assert created.status_code == 201, created.content
    read_back = client.get(f"/api/cases/{created.json()['number']}")
    assert created.json() == read_back.json()
    assert created.json()["media"] == ["https://img.example.org/1.jpg"]
    assert len(created.json()["events"][0]["data"]["possible_duplicates"]) == 1


def test_api_case_create__retry__the_case_read_back(located, categories, people):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(people["resident"])
    body = {"category": "exposed-rubbish", "description": "小区门口垃圾堆积", **PIN}
    first = client.post("/api/cases", body, content_type="application/json", headers={"Idempotency-Key": "k"})
    retry = client.post("/api/cases", body, content_type="application/json", headers={"Idempotency-Key": "k"})

    assert (first.status_code, retry.status_code) == (201, 200)
    assert first.json() == retry.json()


# The places a pin may fall in, kept in process


def test_pin_place__second_pin__no_query(district):
    pin_place(30.28009, 120.16009, district.district)
    with CaptureQueriesContext(connection) as queries:
        found = pin_place(30.2805, 120.1605, district.district)
    assert (found.place, len(queries)) == (district.building, 0)


def test_pin_place__a_place_moves_its_centroid__the_next_pin_sees_it(located):
    assert pin_place(30.29, 120.17, located.district).place == located.neighbour_estate  # 960 m away

    place_update(place=Place.objects.get(pk=located.building.pk), latitude=Decimal("30.290100"),
                 longitude=Decimal("120.170000"))

    assert pin_place(30.29, 120.17, located.district).place == located.building


def test_pin_place__an_estate_gets_an_outline__the_next_pin_falls_inside_it(located):
    assert pin_place(30.2830, 120.1600, located.district).place == located.building  # the nearest, 322 m

    place_update(place=Place.objects.get(pk=located.estate.pk), outline=square(120.159, 30.2825, 120.161, 30.2835))

    found = pin_place(30.2830, 120.1600, located.district)
    assert (found.place, found.inside) == (located.estate, True)


def test_case_report__outside_a_district_without_outline__refused_without_reading_places(located, categories,
                                                                                          people):
    case_report(actor=people["resident"], category=categories["rubbish"], description="小区门口垃圾堆积",
                latitude=Decimal("30.280090"), longitude=Decimal("120.160090"))
    with CaptureQueriesContext(connection) as queries, pytest.raises(ValidationError) as error:
        case_report(actor=people["resident"], category=categories["rubbish"], description="小区门口垃圾堆积",
                    latitude=Decimal("30.200000"), longitude=Decimal("120.600000"))
    assert list(error.value.message_dict) == ["location"]
    assert not [q for q in queries.captured_queries if 'FROM "core_place"' in q["sql"]]


# The number, written with the row; duplicates in one query


def test_case_report__number_in_the_insert__no_update(located, categories, people):
    report = {"actor": people["resident"], "category": categories["rubbish"], "description": "小区门口垃圾堆积",
              "place": located.building}
    case_report(**report)  # the first case of the table: SQLite has no counter to move on yet
    with CaptureQueriesContext(connection) as queries:
        case = case_report(**report)

    assert case.number == intake.case_number(case.created_at, case.pk)
    assert Case.objects.get(pk=case.pk).number == case.number
    assert not [q for q in queries.captured_queries if q["sql"].startswith('UPDATE "cases_case"')]


def test_case_report__midnight_between_the_clock_and_the_insert__the_row_s_own_day(located, categories, people,
                                                                                 monkeypatch):
    """The number reads the clock just before the INSERT stamps the row; should midnight fall in between, the
    number is put right (the one case that still writes it twice)."""
    before, after = at(2024, 9, 23, 23, 59, 59, 999_999), at(2024, 9, 24, 0, 0, 0, 1)
    moments = {"reserved": False, "read": False}
    reserve = intake.new_case_id

    def reserved() -> int:
        moments["reserved"] = True
        return reserve()

    def now() -> datetime.datetime:
        if moments["read"]:
            return after
        moments["read"] = moments["reserved"]  # the number's reading is the last before midnight
        return before

    monkeypatch.setattr(intake, "new_case_id", reserved)
    monkeypatch.setattr(intake.clock, "now", now)

    with CaptureQueriesContext(connection) as queries:
        case = case_report(actor=people["resident"], category=categories["rubbish"], description="小区门口垃圾堆积",
                           place=located.building)

    assert [q["sql"][:28] for q in queries.captured_queries if q["sql"].startswith('UPDATE "cases_case"')] == [
        'UPDATE "cases_case" SET "num']
    assert case.created_at == after
    assert case.number == f"SX20240924{case.pk:06d}" == Case.objects.get(pk=case.pk).number


def test_possible_duplicates__at_a_place_without_pins__newest_and_the_count_in_one_query(located, categories,
                                                                                         people):
    cases = [case_report(actor=people["resident"], category=categories["rubbish"], description="楼道口垃圾没人清理",
                         place=located.building) for _ in range(7)]

    with CaptureQueriesContext(connection) as queries:
        found = possible_duplicates(category=categories["rubbish"], latitude=None, longitude=None,
                                    place=located.building, keep=3)

    assert (found.numbers, found.count, len(queries)) == ([c.number for c in reversed(cases[4:])], 7, 1)
    assert possible_duplicates(category=categories["lift"], latitude=None, longitude=None,
                               place=located.building) == intake.Duplicates([], 0)
