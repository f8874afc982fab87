"""The policies part's API under /api/business/: packages, policies (with their eligible firms for staff), a firm's
eligible policies, applications and their outcomes — through the same selectors and services as the pages."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Query, Router

from commonground.core.api_pages import Page, PageQuery, paginate
from commonground.core.api_types import ErrorOut, Id
from commonground.core.permissions import can

from ..ledgers_selectors import access_enterprise
from ..policies_schemas import (
    CreditCode,
    PolicyApplicationIn,
    PolicyApplicationOut,
    PolicyApplicationQuery,
    PolicyDecisionIn,
    PolicyDetailOut,
    PolicyEligibleFirmOut,
    PolicyFirmOut,
    PolicyIn,
    PolicyOut,
    PolicyPackageOut,
)
from ..policies_selectors import (
    access_application,
    access_package,
    access_policy,
    application_list,
    eligible_enterprises,
    enterprise_policies,
    package_policies,
    packages_visible,
    place_names,
    rule_lines,
)
from ..services.policies import (
    policy_application_create,
    policy_application_decide,
    policy_create,
    policy_update,
)

router = Router(tags=["business"])
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut}


@router.get("/policy-packages", response=Page[PolicyPackageOut])
def package_list(request: HttpRequest, pages: PageQuery = Query(...)) -> dict[str, Any]:
    """Published packages (and the drafts of the caller's place when they are its staff)."""
    return paginate(packages_visible(request.user).order_by("-issued_on", "-pk"), pages)


@router.get("/policy-packages/{int:package_id}/policies", response={200: list[PolicyOut], **ERRORS})
def package_policy_list(request: HttpRequest, package_id: Id):
    return list(package_policies(access_package(request.user, package_id)))


@router.post("/policy-packages/{int:package_id}/policies", response={200: PolicyOut, **ERRORS})
def policy_new(request: HttpRequest, package_id: Id, payload: PolicyIn):
    package = access_package(request.user, package_id, "policy.manage")
    data = payload.dict()
    return policy_create(actor=request.user, package=package, **data)


@router.get("/policies/{int:policy_id}", response={200: PolicyDetailOut, **ERRORS})
def policy_detail(request: HttpRequest, policy_id: Id):
    """A policy with its rules in plain language and, for staff, how many of the firms they serve qualify."""
    policy = access_policy(request.user, policy_id)
    policy.rules_text = rule_lines(policy, place_names([policy]))
    policy.eligible_count = (eligible_enterprises(request.user, policy).count()
                             if can(request.user, "enterprise.view") else None)
    return policy


@router.put("/policies/{int:policy_id}", response={200: PolicyOut, **ERRORS})
def policy_change(request: HttpRequest, policy_id: Id, payload: PolicyIn):
    policy = access_policy(request.user, policy_id, "policy.manage")
    return policy_update(actor=request.user, policy=policy, **payload.dict())


@router.get("/policies/{int:policy_id}/eligible", response={200: Page[PolicyEligibleFirmOut], **ERRORS})
def policy_eligible(request: HttpRequest, policy_id: Id, pages: PageQuery = Query(...)):
    """The firms the caller serves that qualify for the policy (staff: their street's; none for others)."""
    policy = access_policy(request.user, policy_id)
    if not can(request.user, "enterprise.view"):
        raise PermissionDenied
    return paginate(eligible_enterprises(request.user, policy, with_tax=True), pages)


@router.get("/enterprises/{credit_code}/policies", response={200: PolicyFirmOut, **ERRORS})
def enterprise_policy_list(request: HttpRequest, credit_code: CreditCode):
    """The policies a firm qualifies for (with open/applied) and its applications."""
    firm = access_enterprise(request.user, credit_code)
    return enterprise_policies(request.user, firm)


@router.get("/policy-applications", response=Page[PolicyApplicationOut])
def application_index(request: HttpRequest, filters: PolicyApplicationQuery = Query(...),
                      pages: PageQuery = Query(...)) -> dict[str, Any]:
    policy = access_policy(request.user, filters.policy) if filters.policy else None
    return paginate(application_list(request.user, policy=policy, status=filters.status or ""), pages)


@router.post("/policy-applications", response={200: PolicyApplicationOut, **ERRORS})
def application_new(request: HttpRequest, payload: PolicyApplicationIn):
    """A firm applies for a policy (its contact, or staff for it)."""
    firm = access_enterprise(request.user, payload.enterprise)
    policy = access_policy(request.user, payload.policy)
    return policy_application_create(actor=request.user, enterprise=firm, policy=policy, note=payload.note)


@router.post("/policy-applications/{int:application_id}/decision", response={200: PolicyApplicationOut, **ERRORS})
def application_decision(request: HttpRequest, application_id: Id, payload: PolicyDecisionIn):
    application = access_application(request.user, application_id, "policyapplication.manage")
    return policy_application_decide(actor=request.user, application=application, status=payload.status,
                                     granted_amount=payload.granted_amount, note=payload.note)
