"""The one ruler: a project's rule-set versions (draft, approve, publish) and a household's options, as the caller
reaches them (versions as on the pages: published ones for whoever sees the project, drafts for who may draft
or approve; options for who sees the household, an owner their own)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Query, Router, Status

from commonground.core.api_pages import Page, PageQuery, paginate
from commonground.core.api_types import ErrorOut, Id

from ..ruleset_selectors import access_rule_set, offers_for, rule_sets_for
from ..schemas_rulesets import CheckIn, CheckOut, OfferOut, RuleSetDetailOut, RuleSetIn, RuleSetOut
from ..selectors import access_household, access_project
from ..services.rulesets import offer_request_check, ruleset_approve, ruleset_draft, ruleset_publish

router = Router()
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut}


@router.get("/projects/{int:project_id}/rule-sets", response={200: Page[RuleSetOut], **ERRORS})
def rule_set_list(request: HttpRequest, project_id: Id, pages: PageQuery = Query(...)) -> dict[str, Any]:
    """The project's versions the caller sees, newest first."""
    project = access_project(request.user, project_id)
    return paginate(rule_sets_for(request.user, project), pages)


@router.post("/projects/{int:project_id}/rule-sets", response={201: RuleSetDetailOut, **ERRORS})
def rule_set_draft(request: HttpRequest, project_id: Id, payload: RuleSetIn):
    """Draft the next version (needs "renewal.rules" on the project); another person approves it."""
    project = access_project(request.user, project_id)
    return Status(201, ruleset_draft(actor=request.user, project=project, rules=payload.rules, note=payload.note))


@router.get("/rule-sets/{int:rule_set_id}", response={200: RuleSetDetailOut, **ERRORS})
def rule_set_detail(request: HttpRequest, rule_set_id: Id):
    return access_rule_set(request.user, rule_set_id)


@router.post("/rule-sets/{int:rule_set_id}/approve", response={200: RuleSetDetailOut, **ERRORS})
def rule_set_approve(request: HttpRequest, rule_set_id: Id):
    """Approve a draft (not its drafter)."""
    return ruleset_approve(actor=request.user, rule_set=access_rule_set(request.user, rule_set_id,
                                                                         "renewal.approve"))


@router.post("/rule-sets/{int:rule_set_id}/publish", response={200: RuleSetDetailOut, **ERRORS})
def rule_set_publish(request: HttpRequest, rule_set_id: Id):
    """Publish an approved version: every unsigned household's options are recomputed under it."""
    return ruleset_publish(actor=request.user, rule_set=access_rule_set(request.user, rule_set_id,
                                                                         "renewal.approve"))


@router.get("/households/{int:household_id}/offers", response={200: list[OfferOut], **ERRORS})
def household_offers(request: HttpRequest, household_id: Id):
    """The household's options (the published version's; a signed household's, the version it kept)."""
    return offers_for(access_household(request.user, household_id))


@router.post("/households/{int:household_id}/offers/check", response={200: CheckOut, **ERRORS})
def household_offer_check(request: HttpRequest, household_id: Id, payload: CheckIn):
    """Would the rules allow this new-flat area under this option? Allowed: the option as it would stand;
    refused: the clause it breaks. Writes nothing."""
    household = access_household(request.user, household_id)
    try:
        result = offer_request_check(actor=request.user, household=household, option=payload.option,
                                     requested_area_m2=payload.requested_area_m2)
    except ValidationError as error:
        if "requested_area_m2" not in getattr(error, "error_dict", {}):
            raise
        return CheckOut(allowed=False, clause=getattr(error.__cause__, "clause", None), reasons=error.messages)
    return CheckOut(allowed=True, total=result.total, entitled_area_m2=result.entitled_area_m2,
                    lines=[line.as_dict() for line in result.lines])
