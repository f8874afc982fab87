"""Pages of the profile part: an enterprise's profile (企业画像) and the retention warnings (安商稳商) with their
export and the staff's re-assessment."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from commonground.core.models import Place, PlaceKind
from commonground.core.permissions import can, require, scope_paths, visible_to
from commonground.core.tables import table_response

from .. import risk
from ..ledgers_selectors import access_enterprise
from ..policies_selectors import enterprise_policies
from ..profile_selectors import enterprise_profile
from ..risk_selectors import risks_visible
from ..services.risk import risk_assess, risk_assess_all

PAGE_SIZE = 50


@login_required
def enterprise(request: HttpRequest, credit_code: str) -> HttpResponse:
    """One firm's profile: facts, tax trend, visits, demands and their cases, policies, activities, risk."""
    firm = access_enterprise(request.user, credit_code)
    profile = enterprise_profile(request.user, firm)
    return render(request, "business/profile_enterprise.html", {
        "firm": firm, "profile": profile, "may_assess": can(request.user, "risk.manage", firm),
        "policies": enterprise_policies(request.user, firm)})


@login_required
@require_POST
def enterprise_assess(request: HttpRequest, credit_code: str) -> HttpResponse:
    firm = access_enterprise(request.user, credit_code, "risk.manage")
    risk_assess(actor=request.user, enterprise=firm)
    messages.success(request, _("The enterprise's retention risk was assessed again."))
    return redirect("business:enterprise", credit_code=firm.credit_code)


def _require_view(request: HttpRequest) -> None:
    """Staff with warnings in their scope, or a commissioner (their buildings' firms)."""
    if not can(request.user, "commissioner.work"):
        require(request.user, "risk.view")


def _communities(user) -> list[Place]:
    return list(visible_to(user, "risk.view", Place.objects.filter(kind=PlaceKind.BUSINESS_COMMUNITY))
                .only("name", "path", "code").order_by("path"))


def _filters(request: HttpRequest, communities: list[Place]) -> dict[str, str]:
    community = request.GET.get("community", "")
    reason = request.GET.get("reason", "")
    return {"community": community if community in {c.code for c in communities} else "",
            "reason": reason if reason in risk.REASON_CODES else ""}


def _rows(request: HttpRequest, communities: list[Place], filters: dict[str, str]):
    path_of = {c.code: c.path for c in communities}
    return risks_visible(request.user, community_path=path_of.get(filters["community"], ""),
                         reason=filters["reason"])


@login_required
def risks(request: HttpRequest) -> HttpResponse:
    """The retention warnings the user reaches, highest score first."""
    _require_view(request)
    communities = _communities(request.user)
    filters = _filters(request, communities)
    page = Paginator(_rows(request, communities, filters), PAGE_SIZE).get_page(request.GET.get("page"))
    for row in page:
        row.reason_texts = [risk.reason_text(reason) for reason in row.reasons]
    return render(request, "business/profile_risks.html", {
        "page": page, "filters": filters, "communities": communities,
        "reasons": [(code, risk.reason_label(code)) for code in risk.REASON_CODES],
        "may_manage": can(request.user, "risk.manage"), "query": request.GET.urlencode()})


@login_required
def risks_export(request: HttpRequest, fmt: str) -> HttpResponse:
    _require_view(request)
    if fmt not in ("csv", "xlsx"):
        raise Http404
    communities = _communities(request.user)
    rows = _rows(request, communities, _filters(request, communities))
    headers = [_("Enterprise name"), _("Unified social credit code"), _("Building of the premises"), _("Retention risk score"),
               _("Risk reasons"), _("Assessed on"), _("Commissioner task"), _("Task stage")]
    lines = ([row.enterprise.name, row.enterprise.credit_code, str(row.enterprise.building or ""), row.score,
              "；".join(risk.reason_text(reason) for reason in row.reasons), row.assessed_on,
              row.case.number if row.case else "", row.case.get_stage_display() if row.case else ""]
             for row in rows.iterator(chunk_size=1000))
    return table_response(fmt, headers, lines, filename="retention-warnings", title=_("Retention warnings"))


@login_required
@require_POST
def risks_assess(request: HttpRequest) -> HttpResponse:
    """Assess again the firms of the chosen business community, or of every place the user manages warnings at."""
    require(request.user, "risk.manage")
    communities = _communities(request.user)
    code = request.POST.get("community", "")
    chosen = [c for c in communities if c.code == code]
    if chosen:
        scopes: list[Place | None] = chosen
    else:
        paths = scope_paths(request.user, "risk.manage")
        scopes = [None] if paths is None else list(Place.objects.filter(path__in=paths))
    opened = tasks = 0
    for scope in scopes:
        if scope is not None:
            require(request.user, "risk.manage", scope)
        run = risk_assess_all(actor=request.user, scope=scope)
        opened += run.opened
        tasks += len(run.tasks)
    messages.success(request, _("Assessed again: %(opened)d new warnings, %(tasks)d commissioner tasks opened.") % {
        "opened": opened, "tasks": tasks})
    return redirect(reverse("business:risks") + (f"?community={code}" if chosen else ""))


urlpatterns: list[URLPattern] = [
    path("enterprises/<str:credit_code>/", enterprise, name="enterprise"),
    path("enterprises/<str:credit_code>/assess/", enterprise_assess, name="enterprise_assess"),
    path("risks/", risks, name="risks"),
    path("risks/export.<str:fmt>", risks_export, name="risks_export"),
    path("risks/assess/", risks_assess, name="risks_assess"),
]
