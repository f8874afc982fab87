"""The one ruler's pages: a project's rule-set versions (and a new draft), one version's rules as tables with its
clauses, approving and publishing, and recomputing one household's options."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from commonground.core.forms import apply_service_errors
from commonground.core.permissions import can

from ..forms_rulesets import RuleSetDraftForm, rules_text
from ..home import project_tabs
from ..models import RuleSet
from ..ruleset_selectors import access_rule_set, rule_sets_for, rules_changes, rules_tables
from ..selectors import access_household, access_project
from ..services.rulesets import (
    offers_compute,
    project_buildings,
    ruleset_allowed_actions,
    ruleset_approve,
    ruleset_draft,
    ruleset_publish,
)


def skeleton(project) -> dict:
    """A first draft's starting point: every section, each building with a price to fill in."""
    return {
        "offered": {"clause": "", "options": ["cash", "exchange", "self_renewal"]},
        "valuation": {"clause": "", "unit_prices": {name: "0" for name in project_buildings(project)},
                      "floor_factors": {}, "default_floor_factor": "1"},
        "moving": {"clause": "", "per_m2": "0", "minimum": "0", "times": {"cash": 1, "exchange": 2, "self_renewal": 2}},
        "temporary_housing": {"clause": "", "per_m2_month": "0", "months": {"cash": 0, "exchange": 0, "self_renewal": 0}},
        "incentives": {"clause": "", "tiers": []},
        "exchange": {"clause": "", "ratio": "1", "settlement_price": "0", "extra_cap_m2": "0", "extra_price": "0"},
        "self_renewal": {"clause": "", "contribution_per_m2": "0", "extra_cap_m2": "0", "extra_price": "0"},
    }


@login_required
def rulesets(request: HttpRequest, pk: int) -> HttpResponse:
    """The project's versions (status, drafter, approver, publication, what changed) and, for who may draft, a
    new draft from the newest version's rules."""
    project = access_project(request.user, pk)
    versions = list(rule_sets_for(request.user, project))
    may_draft = can(request.user, "renewal.rules", project)
    form = None
    if request.method == "POST":
        if not may_draft:
            raise Http404(_("No such page."))
        form = RuleSetDraftForm(request.POST)
        if form.is_valid():
            try:
                rule_set = ruleset_draft(actor=request.user, project=project, rules=form.cleaned_data["rules"],
                                         note=form.cleaned_data["note"])
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("Version %(version)d is drafted; another person approves it.") % {
                    "version": rule_set.version})
                return redirect("renewal:ruleset", pk=rule_set.pk)
    elif may_draft:
        base = versions[0].rules if versions else skeleton(project)
        form = RuleSetDraftForm(initial={"rules": rules_text(base)})
    return render(request, "renewal/rulesets.html", {
        "project": project, "versions": versions, "form": form, "tabs": project_tabs(project.pk, request.path, request.user),
    }, status=400 if form is not None and form.errors else 200)


@login_required
def ruleset(request: HttpRequest, pk: int) -> HttpResponse:
    """One version: its rules as tables with their clauses, what it changed, and approve / publish."""
    rule_set = access_rule_set(request.user, pk)
    project = rule_set.project
    before = (RuleSet.objects.filter(project=project, version__lt=rule_set.version).order_by("-version")
              .values_list("rules", flat=True).first())
    return render(request, "renewal/ruleset.html", {
        "project": project, "rule_set": rule_set, "tables": rules_tables(rule_set.rules),
        "changes": rules_changes(before, rule_set.rules) if before is not None else None,
        "actions": ruleset_allowed_actions(request.user, rule_set), "rules_json": rules_text(rule_set.rules),
        "tabs": project_tabs(project.pk, reverse("renewal:rulesets", args=[project.pk]), request.user),  # its tab is current
    })


ACTIONS = {"approve": (ruleset_approve, "renewal.approve"), "publish": (ruleset_publish, "renewal.approve")}


@login_required
@require_POST
def ruleset_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Approve or publish a version."""
    if action not in ACTIONS:
        raise Http404(_("No such action."))
    service, permission = ACTIONS[action]
    rule_set = access_rule_set(request.user, pk, permission)
    try:
        service(actor=request.user, rule_set=rule_set)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("renewal:ruleset", pk=rule_set.pk)
    if action == "approve":
        messages.success(request, _("Version %(version)d is approved; it applies once published.") % {
            "version": rule_set.version})
    else:
        messages.success(request, _("Version %(version)d is published; every unsigned household's options are "
                                    "recomputed under it.") % {"version": rule_set.version})
    return redirect("renewal:ruleset", pk=rule_set.pk)


@login_required
@require_POST
def offers_recompute(request: HttpRequest, pk: int) -> HttpResponse:
    """Recompute one household's options under the published version, for today."""
    household = access_household(request.user, pk, "renewal.visit")
    try:
        offers_compute(actor=request.user, household=household)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The options are computed for today under the published rules."))
    return redirect("renewal:household", pk=household.pk)
