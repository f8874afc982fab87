"""The profile part's API under /api/business/: an enterprise's profile (企业画像) and the retention warnings."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from commonground.core.api_pages import Page, PageQuery, paginate
from commonground.core.api_types import ErrorOut
from commonground.core.models import Place, PlaceKind
from commonground.core.permissions import can, require, visible_to

from .. import risk
from ..ledgers_schemas import CreditCode
from ..ledgers_selectors import access_enterprise
from ..models import RiskAssessment
from ..profile_schemas import EnterpriseProfileOut, RiskListQuery, RiskRowOut
from ..profile_selectors import enterprise_profile
from ..risk_selectors import risks_visible

router = Router()
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut}


def _reasons(reasons: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"code": r.get("code", ""), "points": r.get("points", 0), "text": risk.reason_text(r)} for r in reasons]


@router.get("/enterprises/{credit_code}/profile", response={200: EnterpriseProfileOut, **ERRORS})
def enterprise_profile_detail(request: HttpRequest, credit_code: CreditCode) -> dict[str, Any]:
    """A firm's profile: facts, contacts (masked unless the caller sees personal data), tax by month this year and
    last, visits, demands with their cases, activities attended, and its retention risk (staff and commissioners
    only)."""
    firm = access_enterprise(request.user, credit_code[:40])
    profile = enterprise_profile(request.user, firm)
    data_risk = None
    if profile.risk is not None:
        assessment = profile.risk.assessment
        data_risk = {"score": profile.risk.score, "threshold": profile.risk.threshold,
                     "reasons": _reasons(profile.risk.reasons),
                     "status": assessment.status if assessment else None,
                     "assessed_on": assessment.assessed_on if assessment else None,
                     "task_case": assessment.case.number if assessment and assessment.case else None,
                     "task_stage": assessment.case.stage if assessment and assessment.case else None}
    return {
        "credit_code": firm.credit_code, "name": firm.name,
        "building": firm.building.name if firm.building else None,
        "registered_building": firm.registered_building.name if firm.registered_building else None,
        "registered_on": firm.registered_on, "registered_capital": firm.registered_capital,
        "industry_code": firm.industry_code, "headcount": firm.headcount, "tier": firm.tier, "status": firm.status,
        "lease_ends_on": firm.lease_ends_on, "contacts": [vars(c) for c in profile.contacts],
        "tax": [{"month": m, "this_year": a, "last_year": b} for m, a, b in profile.tax_rows],
        "visits": [{"id": v.pk, "visited_on": v.visited_on, "department": v.department, "status": v.status,
                    "visitor": v.commissioner.display_name if v.commissioner else v.visitor_name,
                    "topics": v.topics if profile.is_internal else None} for v in profile.visits],
        "demands": [{"case": d.case.number, "category": d.case.category.code, "stage": d.case.stage,
                     "deadline": d.case.deadline, "is_overdue": d.case.is_overdue, "source": d.source}
                    for d in profile.demands],
        "activities": [{"activity_id": a["activity_id"], "title": a["activity__title"], "last_day": a["last_day"],
                        "people": a["people"]} for a in profile.activities],
        "risk": data_risk,
    }


def _row(row: RiskAssessment) -> dict[str, Any]:
    firm = row.enterprise
    return {"credit_code": firm.credit_code, "name": firm.name, "building": firm.building.name if firm.building
            else None, "score": row.score, "status": row.status, "assessed_on": row.assessed_on,
            "reasons": _reasons(row.reasons), "task_case": row.case.number if row.case else None,
            "task_stage": row.case.stage if row.case else None}


@router.get("/risks", response={200: Page[RiskRowOut], **ERRORS})
def risk_list(request: HttpRequest, filters: RiskListQuery = Query(...),
              pages: PageQuery = Query(...)) -> dict[str, Any]:
    """The current retention warnings the caller sees (staff by scope, a commissioner their buildings' firms),
    highest score first; filter by business community (place code) and reason code."""
    if not can(request.user, "commissioner.work"):
        require(request.user, "risk.view")
    path = ""
    if filters.community:
        community = visible_to(request.user, "risk.view", Place.objects.filter(
            kind=PlaceKind.BUSINESS_COMMUNITY, code=filters.community)).first()
        path = community.path if community else "-"
    reason = filters.reason if filters.reason in risk.REASON_CODES else ""
    found = paginate(risks_visible(request.user, community_path=path, reason=reason), pages)
    found["items"] = [_row(row) for row in found["items"]]
    return found
