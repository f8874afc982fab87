"""evaluation API (to be written)."""

from __future__ import annotations

from ninja import Router

router = Router()
