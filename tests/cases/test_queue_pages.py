"""The queue as staff use it: what waits at their own level (a district officer's is what the district handles),
every case in their area a click away, search by number, words or place, sort, rows that lead with what and where."""

from __future__ import annotations

import datetime

from commonground.cases.models import Case, Level
from commonground.cases.selectors import QueueFilters, case_queue
from commonground.cases.services.deadlines import tick
from commonground.cases.services.workflow import case_accept, case_dispatch, case_escalate
from commonground.core import clock

from .conftest import at, frozen
from .test_pages import dispatched, far_case, queue_numbers, reported, translated, url


def escalated(people, category, place, *, to_district: bool = False) -> Case:
    """A case the community worker sent up to the street (and the street on to the district)."""
    case = case_escalate(case=dispatched(people, category, place), actor=people["worker"], reason="社区无法解决")
    if to_district:
        case = case_escalate(case=case, actor=people["street"], reason="街道也无法解决")
    return case


def test_queue__district_officer__my_work_is_what_the_district_handles(client, located, categories, people):
    new = reported(people["resident"], categories["rubbish"], located.estate)
    at_community = dispatched(people, categories["rubbish"], located.estate)
    at_street = escalated(people, categories["rubbish"], located.estate)
    at_district = escalated(people, categories["rubbish"], located.estate, to_district=True)
    client.force_login(people["district"])

    assert queue_numbers(client.get(url("queue"))) == [at_district.number]
    everything = client.get(url("queue"), {"scope": "all"})
    assert set(queue_numbers(everything)) == {new.number, at_community.number, at_street.number, at_district.number}
    client.force_login(people["street"])
    assert queue_numbers(client.get(url("queue"))) == [at_street.number]


def test_queue__community_worker__mine_holds_new_and_lower_level_cases_not_those_sent_up(
        client, located, categories, people, make_user):
    new = reported(people["resident"], categories["rubbish"], located.estate)
    in_building = reported(people["resident"], categories["rubbish"], located.building)
    case_accept(case=in_building, actor=people["worker"])
    in_building = case_dispatch(case=in_building, actor=people["worker"], level=Level.BUILDING)
    sent_up = escalated(people, categories["rubbish"], located.estate)
    far_case(located, categories, make_user)
    client.force_login(people["worker"])

    response = client.get(url("queue"))
    assert set(queue_numbers(response)) == {new.number, in_building.number}
    assert response.context["mine"] is True
    assert set(queue_numbers(client.get(url("queue"), {"scope": "all"}))) == {new.number, in_building.number,
                                                                             sent_up.number}
    client.force_login(people["commissioner"])  # a role at the building: what the building handles
    assert queue_numbers(client.get(url("queue"))) == [in_building.number]


def test_queue__link_with_filters__asks_about_the_whole_area(client, located, categories, people):
    """The home page and the figures link here with the filter words; they count the whole area."""
    sent_up = escalated(people, categories["rubbish"], located.estate)
    client.force_login(people["worker"])
    assert queue_numbers(client.get(url("queue"), {"stage": "dispatch"})) == [sent_up.number]
    assert queue_numbers(client.get(url("queue"), {"stage": "dispatch", "scope": "mine"})) == []


def test_queue__search__by_number_words_and_place(client, located, categories, people):
    rubbish = reported(people["resident"], categories["rubbish"], located.building, description="东门垃圾桶满了")
    lift = reported(people["resident"], categories["lift"], located.estate, description="电梯运行时有异响",
                    answers={"lift_number": "1号梯", "people_trapped": "no"})
    neighbour = reported(people["neighbour_resident"], categories["rubbish"], located.neighbour_estate,
                         description="东门垃圾桶满了")
    client.force_login(people["worker"])

    def found(q: str) -> set[str]:
        return set(queue_numbers(client.get(url("queue"), {"q": q})))

    assert found(rubbish.number) == {rubbish.number}
    assert found(rubbish.number[:10].lower()) >= {rubbish.number}
    assert found("垃圾桶") == {rubbish.number}  # the neighbour's case is outside the worker's area
    assert found("竹竿巷小区") == {rubbish.number, lift.number}  # the estate and the building in it
    assert found("电梯故障") == {lift.number}  # the category's name
    assert found("没有这回事") == set()
    assert neighbour.number not in found(neighbour.number)


def test_queue__sort__newest_first(client, located, categories, people):
    with frozen(at(2024, 9, 23, 9, 0)):
        older = dispatched(people, categories["rubbish"], located.estate)
    newer = dispatched(people, categories["noise"], located.estate)
    client.force_login(people["worker"])
    assert queue_numbers(client.get(url("queue"), {"sort": "newest"})) == [newer.number, older.number]


def test_queue__row__leads_with_category_place_and_summary(client, located, categories, people):
    case = reported(people["resident"], categories["rubbish"], located.building, description="东门垃圾桶满了" * 10)
    client.force_login(people["worker"])
    html = client.get(url("queue")).content.decode()
    cell = html[html.index('<td class="case-cell">'):]
    cell = cell[:cell.index("</td>")]
    assert "暴露垃圾 · 竹竿巷小区1幢" in cell
    assert "东门垃圾桶满了" in cell and "东门垃圾桶满了" * 10 not in cell  # one line of the description
    assert cell.index("case-title") < cell.index(case.number)  # the number comes after, small


def test_queue__escalated_when_late__no_overdue_badge_beside_the_new_deadline(client, located, categories, people):
    with frozen(at(2024, 9, 23, 9, 0)):
        case = dispatched(people, categories["rubbish"], located.estate)  # due 13:00
    with frozen(at(2024, 9, 23, 15, 0)):
        tick()  # up to the street, with a new deadline
        case.refresh_from_db()
        assert case.level == "street" and case.deadline > clock.now()
        client.force_login(people["street"])
        response = client.get(url("queue"))
        assert queue_numbers(response) == [case.number]
        assert 'class="badge overdue"' not in response.content.decode()
        page = client.get(url("detail", case.number)).content.decode()
        assert 'class="badge overdue"' not in page
    with frozen(case.deadline + datetime.timedelta(hours=1)):
        assert not case_queue(people["street"], QueueFilters(overdue=True)).exists()  # the district has it now


def test_queue__query_count__bounded_with_search_and_scope(client, located, categories, people,
                                                           django_assert_max_num_queries):
    for _ in range(12):
        dispatched(people, categories["rubbish"], located.building)
    client.force_login(people["worker"])
    client.get(url("queue"))  # warm the session
    for params in ({}, {"scope": "all", "q": "垃圾", "sort": "newest"}, {"q": "竹竿巷小区"}):
        with django_assert_max_num_queries(12):
            response = client.get(url("queue"), params)
        assert len(queue_numbers(response)) == 12


def test_queue__empty_mine__says_so_and_links_to_the_area(client, located, categories, people):
    reported(people["resident"], categories["rubbish"], located.estate)
    client.force_login(people["street"])
    html = client.get(url("queue")).content.decode()
    assert translated("Nothing waits at your level.") in html
    assert "?scope=all" in html
