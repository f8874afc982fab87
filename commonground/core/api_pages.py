"""Every list the API answers comes a page at a time in one shape, `{"count": n, "items": [...]}` (ninja's own
pagination shape), with the same bounded `page` and `page_size` parameters (anything else is a 422):

    @router.get("/votes", response=Page[VoteOut])
    def vote_list(request, filters: VoteQuery = Query(...), pages: PageQuery = Query(...)):
        return paginate(vote_search(...), pages)

Not ninja's `@paginate`: its PageNumberPagination clamps a large `page_size` silently and leaves `page` unbounded
(an offset past 2**63 fails in the database), and with `from __future__ import annotations` it cannot resolve a
handler's query schema (django-ninja issue #1717).
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from django.core.exceptions import ImproperlyConfigured
from django.db.models import QuerySet
from ninja import Schema

from .api_types import PAGE_SIZE, PageNumber, PageSize
from .pagination import COUNT_CAP, capped_count

T = TypeVar("T")


class Page(Schema, Generic[T]):
    """The count of all the rows of a list (up to 10,000: `capped` says there are more) and one page of them."""

    count: int
    items: list[T]
    capped: bool = False


class PageQuery(Schema):
    page: PageNumber = 1
    page_size: PageSize = PAGE_SIZE


def paginate(rows: QuerySet, pages: PageQuery) -> dict[str, Any]:
    """The page `pages` asks for of `rows`, and the count of all of them. `rows` must be in a stable order, or
    pages would overlap."""
    if not rows.ordered:
        raise ImproperlyConfigured(f"A page of {rows.model.__name__} rows needs an order.")
    start = (pages.page - 1) * pages.page_size
    counted = capped_count(rows)
    return {"count": min(counted, COUNT_CAP), "capped": counted > COUNT_CAP,
            "items": list(rows[start:start + pages.page_size])}
