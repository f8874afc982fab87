"""Reads of the policies part: packages and policies (one access function each), matching ("policy finds the
firm": eligible firms per policy, eligible policies per firm), applications, notices, and a firm's demands.

Matching in bulk translates a policy's rules (policy_rules) to ORM filters — every rule field has one — so the
eligible firms of a policy are one query over the ledger, with the last full year's tax as a correlated subquery
on the tax records' unique index; the per-firm reading (`enterprise_facts` + policy_rules.evaluate) says why a
firm fails, and the tests hold the two to the same answer.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.db.models import DecimalField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from commonground.cases.models import Case
from commonground.core import clock
from commonground.core.models import Place, User
from commonground.core.models.places import SEGMENT_WIDTH, within_q
from commonground.core.permissions import access_object, can, visible_to

from . import policy_rules
from .ledgers_selectors import enterprises_visible
from .models import (
    ApplicationStatus,
    Enterprise,
    PackageStatus,
    Policy,
    PolicyApplication,
    PolicyNotice,
    PolicyPackage,
    TaxRecord,
)
from .policy_rules import FirmFacts, Verdict

TAX_FIELD = DecimalField(max_digits=16, decimal_places=2)


# ---- packages and policies ---------------------------------------------------------------------------------

def packages_visible(actor: User, action: str = "policy.view") -> QuerySet[PolicyPackage]:
    """Published packages for every signed-in user; drafts for the staff of the package's place."""
    return visible_to(actor, action, PolicyPackage.objects.select_related("place", "issuer"))


def access_package(actor: User, pk: int, action: str = "policy.view") -> PolicyPackage:
    return access_object(actor, packages_visible(actor), action, view_action="policy.view",
                         missing=_("No such policy package."), pk=pk)


def policies_visible(actor: User, action: str = "policy.view") -> QuerySet[Policy]:
    return visible_to(actor, action, Policy.objects.select_related("package", "package__place"))


def access_policy(actor: User, pk: int, action: str = "policy.view") -> Policy:
    return access_object(actor, policies_visible(actor), action, view_action="policy.view",
                         missing=_("No such policy."), pk=pk)


def package_policies(package: PolicyPackage) -> QuerySet[Policy]:
    return package.policies.select_related("package").order_by("number")


def may_manage_policies(actor: User) -> bool:
    return can(actor, "policy.manage")


def package_places(actor: User) -> QuerySet[Place]:
    """Where the actor may issue a package: the district or streets in their scope."""
    from commonground.core.models import PlaceKind

    places = visible_to(actor, "policy.manage", Place.objects.filter(kind__in=(PlaceKind.DISTRICT, PlaceKind.STREET)))
    return places.order_by("path")


def place_names(policies: Sequence[Policy]) -> dict[str, str]:
    """Names of the places (buildings, business communities) the policies' rules name by code: one query."""
    codes = {value for policy in policies for rule in policy.rules
             if rule["field"] in ("building", "business_community")
             for value in (rule["value"] if isinstance(rule["value"], list) else [rule["value"]])}
    return dict(Place.objects.filter(code__in=codes).values_list("code", "name")) if codes else {}


def rule_lines(policy: Policy, names: Mapping[str, str] | None = None) -> list[str]:
    """The policy's rules in plain language (with the implicit "operating firms only")."""
    return [policy_rules.describe(rule, names) for rule in policy_rules.effective_rules(policy.rules)]


# ---- matching -----------------------------------------------------------------------------------------------

def last_full_year(today: datetime.date | None = None) -> int:
    return (today or clock.today()).year - 1


def tax_of_year(year: int) -> Coalesce:
    """The firm's tax in `year` as an expression over Enterprise: the year's total record (month 0) when there is
    one, else the sum of its months, else 0."""
    records = TaxRecord.objects.filter(enterprise=OuterRef("pk"), year=year)
    whole = records.filter(month=0).values("amount")[:1]
    months = (records.filter(month__gt=0).order_by().values("enterprise").annotate(total=Sum("amount"))
              .values("total"))
    return Coalesce(Subquery(whole, output_field=TAX_FIELD), Subquery(months, output_field=TAX_FIELD),
                    Value(Decimal("0.00")), output_field=TAX_FIELD)


def _place_paths(codes: Sequence[str]) -> QuerySet:
    return Place.objects.filter(code__in=list(codes)).values("path")


def rule_q(rule: Mapping[str, Any], today: datetime.date) -> Q:
    """One rule as an ORM filter over Enterprise (annotated with `last_year_tax`)."""
    field, op, value = rule["field"], rule["op"], rule["value"]
    values = value if isinstance(value, list) else [value]
    if field in ("registered_capital", "last_year_tax", "headcount"):
        column = {"registered_capital": "registered_capital", "last_year_tax": "last_year_tax",
                  "headcount": "headcount"}[field]
        number = Decimal(str(value))
        return Q(**{f"{column}__{ {'ge': 'gte', 'le': 'lte', 'eq': 'exact'}[op]}": number})
    if field == "age_years":
        if op == "ge":
            return Q(registered_on__lte=policy_rules.registered_by(today, int(value)))
        return Q(registered_on__gt=policy_rules.registered_by(today, int(value) + 1))
    if field == "industry":
        lookup = "istartswith" if op == "prefix" else "iexact"
        condition = Q(pk__in=[])
        for item in values:
            condition |= Q(**{f"industry_code__{lookup}": item})
        return condition
    if field == "building":
        return Q(place_path__in=_place_paths(values))
    if field == "business_community":
        return Q(community_path__in=_place_paths(values))
    return Q(**{f"{field}__in": values})  # tier, status


