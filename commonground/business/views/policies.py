"""Pages of the policies part."""

from __future__ import annotations

urlpatterns: list = []
