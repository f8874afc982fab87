"""The programmes API under /api/programs/: one router per part, mounted here."""

from __future__ import annotations

from ninja import Router

from . import activities, attendance, groups, jobs

router = Router(tags=["programs"])
router.add_router("/", activities.router)
router.add_router("/", attendance.router)
router.add_router("/", groups.router)
router.add_router("/", jobs.router)
