"""The signals pages of the cockpit."""

from __future__ import annotations

urlpatterns: list = []
