"""The business communities' API under /api/business/: one router per part, mounted here."""

from __future__ import annotations

from ninja import Router

from . import ledgers, planner, policies, profile, stats, visits

router = Router(tags=["business"])
for part in (ledgers, stats, visits, planner, policies, profile):
    router.add_router("/", part.router)