def rules_q(rules: Sequence[Mapping[str, Any]], today: datetime.date) -> Q:
    condition = Q()
    for rule in policy_rules.effective_rules(rules):
        condition &= rule_q(rule, today)
    return condition


def needs_tax(rules: Sequence[Mapping[str, Any]]) -> bool:
    return any(rule["field"] == "last_year_tax" for rule in rules)


def eligible_enterprises(actor: User, policy: Policy, *, with_tax: bool = False) -> QuerySet[Enterprise]:
    """The firms the actor serves (staff by scope, a commissioner their buildings') inside the package's area that
    meet the policy's rules today: one query. `with_tax` annotates `last_year_tax` for display."""
    today = clock.today()
    firms = enterprises_visible(actor).filter(within_q("place_path", [policy.package.place_path]))
    if with_tax or needs_tax(policy.rules):
        firms = firms.annotate(last_year_tax=tax_of_year(last_full_year(today)))
    return firms.filter(rules_q(policy.rules, today)).order_by("place_path", "name", "pk")


def enterprise_facts(enterprise: Enterprise, today: datetime.date | None = None) -> FirmFacts:
    """What the rules read about one firm: two small queries (its tax, its building and community codes)."""
    today = today or clock.today()
    tax = (Enterprise.objects.filter(pk=enterprise.pk).annotate(tax=tax_of_year(last_full_year(today)))
           .values_list("tax", flat=True).first()) or Decimal("0")
    codes = dict(Place.objects.filter(path__in=[enterprise.place_path, enterprise.community_path])
                 .values_list("path", "code"))
    return FirmFacts(
        industry_code=enterprise.industry_code, registered_capital=enterprise.registered_capital,
        last_year_tax=tax, headcount=enterprise.headcount, building_code=codes.get(enterprise.place_path, ""),
        business_community_code=codes.get(enterprise.community_path, ""), registered_on=enterprise.registered_on,
        tier=enterprise.tier, status=enterprise.status)


def policies_for_firm(actor: User, enterprise: Enterprise) -> QuerySet[Policy]:
    """Published policies of packages whose area holds the firm (and that the actor sees)."""
    areas = [enterprise.place_path[:cut]
             for cut in range(SEGMENT_WIDTH, len(enterprise.place_path) + 1, SEGMENT_WIDTH)]
    return (policies_visible(actor).filter(package__status=PackageStatus.PUBLISHED, package__place_path__in=areas)
            .order_by("package__issued_on", "package_id", "number"))


def eligible_policies(actor: User, enterprise: Enterprise) -> list[tuple[Policy, Verdict]]:
    """Every published policy of the firm's area with its verdict for the firm (eligible or why not)."""
    today = clock.today()
    facts = enterprise_facts(enterprise, today)
    return [(policy, policy_rules.evaluate(policy.rules, facts, today))
            for policy in policies_for_firm(actor, enterprise)]


def enterprise_policies(actor: User, enterprise: Enterprise) -> dict[str, list[Any]]:
    """For the firm's pages: the policies it qualifies for (each with `open`: applications open today, and
    `applied`: it has applied) and its applications with their outcomes. A constant number of queries."""
    today = clock.today()
    applications = list(applications_visible(actor).filter(enterprise=enterprise)
                        .select_related("policy", "policy__package").order_by("-applied_on", "-pk"))
    applied = {application.policy_id for application in applications}
    eligible = [{"policy": policy, "open": policy.window_open(today), "applied": policy.pk in applied}
                for policy, verdict in eligible_policies(actor, enterprise) if verdict.eligible]
    return {"eligible": eligible, "applications": applications}


def eligible_counts(actor: User, policies: Sequence[Policy]) -> dict[int, int]:
    """How many firms the actor serves qualify for each policy: one count query per policy."""
    return {policy.pk: eligible_enterprises(actor, policy).count() for policy in policies}


# ---- applications and notices --------------------------------------------------------------------------------

def applications_visible(actor: User, action: str = "policyapplication.view") -> QuerySet[PolicyApplication]:
    return visible_to(actor, action, PolicyApplication.objects.all())


def access_application(actor: User, pk: int, action: str = "policyapplication.view") -> PolicyApplication:
    visible = applications_visible(actor).select_related("enterprise", "policy", "policy__package")
    return access_object(actor, visible, action, view_action="policyapplication.view",
                         missing=_("No such application."), pk=pk)


def application_list(actor: User, *, policy: Policy | None = None, status: str = "") -> QuerySet[PolicyApplication]:
    rows = applications_visible(actor).select_related("enterprise", "policy", "policy__package")
    if policy is not None:
        rows = rows.filter(policy=policy)
    if status in ApplicationStatus.values:
        rows = rows.filter(status=status)
    return rows.order_by("-applied_on", "-pk")


def enterprise_notices(enterprise: Enterprise) -> QuerySet[PolicyNotice]:
    return enterprise.policy_notices.select_related("policy", "policy__package").order_by("-notified_at", "-pk")


# ---- demands ------------------------------------------------------------------------------------------------

def enterprise_demands(actor: User, enterprise: Enterprise) -> QuerySet[Case]:
    """The firm's demands: the cases it filed itself (EnterpriseDemand) and those raised in its visits
    (VisitDemand), newest first. The gate is the firm: 404 unless the actor may see it (access_enterprise)."""
    from .ledgers_selectors import access_enterprise

    firm = access_enterprise(actor, enterprise.credit_code)
    return (Case.objects.filter(Q(enterprise_demand__enterprise=firm) | Q(visit_demand__visit__enterprise=firm))
            .select_related("category", "place").order_by("-created_at", "-pk"))
