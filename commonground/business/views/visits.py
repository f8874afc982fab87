"""Pages of the visits part."""

from __future__ import annotations

urlpatterns: list = []
