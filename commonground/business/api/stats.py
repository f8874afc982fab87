"""The stats part's API under /api/business/."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["business"])
