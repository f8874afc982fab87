"""Lists count at most COUNT_CAP rows: a queue of a whole district costs what one of ten thousand does, and says
there are more."""

from __future__ import annotations

from commonground.core.models import Place
from commonground.core.pagination import CappedPaginator


def test_capped_paginator__fewer_rows_than_the_cap__exact_count(tree):
    paginator = CappedPaginator(Place.objects.order_by("path"), 2)
    assert (paginator.count, paginator.capped) == (Place.objects.count(), False)


def test_capped_paginator__more_rows__counted_to_the_cap(tree, monkeypatch, django_assert_num_queries):
    monkeypatch.setattr("commonground.core.pagination.COUNT_CAP", 3)
    paginator = CappedPaginator(Place.objects.order_by("path"), 2)
    with django_assert_num_queries(1):  # SELECT COUNT(*) FROM (… LIMIT 4)
        assert (paginator.count, paginator.capped, paginator.num_pages) == (3, True, 2)
