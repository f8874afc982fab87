"""Renewal permissions per role kind and the campaign's local rules (RULES §3).

Who works where is the resolver's business: the project office holds its role at the estate, a field work
group's members hold theirs at the group's buildings (`services/organisation.py` assigns them), so a member
sees and visits the households of their buildings only. An owner sees their own household, its options and
agreement (`own_q`); an owners' committee member, as an owner, no more (households' figures are personal).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings

from commonground.core.models import RoleKind
from commonground.core.rules import grant

# renewal.view: projects, households, progress; renewal.visit: visits and consent answers; renewal.sign:
# agreements and signatures; renewal.select: flat choices; renewal.rules: drafting rule sets;
# renewal.approve: approving and publishing them; renewal.manage: phases, thresholds, organisation.
grant(RoleKind.STREET_STAFF, {"renewal.*"})
grant(RoleKind.COMMUNITY_WORKER, {"renewal.view", "renewal.visit"})
grant(RoleKind.RENEWAL_WORKER, {"renewal.view", "renewal.visit", "renewal.sign", "renewal.select",
                                "renewal.rules", "renewal.manage"})

MIN_EFFECT_THRESHOLD = Decimal("0.8")  # Hangzhou from 2019-05-06: at least 80% fixed in the plan


def comment_days() -> int:
    """Days the compensation plan stays published for comment (Decree 590: at least 30)."""
    return int(getattr(settings, "CG_RENEWAL_COMMENT_DAYS", 30))


def stale_visit_days() -> int:
    """A household not visited for this many days shows on its work group's list."""
    return int(getattr(settings, "CG_RENEWAL_STALE_VISIT_DAYS", 7))


def needed(total: int, threshold: Decimal) -> int:
    """Households needed to reach `threshold` of `total`: the smallest whole number at or above it
    (80% of 548 is 438.4, so 439)."""
    product = Decimal(total) * threshold
    whole = int(product)
    return whole if whole == product else whole + 1
