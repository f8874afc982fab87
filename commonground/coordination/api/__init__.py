"""The coordination API under /api/coordination/: one router per part, mounted here."""

from __future__ import annotations

from ninja import Router

from . import evaluation, fund, network, profiles

router = Router(tags=["coordination"])
router.add_router("/", profiles.router)
router.add_router("/", network.router)
router.add_router("/", evaluation.router)
router.add_router("/", fund.router)
