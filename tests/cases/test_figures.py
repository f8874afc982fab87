"""The figures page (事项数据): one selector per figure, scoped to what the user may count; every number on the
page links to the queue, and the queue lists as many cases as the number says."""

from __future__ import annotations

import datetime
import html
import re

import pytest
from django.urls import reverse

from commonground.cases.figure_selectors import (
    Window,
    category_breakdown,
    monthly_trend,
    period_totals,
    place_ranking,
)
from commonground.cases.models import Case
from commonground.cases.services.intake import case_report
from commonground.cases.services.tallies import tallies_rebuild
from commonground.cases.services.workflow import (
    case_accept,
    case_dispatch,
    case_feedback,
    case_rate,
    case_reject,
    case_verify,
)
from commonground.core import clock
from commonground.core.models import PlaceKind, RoleKind
from tests.conftest import start_clock_on

from .conftest import at, frozen

TODAY = datetime.date(2024, 10, 15)
WINDOW = Window.months_to(TODAY)
LIFT = {"lift_number": "1号梯", "people_trapped": "否"}
COMMUNITIES = (PlaceKind.COMMUNITY, PlaceKind.BUSINESS_COMMUNITY)


def reported(people, category, place, moment, reporter="resident", **kwargs) -> Case:
    with frozen(moment):
        return case_report(actor=people[reporter], category=category, place=place, description="请尽快处理", **kwargs)


def closed(people, case, moment, *, rating=None, worker="worker", handler="grid") -> Case:
    with frozen(moment):
        case_accept(case=case, actor=people[worker])
        case = case_dispatch(case=case, actor=people[worker])
        case_feedback(case=case, actor=people[handler], note="已处理")
        case = case_verify(case=case, actor=people["checker"], approved=True)
        if rating:
            case = case_rate(case=case, actor=people["resident"], rating=rating)
    return case


@pytest.fixture
def months_of_cases(located, categories, people, make_user):
    """竹竿巷 (street 武林): March closed and rated 4, reported at 00:30 on 1 April (local; still March in UTC)
    and open and overdue, May rejected, May reported and closed in June, a closed case of the year before. 龙游 (same
    street): one open in July. 武林路 (the other street): one closed in July."""
    tree, p = located, people
    far_worker = make_user(RoleKind.COMMUNITY_WORKER, tree.far_community)
    far_checker = make_user(RoleKind.COMMUNITY_WORKER, tree.far_community)
    p = {**p, "far_worker": far_worker, "far_checker": far_checker}
    cases = {
        "old": closed(p, reported(p, categories["rubbish"], tree.building, at(2023, 9, 1, 9)), at(2023, 9, 2, 9)),
        "march": closed(p, reported(p, categories["rubbish"], tree.building, at(2024, 3, 4, 9)), at(2024, 3, 5, 9),
                        rating=4),
        "late": reported(p, categories["lift"], tree.building, at(2024, 4, 1, 0, 30), answers=LIFT),
        "rejected": reported(p, categories["rubbish"], tree.estate, at(2024, 5, 10, 9)),
        "june": closed(p, reported(p, categories["rubbish"], tree.estate, at(2024, 5, 20, 9)), at(2024, 6, 3, 9)),
        "neighbour": reported(p, categories["rubbish"], tree.neighbour_estate, at(2024, 7, 1, 9),
                              reporter="neighbour_resident"),
    }
    with frozen(at(2024, 4, 1, 0, 40)):
        case_accept(case=cases["late"], actor=p["worker"])
        case_dispatch(case=cases["late"], actor=p["worker"])
    Case.objects.filter(pk=cases["late"].pk).update(is_overdue=True)
    tallies_rebuild()  # the update above went past the services that keep the counts
    with frozen(at(2024, 5, 10, 10)):
        case_reject(case=cases["rejected"], actor=p["worker"], reason="不属实")
    with frozen(at(2024, 7, 1, 9)):
        far = case_report(actor=p["district"], category=categories["rubbish"], place=tree.far_community,
                          description="请尽快处理")
    cases["far"] = closed({**p, "checker": far_checker}, far, at(2024, 7, 2, 9), worker="far_worker",
                          handler="far_worker")
    start_clock_on(TODAY)
    clock.today()  # the clock's setting is read once, not by the figures
    return cases


def month(year: int, number: int) -> datetime.date:
    return datetime.date(year, number, 1)


# --- selectors ---------------------------------------------------------------------------------

