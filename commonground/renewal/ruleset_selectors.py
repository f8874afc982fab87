"""Reads of the one ruler: a project's rule-set versions, the published one, a household's options.

Who sees what: a published (or superseded) version is part of the published plan, seen by whoever sees the
project; drafts and approved versions only by those who may draft or approve the project's rules.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from commonground.core.models import User
from commonground.core.permissions import can, require

from . import calculator
from .models import Household, Offer, OptionKind, Project, RuleSet, RuleSetStatus
from .selectors import projects_for

PUBLIC = (RuleSetStatus.PUBLISHED, RuleSetStatus.SUPERSEDED)


def may_see_drafts(actor: User, project: Project) -> bool:
    return can(actor, "renewal.rules", project) or can(actor, "renewal.approve", project)


def rule_sets_for(actor: User, project: Project) -> QuerySet[RuleSet]:
    """The versions of `project` the actor sees (the caller has checked the project), newest first."""
    rows = RuleSet.objects.filter(project=project).select_related("drafted_by", "approved_by")
    if not may_see_drafts(actor, project):
        rows = rows.filter(status__in=PUBLIC)
    return rows.order_by("-version")


def access_rule_set(actor: User, pk: int, action: str = "renewal.view") -> RuleSet:
    """The version for `action`: Http404 unless the actor sees it (its project, and a draft only if they may
    draft or approve); PermissionDenied when seen but `action` is not theirs."""
    rule_set = (RuleSet.objects.filter(pk=pk, project__in=projects_for(actor).values("pk"))
                .select_related("project__estate", "drafted_by", "approved_by").first())
    if rule_set is None or (rule_set.status not in PUBLIC and not may_see_drafts(actor, rule_set.project)):
        raise Http404(_("No such rule set."))
    if action != "renewal.view":
        require(actor, action, rule_set.project)
    return rule_set


def published_rule_set(project: Project) -> RuleSet | None:
    return (RuleSet.objects.filter(project=project, status=RuleSetStatus.PUBLISHED)
            .select_related("drafted_by", "approved_by").first())


def offers_for(household: Household) -> list[Offer]:
    """The household's options: those of the published version (an unsigned household always has them once it
    is published), or, for a signed household, those of the version it kept. Cash, exchange, self-renewal."""
    offers = list(Offer.objects.filter(household=household).select_related("rule_set").order_by(
        "-rule_set__version"))
    if not offers:
        return []
    newest = offers[0].rule_set_id
    return sorted((o for o in offers if o.rule_set_id == newest), key=lambda o: calculator.OPTIONS.index(o.option))


def flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    """{"a.b.c": leaf} of a JSON value (lists by position from 1)."""
    if isinstance(value, Mapping):
        items = value.items()
    elif isinstance(value, list):
        items = ((str(n), v) for n, v in enumerate(value, 1))
    else:
        return {prefix: value}
    out: dict[str, Any] = {}
    for key, inner in items:
        out.update(flatten(inner, f"{prefix}.{key}" if prefix else str(key)))
    return out


def rules_changes(before: Mapping[str, Any] | None, after: Mapping[str, Any]) -> list[tuple[str, Any, Any]]:
    """What a version changed against the one before it: (key, old, new), None where absent."""
    old, new = flatten(before or {}), flatten(after)
    return [(key, old.get(key), new.get(key)) for key in sorted(set(old) | set(new)) if old.get(key) != new.get(key)]


def rules_tables(rules: Mapping[str, Any]) -> dict[str, Any]:
    """The rules as the version's page shows them: each section's clause and its rows."""
    valuation = rules.get("valuation") or {}

    def by_building(name: str) -> tuple[int, str]:
        digits = "".join(ch for ch in name if ch.isdigit())
        return (int(digits) if digits else 10**6, name)

    def labelled(per_option: Mapping[str, Any] | None) -> list[tuple[str, Any]]:
        return [(str(OptionKind(o).label) if o in OptionKind.values else o, n) for o, n in (per_option or {}).items()]

    offered = rules.get("offered") or {}
    return {
        "offered": offered,
        "offered_labels": [label for label, _n in labelled({o: None for o in offered.get("options") or []})],
        "moving_times": labelled((rules.get("moving") or {}).get("times")),
        "months": labelled((rules.get("temporary_housing") or {}).get("months")),
        "valuation": valuation,
        "prices": sorted((valuation.get("unit_prices") or {}).items(), key=lambda item: by_building(item[0])),
        "factors": sorted((valuation.get("floor_factors") or {}).items(), key=lambda item: int(item[0])),
        "moving": rules.get("moving"),
        "temporary": rules.get("temporary_housing"),
        "incentives": rules.get("incentives"),
        "exchange": rules.get("exchange"),
        "self_renewal": rules.get("self_renewal"),
    }
