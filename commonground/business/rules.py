"""Business communities: permissions per role kind and the local rules (settings `CG_BUSINESS_*`).

The ledgers (buildings, enterprises, tax records), the statistics, policies and the visit plans are the work of the
street's staff at their street's business communities (managers: they adjust and re-plan). A building commissioner
(楼宇专员) holds their role at a business community, but sees only the enterprises of the buildings they are assigned
(`CommissionerAssignment`): the business models reach them through `own_q`, not through the role's scope, so no
business permission is granted to the commissioner role by scope. An enterprise contact sees only their own
enterprise (its `EnterpriseContact` row names their account), files its demands and applies for policies.
Published policies are a noticeboard every signed-in user sees.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings

from commonground.core.models import RoleKind
from commonground.core.rules import explicit_only, grant

# buildingledger.view / .manage: a building's ledger (vacant area, grade);
# enterprise.view / .manage (create, edit, import the ledgers) / .view_personal_data (contacts unmasked);
# taxrecord.view / .manage; commissioner.view / .manage (appoint, assign buildings, capacity, leave);
# visit.view / .record (record a visit, also other departments') / .manage;
# visitplan.view / .manage (plan, adjust, lock, re-plan); policy.view (drafts; published ones everyone sees) /
# .manage; policyapplication.view / .manage (record applications and outcomes);
# risk.view / .manage (retention warnings); businessstats.view (statistics and their export).
STAFF_PERMISSIONS = {"buildingledger.*", "enterprise.*", "taxrecord.*", "commissioner.*", "visit.*", "visitplan.*",
                     "policy.*", "policyapplication.*", "risk.*", "businessstats.*"}
grant(RoleKind.STREET_STAFF, STAFF_PERMISSIONS)
# The commissioner role's scope carries only what is not about single firms (the policy package); firms,
# their visits and plans reach a commissioner through their assigned buildings (the models' own_q).
grant(RoleKind.BUILDING_COMMISSIONER, {"policy.view", "commissioner.work"})
# Only for opening the pages of one's own work (a commissioner's day, a firm's own page): no wildcard carries them.
explicit_only({"commissioner.work", "enterprise.self"})
grant(RoleKind.ENTERPRISE_CONTACT, {"enterprise.self"})

# What a commissioner may do on the enterprises of their assigned buildings (own_q of the business models).
COMMISSIONER_ACTIONS = {"enterprise.view", "taxrecord.view", "visit.view", "visit.record", "visitplan.view",
                        "policyapplication.view", "risk.view", "buildingledger.view"}
# What an enterprise contact may do on their own enterprise.
CONTACT_ACTIONS = {"enterprise.view", "visit.view", "policyapplication.view", "policyapplication.manage"}


def new_enterprise_capital() -> Decimal:
    """The registered capital from which a new enterprise counts in the statistics (¥1m)."""
    return Decimal(str(getattr(settings, "CG_BUSINESS_NEW_ENTERPRISE_CAPITAL", "1000000")))


def risk_threshold() -> int:
    """A risk score at or above this opens a commissioner task and raises the firm's visit priority."""
    return int(getattr(settings, "CG_BUSINESS_RISK_THRESHOLD", 60))


def newcomer_days() -> int:
    """A firm that moved in is visited within this many days of its arrival."""
    return int(getattr(settings, "CG_BUSINESS_NEWCOMER_DAYS", 30))


def min_days_between_visits() -> int:
    """No firm is visited twice within this many days, by anyone (other departments' planned visits count)."""
    return int(getattr(settings, "CG_BUSINESS_MIN_DAYS_BETWEEN_VISITS", 14))


def planner_seconds() -> float:
    """How long CP-SAT may search for one plan (all its business communities together); the greedy plan is the
    fallback when it finds none in time."""
    return float(getattr(settings, "CG_BUSINESS_PLANNER_SECONDS", 10))


def planner_workers() -> int:
    """CP-SAT's parallel workers for one plan."""
    return int(getattr(settings, "CG_BUSINESS_PLANNER_WORKERS", 2))


def repeat_contact_days() -> int:
    """A planned visit within this many days of another contact of the firm counts as a repeat contact (the
    planner keeps these fewest); twice the hard minimum by default."""
    return int(getattr(settings, "CG_BUSINESS_REPEAT_CONTACT_DAYS", 2 * min_days_between_visits()))


def planner_demo_seconds() -> float:
    """CP-SAT's time per business community when the demo builds its plans (0: the greedy plan, to keep the
    demo build fast)."""
    return float(getattr(settings, "CG_BUSINESS_PLANNER_DEMO_SECONDS", 0))