def test_window__months_to__twelve_calendar_months_up_to_the_day():
    assert (WINDOW.first, WINDOW.last) == (datetime.date(2023, 11, 1), TODAY)
    assert WINDOW.months()[0] == month(2023, 11) and WINDOW.months()[-1] == month(2024, 10)
    assert len(WINDOW.months()) == 12
    assert Window.months_to(datetime.date(2024, 1, 31), 2).first == datetime.date(2023, 12, 1)


def test_monthly_trend__street__reported_and_closed_by_local_month(months_of_cases, people,
                                                                   django_assert_max_num_queries):
    with django_assert_max_num_queries(3):  # roles, reported by month, closed by month
        trend = monthly_trend(people["street"], None, WINDOW)

    by_month = {row["month"]: (row["reported"], row["closed"]) for row in trend}
    assert len(trend) == 12
    assert by_month[month(2024, 3)] == (1, 1)
    assert by_month[month(2024, 4)] == (1, 0)  # 00:30 on 1 April here, 31 March in UTC
    assert by_month[month(2024, 5)] == (2, 0)
    assert by_month[month(2024, 6)] == (0, 1)
    assert by_month[month(2024, 7)] == (1, 0)  # the other street's July case is not the street's
    assert sum(r for r, _c in by_month.values()) == 5
    assert trend[-1]["first"] == month(2024, 10) and trend[-1]["last"] == TODAY


