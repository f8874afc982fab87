"""Pages of the ledgers part."""

from __future__ import annotations

urlpatterns: list = []
