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


# The building grade (after DB3301/T 0307-2020, 商务楼宇等级划分与评定): indicators in six dimensions, each with the
# points it weighs and the highest value a clerk enters for it (0 … max). Override with CG_BUSINESS_GRADE_INDICATORS
# (a list of (code, label, dimension, weight, max)); `grading.py` turns the entered values into a score and grade.
GRADE_DIMENSIONS = {
    "location": "区位交通", "building": "建筑品质", "facilities": "设施设备", "property": "物业管理服务",
    "smart_green": "智慧与绿色", "economy": "经济贡献与企业服务",
}
DEFAULT_GRADE_INDICATORS: tuple[tuple[str, str, str, int, int], ...] = (
    ("L1", "轨道交通可达性", "location", 3, 5),
    ("L2", "公交线路与站点", "location", 2, 5),
    ("L3", "停车位配比", "location", 3, 5),
    ("L4", "周边商业与生活配套", "location", 2, 5),
    ("L5", "楼宇形象与标识", "location", 2, 5),
    ("B1", "建筑年代与完好程度", "building", 3, 5),
    ("B2", "标准层净高", "building", 3, 5),
    ("B3", "大堂与公共区域", "building", 3, 5),
    ("B4", "电梯配置与候梯时间", "building", 3, 5),
    ("B5", "外立面与幕墙", "building", 2, 5),
    ("B6", "得房率", "building", 2, 5),
    ("B7", "无障碍设施", "building", 2, 5),
    ("B8", "公共卫生间", "building", 2, 5),
    ("F1", "中央空调系统", "facilities", 3, 5),
    ("F2", "双路供电与备用电源", "facilities", 3, 5),
    ("F3", "消防设施与系统", "facilities", 3, 5),
    ("F4", "通信网络与光纤入户", "facilities", 2, 5),
    ("F5", "安防监控与门禁", "facilities", 3, 5),
    ("F6", "给排水系统", "facilities", 2, 5),
    ("F7", "设备维护保养记录", "facilities", 2, 5),
    ("P1", "物业服务企业资质与信誉", "property", 3, 5),
    ("P2", "管理体系认证", "property", 2, 5),
    ("P3", "服务人员配备", "property", 3, 5),
    ("P4", "保洁服务", "property", 2, 5),
    ("P5", "秩序维护服务", "property", 2, 5),
    ("P6", "租户满意度", "property", 3, 5),
    ("P7", "应急预案与演练", "property", 2, 5),
    ("P8", "投诉处理及时率", "property", 3, 5),
    ("S1", "智慧楼宇管理平台", "smart_green", 3, 5),
    ("S2", "节能措施与能耗计量", "smart_green", 2, 5),
    ("S3", "绿色建筑认证", "smart_green", 3, 5),
    ("S4", "垃圾分类", "smart_green", 2, 5),
    ("S5", "新能源汽车充电桩", "smart_green", 2, 5),
    ("E1", "入驻率", "economy", 4, 5),
    ("E2", "属地注册率", "economy", 3, 5),
    ("E3", "单位面积税收", "economy", 4, 5),
    ("E4", "重点企业与总部企业", "economy", 2, 5),
    ("E5", "楼宇党建", "economy", 2, 5),
    ("E6", "企业服务站", "economy", 2, 5),
    ("E7", "共享会议室、餐饮等配套服务", "economy", 1, 5),
)
DEFAULT_GRADE_THRESHOLDS = {"A": 85, "B": 70}


def grade_indicators() -> list[tuple[str, str, str, int, int]]:
    """The grading indicators in force: (code, Chinese label, dimension, weight, max)."""
    return [tuple(row) for row in getattr(settings, "CG_BUSINESS_GRADE_INDICATORS", DEFAULT_GRADE_INDICATORS)]


def grade_thresholds() -> dict[str, Decimal]:
    """The lowest score of grade A and of grade B (out of 100); below B's a building is grade C."""
    thresholds = getattr(settings, "CG_BUSINESS_GRADE_THRESHOLDS", DEFAULT_GRADE_THRESHOLDS)
    return {grade: Decimal(str(value)) for grade, value in thresholds.items()}
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
