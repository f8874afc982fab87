"""The case engine's cards on the home: staff tiles that count exactly what their filtered queue lists, in scope
only; a reporter's own cases with what happens next."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from commonground.cases.home import next_step, reporter_cards, staff_cards
from commonground.cases.models import Case, Stage
from commonground.cases.selectors import QueueFilters, case_queue
from commonground.cases.services.tallies import tallies_rebuild
from commonground.cases.services.workflow import case_accept, case_dispatch, case_feedback, case_verify
from commonground.core.models import RoleKind

from .conftest import at, frozen
from .test_selectors import dispatched, report

MONDAY_10 = at(2024, 9, 23, 10, 0)


@pytest.fixture(autouse=True)
def _english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def work(located, categories, people):
    """The first community: one case to accept, one to dispatch, two dispatched: one overdue (last week), one due
    today (this morning, 4 working hours); the neighbouring community: one to accept."""
    to_accept = report(located, people, categories["rubbish"], place=located.estate)
    to_dispatch = report(located, people, categories["rubbish"])
    case_accept(case=to_dispatch, actor=people["worker"])
    overdue = dispatched(located, people, categories["rubbish"], at(2024, 9, 16, 9, 0))
    Case.objects.filter(pk=overdue.pk).update(is_overdue=True)
    tallies_rebuild()  # the update above went past the services that keep the counts
    due_today = dispatched(located, people, categories["rubbish"], at(2024, 9, 23, 9, 0))
    neighbour = report(located, people, categories["rubbish"], reporter="neighbour_resident",
                       place=located.neighbour_estate)
    return {"to_accept": to_accept, "to_dispatch": to_dispatch, "overdue": overdue, "due_today": due_today,
            "neighbour": neighbour}


def tiles(user) -> dict[str, int]:
    with frozen(MONDAY_10):
        return {card.key: card.count for card in staff_cards(user)}


def test_staff_cards__community_worker__one_each_in_their_community(work, people):
    assert tiles(people["worker"]) == {"cases.to-accept": 1, "cases.to-dispatch": 1, "cases.to-handle": 2,
                                       "cases.overdue": 1, "cases.due-today": 1}


def test_staff_cards__neighbouring_worker__nothing_of_the_first_community(work, people):
    assert tiles(people["neighbour_worker"]) == {"cases.to-accept": 1, "cases.to-dispatch": 0, "cases.to-handle": 0,
                                                 "cases.overdue": 0, "cases.due-today": 0}


def test_staff_cards__grid_worker__only_the_queues_they_work_on(work, people):
    assert tiles(people["grid"]) == {"cases.to-handle": 2, "cases.overdue": 1, "cases.due-today": 1}


def test_staff_cards__resident__none(work, people):
    assert staff_cards(people["resident"]) == []


@pytest.mark.parametrize("user", ["worker", "neighbour_worker", "street"])
def test_staff_cards__each_tile__counts_what_its_link_lists(work, people, client, user):
    client.force_login(people[user])
    with frozen(MONDAY_10):
        cards = staff_cards(people[user])
        for card in cards:
            path, _sep, query = card.url.partition("?")
            assert path == reverse("cases:queue")
            response = client.get(card.url)
            assert response.status_code == 200
            assert response.context["page"].paginator.count == card.count, card.key


def test_staff_cards__urgent_only_when_there_is_something(work, people):
    with frozen(MONDAY_10):
        tones = {card.key: card.tone for card in staff_cards(people["neighbour_worker"])}
    assert tones == {"cases.to-accept": "normal", "cases.to-dispatch": "quiet", "cases.to-handle": "quiet",
                     "cases.overdue": "quiet", "cases.due-today": "quiet"}


def test_queue__due_today__only_cases_whose_deadline_is_today(work, people):
    with frozen(MONDAY_10):
        assert list(case_queue(people["worker"], QueueFilters(due="today"))) == [work["due_today"]]
        assert list(case_queue(people["worker"], {"due": "someday"})) == []


def test_queue_page__due_today_filter__selected_in_the_form(work, people, client):
    client.force_login(people["worker"])
    with frozen(MONDAY_10):
        response = client.get(reverse("cases:queue"), {"due": "today"})
    assert [case.number for case in response.context["page"]] == [work["due_today"].number]
    assert 'value="today" selected' in response.content.decode()


def test_reporter_cards__resident__own_cases_with_next_step(work, people):
    (card,) = reporter_cards(people["resident"])
    assert card.key == "cases.mine" and str(card.label) == "My cases" and card.url == reverse("cases:mine")
    assert card.count == 4  # the neighbour's case is not theirs
    titles = {item.url for item in card.items}
    assert reverse("cases:detail", args=[work["neighbour"].number]) not in titles
    details = {item.url: item.detail for item in card.items}
    assert details[reverse("cases:detail", args=[work["to_accept"].number])] == (
        "Received. Staff will check it and take it on.")


def test_reporter_cards__neighbour__only_their_own(work, people):
    (card,) = reporter_cards(people["neighbour_resident"])
    assert card.count == 1
    assert [item.url for item in card.items] == [reverse("cases:detail", args=[work["neighbour"].number])]


def test_reporter_cards__more_than_shown__count_says_how_many(located, categories, people):
    for _n in range(7):
        report(located, people, categories["rubbish"])
    (card,) = reporter_cards(people["resident"])
    assert (card.count, len(card.items)) == (7, 5)


def test_reporter_cards__staff_or_nothing_reported__no_card(work, people, make_user, located):
    assert reporter_cards(people["worker"]) == []
    assert reporter_cards(make_user(RoleKind.RESIDENT, located.estate)) == []


def test_reporter_cards__enterprise__its_demands(located, categories, make_user):
    contact = make_user(RoleKind.ENTERPRISE_CONTACT, located.building)
    report(located, {"contact": contact}, categories["parking"], reporter="contact")
    (card,) = reporter_cards(contact)
    assert str(card.label) == "My demands"
    assert card.items[0].title == f"{categories['parking'].name} · {located.building.name}"


def test_next_step__each_stage__who_and_by_when(located, categories, people):
    with frozen(at(2024, 9, 23, 9, 0)):
        case = report(located, people, categories["rubbish"])
        assert next_step(case) == "Received. Staff will check it and take it on."
        case = case_accept(case=case, actor=people["worker"])
        assert next_step(case) == "Taken on. It is being passed to the people who will handle it."
        case = case_dispatch(case=case, actor=people["worker"])
        assert next_step(case) == f"Staff of {located.community.name} is handling it, to be done by Sep 23, 14:30."
        case.is_overdue = True
        assert next_step(case) == f"Staff of {located.community.name} is handling it; it is past its deadline (Sep 23, 14:30)."
        case = case_feedback(case=case, actor=people["grid"], note="已处理")
        assert next_step(case) == f"Staff of {located.community.name} reports it done; staff are checking the result."
        case = case_verify(case=case, actor=people["worker"], approved=True)
    assert case.stage == Stage.CLOSED
    assert next_step(case) == "Done. Tell us how well it was handled."


def test_next_step__at_a_building_or_by_an_organisation__named_so_a_resident_knows_it(located, categories, people,
                                                                                      tree):
    from commonground.core.models import OrganisationKind
    from commonground.core.services.organisations import organisation_create

    with frozen(at(2024, 9, 23, 9, 0)):
        case = report(located, people, categories["lift"])
        case_accept(case=case, actor=people["worker"])
        case = case_dispatch(case=case, actor=people["worker"])
    assert next_step(case).startswith(f"Staff of {tree.estate.name}{tree.building.name} is handling it")
    case.handler = organisation_create(name="竹竿巷物业", kind=OrganisationKind.PROPERTY_COMPANY, place=tree.estate)
    assert next_step(case).startswith("竹竿巷物业 is handling it")


def test_home__worker__tiles_link_to_the_filtered_queue(work, people, client):
    client.force_login(people["worker"])
    with frozen(MONDAY_10):
        html = client.get("/").content.decode()
    assert 'data-card="cases.overdue"' in html
    assert f'href="{reverse("cases:queue")}?overdue=on"' in html
    assert f'href="{reverse("cases:queue")}?due=today"' in html


def test_home__resident__own_case_and_what_happens_next(work, people, client):
    client.force_login(people["resident"])
    html = client.get("/").content.decode()
    assert 'data-card="cases.mine"' in html
    assert "Received. Staff will check it and take it on." in html
    assert work["neighbour"].number not in html


@pytest.mark.parametrize("user", ["worker", "resident"])
def test_home__more_cases__same_number_of_queries(located, categories, people, client, user,
                                                  django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(people[user])
    dispatched(located, people, categories["rubbish"], at(2024, 9, 16, 9, 0))
    for _n in range(6):  # past the five a card lists, so its count query runs in both
        report(located, people, categories["rubbish"])
    with frozen(MONDAY_10), CaptureQueriesContext(connection) as one:
        client.get("/")
    for day in (17, 18, 19, 20):
        case = dispatched(located, people, categories["rubbish"], at(2024, 9, day, 9, 0))
        Case.objects.filter(pk=case.pk).update(is_overdue=True)
        tallies_rebuild()  # the update above went past the services that keep the counts
        report(located, people, categories["rubbish"])
    with frozen(MONDAY_10), django_assert_max_num_queries(len(one)):
        assert client.get("/").status_code == 200
