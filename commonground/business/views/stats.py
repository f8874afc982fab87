"""Pages of the stats part."""

from __future__ import annotations

urlpatterns: list = []
