"""Lists a page at a time without counting a whole district: a count stops at COUNT_CAP rows ("10,000+"), so a
list of two million rows costs what a list of ten thousand does."""

from __future__ import annotations

from functools import cached_property

from django.core.paginator import Paginator

COUNT_CAP = 10_000


def capped_count(rows) -> int:
    """How many `rows` there are, up to COUNT_CAP + 1 (one more says there are more)."""
    return rows.order_by()[:COUNT_CAP + 1].count()


class CappedPaginator(Paginator):
    """Django's paginator with a count that stops at COUNT_CAP; `capped` says there are more rows than that."""

    @cached_property
    def counted(self) -> int:
        return capped_count(self.object_list)

    @cached_property
    def count(self) -> int:  # type: ignore[override]
        return min(self.counted, COUNT_CAP)

    @property
    def capped(self) -> bool:
        return self.counted > COUNT_CAP
