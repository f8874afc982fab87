"""Placeholder: the groups part's API."""

from __future__ import annotations

from ninja import Router

router = Router()