def test_period_totals__community_worker__their_community_only(months_of_cases, people,
                                                              django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        totals = period_totals(people["worker"], None, WINDOW)

    assert totals == {"reported": 4, "closed": 2, "closed_on_time": 2, "rated": 1, "mean_rating": 4.0,
                      "on_time_rate": 1.0}


def test_place_ranking__district__streets_then_communities_of_each(months_of_cases, located, people,
                                                                    django_assert_max_num_queries):
    with django_assert_max_num_queries(3):  # roles, the places, the cases grouped
        streets = place_ranking(people["district"], None, WINDOW, (PlaceKind.STREET,))

    assert [(row["name"], row["reported"], row["closed"], row["open"], row["overdue"]) for row in streets] == [
        ("武林街道", 5, 2, 2, 1), ("天水街道", 1, 1, 0, 0)]
    assert streets[0]["closure_rate"] == 0.5 and streets[1]["closure_rate"] == 1.0
    assert streets[0]["mean_rating"] == 4.0 and streets[1]["mean_rating"] is None
    communities = place_ranking(people["district"], None, WINDOW, COMMUNITIES)
    assert [(row["code"], row["reported"]) for row in communities] == [
        (located.community.code, 4), (located.neighbour.code, 1), (located.far_community.code, 1)]


def test_place_ranking__street_user__only_their_street(months_of_cases, located, people):
    streets = place_ranking(people["street"], None, WINDOW, (PlaceKind.STREET,))
    communities = place_ranking(people["street"], None, WINDOW, COMMUNITIES)

    assert [row["code"] for row in streets] == [located.street.code]
    assert [row["code"] for row in communities] == [located.community.code, located.neighbour.code]
    assert place_ranking(people["street"], located.far_community, WINDOW, COMMUNITIES) == []


def test_place_ranking__place_without_cases__zeros_and_no_rate(located, people):
    start_clock_on(TODAY)

    rows = place_ranking(people["street"], None, WINDOW, COMMUNITIES)

    assert [(row["reported"], row["closure_rate"], row["mean_rating"]) for row in rows] == [(0, None, None)] * 2


def test_category_breakdown__sub_category_counts_under_its_category(months_of_cases, people,
                                                                   django_assert_max_num_queries):
    with django_assert_max_num_queries(3):  # roles, the cases grouped, the names
        rows = category_breakdown(people["street"], None, WINDOW)

    assert [(row["code"], row["name"], row["reported"], row["open"], row["overdue"], row["closed"])
            for row in rows] == [("environment", "环境卫生", 4, 1, 0, 2), ("lift-broken", "电梯故障", 1, 1, 1, 0)]


@pytest.mark.parametrize("selector", [monthly_trend, period_totals, category_breakdown])
def test_figures__more_cases__same_number_of_queries(selector, located, categories, people):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    start_clock_on(TODAY)
    reported(people, categories["rubbish"], located.building, at(2024, 3, 4, 9))
    selector(people["street"], None, WINDOW)  # the clock and the roles, read once
    with CaptureQueriesContext(connection) as few:
        selector(people["street"], None, WINDOW)
    for day in range(1, 8):
        reported(people, categories["lift"], located.neighbour_estate, at(2024, day, day, 9), answers=LIFT,
                 reporter="street")
    selector(people["street"], None, WINDOW)
    with CaptureQueriesContext(connection) as more:
        selector(people["street"], None, WINDOW)
    assert len(more) == len(few)


# --- the page ----------------------------------------------------------------------------------

FIGURE_LINK = re.compile(r'<a href="([^"]+)" data-count="(\d+)"')


def figure_links(response) -> list[tuple[str, int]]:
    return [(html.unescape(href), int(count)) for href, count in FIGURE_LINK.findall(response.content.decode())]


@pytest.mark.parametrize("role", ["street", "worker", "district"])
def test_figures_page__every_number_links_to_a_list_of_as_many_cases(months_of_cases, client, people, role):
    client.force_login(people[role])

    links = figure_links(client.get(reverse("cases:dashboard")))

    assert len(links) > 20
    assert any(count for _href, count in links)
    for href, count in links:
        listed = client.get(href)
        assert listed.status_code == 200
        assert listed.context["page"].paginator.count == count, href


def test_figures_page__narrowed_to_a_community__links_keep_the_place(months_of_cases, client, located, people):
    client.force_login(people["street"])

    response = client.get(reverse("cases:dashboard"), {"scope": located.community.code})

    links = figure_links(response)
    assert links and all(f"place={located.community.code}" in href for href, _count in links)
    for href, count in links:
        assert client.get(href).context["page"].paginator.count == count


def test_figures_page__street_user__nothing_of_the_other_street(months_of_cases, client, located, people):
    client.force_login(people["street"])

    response = client.get(reverse("cases:dashboard"))

    page = response.content.decode()
    assert response.context["streets"] is None  # one street: no street ranking
    assert [row["name"] for row in response.context["communities"]["rows"]] == ["竹竿巷社区", "龙游社区"]
    assert "天水街道" not in page and "武林路社区" not in page
    assert response.context["totals"]["reported"] == 5
    assert sum(row["reported"] for row in response.context["trend"]) == 5


def test_figures_page__district__streets_ranked_by_the_chosen_measure(months_of_cases, client, people):
    client.force_login(people["district"])

    by_closure = client.get(reverse("cases:dashboard")).context["streets"]["rows"]
    by_overdue = client.get(reverse("cases:dashboard"), {"rank": "overdue"}).context["streets"]["rows"]

    assert [row["name"] for row in by_closure] == ["天水街道", "武林街道"]
    assert [row["name"] for row in by_overdue] == ["武林街道", "天水街道"]
    assert by_closure[0]["closure_text"] == "100.0%" and by_closure[0]["position"] == 1


def test_figures_page__charts_as_json_no_inline_script(months_of_cases, client, people):
    client.force_login(people["district"])

    page = client.get(reverse("cases:dashboard")).content.decode()

    for name in ("trend", "category", "level", "street", "community"):
        assert f'id="{name}-chart" ' in page and f'data-chart="{name}-chart-data"' in page
        assert f'<script id="{name}-chart-data" type="application/json">' in page
    assert "<script>" not in page


def test_figures_page__query_count__same_for_few_and_many_cases(months_of_cases, client, located, categories,
                                                                 people):
    from .test_pages import queries_for

    client.force_login(people["district"])
    client.get(reverse("cases:dashboard"))  # (the top of the place tree is read once per process)
    few = queries_for(client, reverse("cases:dashboard"))
    for day in range(1, 6):
        closed(people, reported(people, categories["rubbish"], located.building, at(2024, 8, day, 9)),
               at(2024, 8, day, 15), rating=day)
    assert queries_for(client, reverse("cases:dashboard")) == few


# --- the queue's date filters ------------------------------------------------------------------

def test_queue__reported_and_closed_days__both_ends_included(months_of_cases, client, people):
    client.force_login(people["street"])
    queue = reverse("cases:queue")

    april = client.get(queue, {"stage": "all", "reported_from": "2024-04-01", "reported_to": "2024-04-01"})
    june = client.get(queue, {"stage": "closed", "closed_from": "2024-06-01", "closed_to": "2024-06-30"})
    since = client.get(queue, {"stage": "all", "reported_from": "2024-05-11"})

    assert [c.number for c in april.context["page"]] == [months_of_cases["late"].number]
    assert [c.number for c in june.context["page"]] == [months_of_cases["june"].number]
    assert {c.number for c in since.context["page"]} == {months_of_cases["june"].number,
                                                        months_of_cases["neighbour"].number}
    assert 'name="reported_from" value="2024-05-11"' in since.content.decode()  # kept when the filters change


def test_queue__date_not_a_date__nothing_listed(months_of_cases, client, people):
    client.force_login(people["street"])

    response = client.get(reverse("cases:queue"), {"stage": "all", "reported_from": "2024-02-30"})

    assert response.status_code == 200 and response.context["page"].paginator.count == 0
