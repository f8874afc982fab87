"""The shell lists what the apps register: in the registered order, to the users who may see it, once."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory
from django.utils import translation

from commonground.core import reporting
from commonground.core.models import RoleKind
from commonground.core.permissions import can
from commonground.web import registry
from commonground.web.registry import HomeCard, NavEntry, Tab
from commonground.web.templatetags.cg import header_tools


@pytest.fixture
def own_registries(monkeypatch):
    """Registrations made by a test vanish after it."""
    for name in ("NAV", "HOME_CARDS", "HEADER_TOOLS", "WORK_CARD_PROVIDERS", "QUICK_ACTIONS"):
        monkeypatch.setattr(registry, name, list(getattr(registry, name)))
    monkeypatch.setattr(reporting, "LABELS", dict(reporting.LABELS))
    with translation.override("en"):
        yield


def labels(items) -> list[str]:
    return [str(item.label) for item in items]


def test_register_nav__same_entry_twice__listed_once(own_registries):
    entry = NavEntry("extra", "Extra", ("core:place-list",), order=25)
    registry.register_nav(entry)
    registry.register_nav(entry)
    assert [e.name for e in registry.NAV].count("extra") == 1


def test_nav__entry_of_an_app__in_its_order_for_whoever_may_see_it(own_registries, tree, make_user):
    registry.register_nav(NavEntry("extra", "Extra", ("core:place-list",), ("place.change",), order=25))
    registry.register_home_cards(HomeCard("place.change", "Extra work", ("no-such-page", "core:report"), order=65))
    street = make_user(RoleKind.STREET_STAFF, tree.street)
    resident = make_user(RoleKind.RESIDENT, tree.estate)

    assert labels(registry.nav_for(street, "/places/"))[:5] == ["Home", "Places", "Digital cockpit", "Extra", "Report"]
    assert "Extra" not in labels(registry.nav_for(resident, "/"))
    cards = {str(card.label): card.url for card in registry.capabilities_for(street)}
    assert cards["Extra work"] == "/report/"  # the first page name that resolves


def test_nav__entry_with_tabs__leads_to_the_first_tab_current_by_its_prefix(own_registries, tree, make_user):
    def tabs(user, path):
        return [Tab("One", "/places/", path == "/places/"), Tab("Two", "/report/", path == "/report/")]

    registry.register_nav(NavEntry("tabbed", "Tabbed", order=90, active_prefix="/rep", tabs=tabs))
    user = make_user(RoleKind.STREET_STAFF, tree.street)
    (item,) = [i for i in registry.nav_for(user, "/report/x/") if i.label == "Tabbed"]
    assert item == Tab("Tabbed", "/places/", True)


def test_work_cards__providers_once__cards_in_their_order_for_that_user(own_registries, tree, make_user):
    registry.WORK_CARD_PROVIDERS.clear()

    def tiles(user):
        return [registry.WorkCard("extra.tile", "Tile", "/places/", count=0, order=50)]

    def now(user):
        if not can(user, "place.change"):
            return []
        return [registry.WorkCard("extra.now", "Do it", action=registry.WorkLink("Go", "/report/"), order=5)]

    registry.register_work_cards(tiles, now)
    registry.register_work_cards(tiles)
    street, resident = make_user(RoleKind.STREET_STAFF, tree.street), make_user(RoleKind.RESIDENT, tree.estate)
    assert [card.key for card in registry.work_cards_for(street)] == ["extra.now", "extra.tile"]
    assert [card.key for card in registry.work_cards_for(resident)] == ["extra.tile"]
    tile, = registry.work_cards_for(resident)
    assert tile.is_tile and not tile.has_work


def test_quick_actions__by_permission__pages_not_installed_left_out(own_registries, tree, make_user):
    registry.QUICK_ACTIONS.clear()
    registry.register_quick_actions(registry.QuickAction("place.view", "Places", ("core:place-list",), order=2),
                                    registry.QuickAction("place.view", "Nowhere", ("no-such-page",), order=1),
                                    registry.QuickAction("place.change", "Edit", ("core:place-list",), order=3))
    resident = make_user(RoleKind.RESIDENT, tree.estate)
    assert registry.quick_actions_for(resident) == [registry.WorkLink("Places", "/places/")]


def test_first_rows__fewer_than_the_limit__one_query(tree, django_assert_num_queries):
    from commonground.core.models import Place

    with django_assert_num_queries(1):
        rows, total = registry.first_rows(Place.objects.filter(kind="street").order_by("path"), 3)
    assert (len(rows), total) == (2, 2)
    with django_assert_num_queries(2):
        rows, total = registry.first_rows(Place.objects.order_by("path"), 3)
    assert len(rows) == 3 and total == Place.objects.count()


def test_header_tools__rendered_for_a_signed_in_user_only(own_registries, make_user):
    registry.HEADER_TOOLS.clear()
    registry.register_header_tools(registry.HeaderTool("cases/_bell.html", lambda request: {"unread": 3}))
    request = RequestFactory().get("/")
    request.user = make_user()
    assert 'aria-label="3 unread notifications"' in header_tools({"request": request})
    request.user = AnonymousUser()
    assert header_tools({"request": request}) == ""


def test_report_labels__a_key_labelled_twice_alike__kept_differently__refused(own_registries):
    reporting.report_labels({"estates": reporting.LABELS["estates"]})
    with pytest.raises(ImproperlyConfigured):
        reporting.report_labels({"estates": "Something else"})
