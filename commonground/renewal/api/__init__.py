"""The renewal API under /api/renewal/: one router per part of the campaign, mounted here."""

from __future__ import annotations

from ninja import Router

from . import field, progress, projects, rulesets, setup, signing

router = Router(tags=["renewal"])
router.add_router("/", projects.router)
router.add_router("/", field.router)
router.add_router("/", rulesets.router)
router.add_router("/", signing.router)
router.add_router("/", progress.router)
router.add_router("/", setup.router)
