"""Pages of the profile part."""

from __future__ import annotations

urlpatterns: list = []
