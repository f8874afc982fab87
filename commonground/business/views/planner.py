"""Pages of the planner part."""

from __future__ import annotations

urlpatterns: list = []
