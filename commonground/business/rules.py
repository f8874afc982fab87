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


# The retention signals' points and limits (business/risk.py); CG_BUSINESS_RISK_WEIGHTS overrides any of them.
RISK_DEFAULTS: dict[str, int] = {
    "tax_fall": 30, "tax_fall_percent": 20,  # tax this year to date at least 20% below the same months last year
    "lease_ending": 20, "lease_days": 180,  # the lease ends within 180 days (or has ended)
    "registration_move": 30,  # the firm announced it will move its registration away
    "headcount_fall": 15, "headcount_fall_percent": 20,  # headcount at least 20% below a year ago
    "demand_open": 5, "demand_overdue": 10, "demands_max": 25,  # per unresolved / overdue demand, capped
    "complaints": 15, "complaints_min": 2, "complaints_days": 90,  # 2+ complaints by its people in 90 days
    "registered_elsewhere": 10,  # present here but registered elsewhere
}


def risk_weights() -> dict[str, int]:
    """The retention signals' points and limits: the defaults, with the setting's values over them."""
    return {**RISK_DEFAULTS, **{key: int(value) for key, value in
                                getattr(settings, "CG_BUSINESS_RISK_WEIGHTS", {}).items()}}


def risk_account() -> str:
    """The username under which the nightly assessment opens commissioner tasks (empty: the first active
    superuser)."""
    return str(getattr(settings, "CG_BUSINESS_RISK_ACCOUNT", ""))
