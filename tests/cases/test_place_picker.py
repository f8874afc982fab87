"""The queue's place picker: a search box whose suggestions come from core's place-suggest endpoint, instead of
a select of every place in the user's area. Suggestions and the filter's validation agree on the user's scope."""

from __future__ import annotations

import re

from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from commonground.cases.models import Case
from commonground.cases.services.intake import case_report
from commonground.cases.services.workflow import case_accept, case_dispatch
from commonground.core.models import Place, PlaceKind, User
from commonground.core.selectors import AREA_KINDS, place_suggestions
from commonground.core.services.places import place_create

SUGGEST = reverse("core:place-suggest")
QUEUE = reverse("cases:queue")


def translated(message: str) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return translation.gettext(message)


def suggested(response) -> list[str]:
    """The codes offered, in order (the fragment is nothing but `<option>`s)."""
    assert response.status_code == 200
    return re.findall(r'<option value="([^"]*)">', response.content.decode())


def codes(*places: Place) -> list[str]:
    return [place.code for place in places]


def dispatched(people, category, place) -> Case:
    case = case_report(actor=people["resident"], category=category, place=place, description="楼道口垃圾三天没人清理")
    case_accept(case=case, actor=people["worker"])
    return case_dispatch(case=case, actor=people["worker"])


# --- the suggest endpoint ---------------------------------------------------------------------

def test_place_suggest__by_name__places_containing_it_with_their_parent(client, located, people):
    client.force_login(people["street"])
    response = client.get(SUGGEST, {"q": "竹竿"})
    assert suggested(response) == codes(located.community, located.estate)
    assert f'<option value="{located.estate.code}">竹竿巷小区 · 竹竿巷社区</option>' in response.content.decode()


def test_place_suggest__by_code__places_whose_code_starts_with_it(client, located, people):
    client.force_login(people["street"])
    assert suggested(client.get(SUGGEST, {"q": "330105001002"})) == codes(located.neighbour, located.neighbour_estate)
    assert suggested(client.get(SUGGEST, {"q": "001002"})) == []  # inside a code is not a start


def test_place_suggest__text_sent_as_the_box_name__same_as_q(client, located, people):
    client.force_login(people["street"])
    assert suggested(client.get(SUGGEST, {"place": "龙游"})) == codes(located.neighbour, located.neighbour_estate)


def test_place_suggest__empty_query__area_kinds_in_tree_order(client, located, people):
    client.force_login(people["street"])
    expected = Place.objects.filter(kind__in=AREA_KINDS, path__startswith=located.street.path).order_by("path")
    assert suggested(client.get(SUGGEST)) == [place.code for place in expected]
    assert suggested(client.get(SUGGEST))[:3] == codes(located.street, located.community, located.estate)


def test_place_suggest__many_matches__first_20_in_tree_order(client, located, people):
    for n in range(25):
        place_create(code=f"330105001001-X{n:02d}", name=f"竹竿巷{n:02d}号小区", kind=PlaceKind.ESTATE,
                     parent=located.community)
    client.force_login(people["street"])
    offered = suggested(client.get(SUGGEST, {"q": "竹竿巷"}))
    expected = Place.objects.filter(name__contains="竹竿巷", kind__in=AREA_KINDS).order_by("path")
    assert len(offered) == 20
    assert offered == [place.code for place in expected[:20]]


def test_place_suggest__community_worker__not_the_neighbour_community(client, located, people):
    client.force_login(people["worker"])
    assert suggested(client.get(SUGGEST)) == codes(located.community, located.estate)
    assert suggested(client.get(SUGGEST, {"q": "龙游"})) == []
    assert suggested(client.get(SUGGEST, {"q": located.neighbour.code})) == []


def test_place_suggest__for_an_action__only_where_the_user_may_do_it(client, located, people):
    client.force_login(people["resident"])  # sees their estate, may not view cases there
    assert suggested(client.get(SUGGEST)) == codes(located.estate)
    assert suggested(client.get(SUGGEST, {"for": "case.view"})) == []


