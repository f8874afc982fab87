"""Case permissions per role kind (added to core's table) and the case engine's domain rules."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings

from commonground.core.models import RoleKind
from commonground.core.rules import grant

STAFF_ALL = {"case.*", "category.view", "mediation.*", "notification.*"}
HANDLER = {"case.view", "case.add", "case.add_on_behalf", "case.handle", "case.stats", "category.view"}

grant(RoleKind.STREET_STAFF, STAFF_ALL)
grant(RoleKind.COMMUNITY_WORKER, STAFF_ALL)
grant(RoleKind.GRID_WORKER, HANDLER)
grant(RoleKind.BUILDING_COMMISSIONER, HANDLER | {"case.mediate"})
grant(RoleKind.PROPERTY_MANAGER, HANDLER - {"case.add_on_behalf"})
grant(RoleKind.RENEWAL_WORKER, {"case.view", "case.add", "category.view"})
grant(RoleKind.OWNERS_COMMITTEE_MEMBER, {"case.add", "category.view"})
grant(RoleKind.RESIDENT, {"case.add", "category.view"})
grant(RoleKind.ENTERPRISE_CONTACT, {"case.add", "category.view"})

# A rating at or below this reopens the case (once), then sends it one level up.
DISSATISFIED_AT_MOST = 2
# Possible duplicates: same category, open, this close in metres and days.
DUPLICATE_RADIUS_M = 50
DUPLICATE_DAYS = 7
DUPLICATES_KEPT = 5  # numbers the reported event keeps (the nearest), beside the count
# Deadline warnings go out when this share of the time limit has passed.
WARN_AT_FRACTION = Decimal("0.75")
DESCRIPTION_MIN, DESCRIPTION_MAX = 5, 2000


def setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def max_files() -> int:
    """Photos and files one report, or one progress note of a handler, may carry."""
    return setting("CG_CASE_MAX_FILES", 9)


def max_media_urls() -> int:
    """Media links one report may carry (API and Open311)."""
    return setting("CG_CASE_MAX_MEDIA_URLS", 9)
