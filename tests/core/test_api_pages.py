"""The one page shape of every API list: the rows of the page asked for and the count of all of them (up to a
cap, beyond which `capped` says there are more)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from commonground.core.api_pages import PageQuery, paginate
from commonground.core.models import Place


def test_paginate__second_page__its_rows_and_the_count_of_all(tree):
    places = Place.objects.order_by("path")
    page = paginate(places, PageQuery(page=2, page_size=2))
    assert page == {"count": places.count(), "capped": False, "items": list(places[2:4])}


def test_paginate__page_past_the_end__no_rows_but_the_count(tree):
    assert paginate(Place.objects.order_by("path"), PageQuery(page=1000, page_size=2)) == {
        "count": Place.objects.count(), "capped": False, "items": []}


def test_paginate__more_rows_than_the_cap__counted_to_the_cap_and_said_so(tree, monkeypatch):
    monkeypatch.setattr("commonground.core.api_pages.COUNT_CAP", 3)
    monkeypatch.setattr("commonground.core.pagination.COUNT_CAP", 3)
    page = paginate(Place.objects.order_by("path"), PageQuery(page=1, page_size=2))
    assert (page["count"], page["capped"], len(page["items"])) == (3, True, 2)


def test_paginate__rows_in_no_order__refused(tree):
    with pytest.raises(ImproperlyConfigured):
        paginate(Place.objects.order_by(), PageQuery())
