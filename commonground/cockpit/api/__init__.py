"""The cockpit's API: /api/signals/ (readings pushed by sources with their API key; sensors and series for staff)
and /api/cockpit/ (dashboards, map layers, vitality, warnings for staff). One router per part, mounted here."""

from __future__ import annotations

from ninja import Router

from . import dashboards, signals, warnings

signals_router = Router(tags=["signals"])
signals_router.add_router("/", signals.router)
cockpit_router = Router(tags=["cockpit"])
for part in (dashboards, warnings):
    cockpit_router.add_router("/", part.router)
