"""The warnings part of the cockpit API."""

from __future__ import annotations

from ninja import Router

router = Router()
