"""Three-party coordination: permissions per role kind and the local rules (settings `CG_COORDINATION_*`).

Where a permission holds is the resolver's business: a community worker's at their community, an owners'
committee member's and a property manager's at their estate, so each sees that estate's profile, evaluation
results and fund projects only. The fund itself is scoped by its place (the district): approving and paying
from it needs the permission there, which only the fund office (district staff) holds.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings

from commonground.core.models import RoleKind
from commonground.core.rules import grant

# coordination.view: estate profiles, the where-to-act list, offices, party and association network;
# coordination.manage: property contracts, office staff, corridor branches' buildings.
# fund.view / fund.apply / fund.review_community / fund.review_street / fund.approve (approve, pay, open funds).
# evaluation.view (results) / evaluation.manage (questionnaires and rounds) / evaluation.respond (a household).
# Staff hold evaluation.respond too (answering still needs membership of the household), so that their roles
# carry every permission of the residents and committee members they appoint or reset passwords for.
grant(RoleKind.STREET_STAFF, {"coordination.*", "fund.view", "fund.apply", "fund.review_street", "fund.approve",
                              "evaluation.*"})
grant(RoleKind.COMMUNITY_WORKER, {"coordination.*", "fund.view", "fund.apply", "fund.review_community",
                                  "evaluation.*"})
grant(RoleKind.GRID_WORKER, {"coordination.view", "fund.view", "evaluation.view"})
grant(RoleKind.OWNERS_COMMITTEE_MEMBER, {"coordination.view", "fund.view", "fund.apply", "evaluation.view",
                                         "evaluation.respond"})
grant(RoleKind.PROPERTY_MANAGER, {"coordination.view", "evaluation.view"})
grant(RoleKind.RESIDENT, {"evaluation.respond"})


def setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def warning_months() -> int:
    """A committee term or a property contract ending within this many months shows as a warning (Hangzhou asks
    for the committee's report to the street office 3 months before its term ends)."""
    return setting("CG_COORDINATION_WARNING_MONTHS", 3)


# Estate profiles (profile_rules.py): low satisfaction is a mean revisit rating below this (of 5), over at least
# so many ratings of the estate's cases closed in the last 12 months.
def low_rating_threshold() -> Decimal:
    return Decimal(str(getattr(settings, "CG_COORDINATION_LOW_RATING", "3.5")))


def min_ratings() -> int:
    return setting("CG_COORDINATION_MIN_RATINGS", 5)


def low_score() -> int:
    """A property-service evaluation round closing with an estate's overall score (out of 100) below this opens a
    supervision case for the estate."""
    return setting("CG_COORDINATION_LOW_SCORE", 60)