def test_place_suggest__kinds__only_known_kinds(client, located, people):
    client.force_login(people["street"])
    assert suggested(client.get(SUGGEST, {"kinds": "estate,no-such-kind"})) == codes(located.estate,
                                                                                  located.neighbour_estate)
    assert suggested(client.get(SUGGEST, {"kinds": "flat", "q": "101"})) == codes(located.flat, located.neighbour_flat)
    assert suggested(client.get(SUGGEST, {"kinds": "no-such-kind"})) == []
    assert suggested(client.get(SUGGEST, {"kinds": "'); drop table core_place; --"})) == []


def test_place_suggest__anonymous__redirected_to_login(client, located):
    response = client.get(SUGGEST, {"q": "竹竿"})
    assert response.status_code == 302 and response["Location"].startswith(reverse(settings.LOGIN_URL))


def test_place_suggest__post__405(client, located, people):
    client.force_login(people["street"])
    assert client.post(SUGGEST, {"q": "竹竿"}).status_code == 405


def test_place_suggestions__one_query_for_the_places_after_the_roles(located, people):
    user = User.objects.get(pk=people["street"].pk)  # roles not yet loaded
    with CaptureQueriesContext(connection) as captured:
        places = place_suggestions(user, "小区")
        assert [place.parent.name for place in places] == ["竹竿巷社区", "龙游社区"]
    assert len(captured) == 2  # the roles, then the places with their parents


# --- the queue's place box --------------------------------------------------------------------

def test_queue__place_box__no_options_only_an_empty_datalist(client, located, categories, people):
    client.force_login(people["district"])
    html = client.get(QUEUE).content.decode()
    box = re.search(r'<input [^>]*name="place"[^>]*>', html).group(0)
    assert 'type="search"' in box and 'list="queue-place-options"' in box and 'autocomplete="off"' in box
    assert re.search(r'<datalist id="queue-place-options" hx-get="/places/suggest\?[^"]*for=case.view"[^>]*>'
                     r'</datalist>', html)
    assert not any(code in option for option in re.findall(r"<option[^>]*>", html)
                   for code in Place.objects.values_list("code", flat=True))


def test_queue__place_box__no_query_lists_places(client, located, categories, people):
    client.force_login(people["district"])
    client.get(QUEUE)  # (the district's own path is read once per process: the place cache)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(QUEUE).status_code == 200
    assert [q["sql"] for q in captured.captured_queries if 'FROM "core_place"' in q["sql"]] == []


def test_queue__place_chosen__filtered_and_its_name_shown(client, located, categories, people):
    here = dispatched(people, categories["rubbish"], located.estate)
    case_report(actor=people["neighbour_resident"], category=categories["rubbish"], place=located.neighbour_estate,
                description="小区路灯已经不亮一周了")
    client.force_login(people["street"])
    response = client.get(QUEUE, {"place": located.community.code})
    assert [case.number for case in response.context["page"].object_list] == [here.number]
    html = response.content.decode()
    assert f'value="{located.community.code}"' in html
    assert '<small id="queue-place-name" class="muted">竹竿巷社区</small>' in html


def test_queue__place_outside_scope__nothing_selected_and_said_why(client, located, categories, people):
    dispatched(people, categories["rubbish"], located.estate)
    client.force_login(people["worker"])
    response = client.get(QUEUE, {"place": located.neighbour.code})
    assert list(response.context["page"].object_list) == []
    html = response.content.decode()
    assert "龙游" not in html
    assert translated("Not a place in your area: pick one from the list.") in html


def test_queue__htmx_results__carry_the_place_name_out_of_band(client, located, categories, people):
    client.force_login(people["street"])
    response = client.get(QUEUE, {"place": located.estate.code}, HTTP_HX_REQUEST="true",
                          HTTP_HX_TARGET="case-results")
    html = response.content.decode()
    assert [t.name for t in response.templates][0] == "cases/_queue_results.html"
    assert html.rstrip().endswith(
        '<small id="queue-place-name" class="muted" hx-swap-oob="true">竹竿巷小区</small>')


def test_queue__place_box_empty__everywhere(client, located, categories, people):
    case = dispatched(people, categories["rubbish"], located.estate)
    client.force_login(people["street"])
    response = client.get(QUEUE, {"place": "", "scope": "all"})
    assert [c.number for c in response.context["page"].object_list] == [case.number]
    assert '<small id="queue-place-name" class="muted"></small>' in response.content.decode()
