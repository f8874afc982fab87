"""Figures for community and street leads: cases by stage, overdue, closed by level
("小事不出楼宇，大事不出社区"), average handling time and satisfaction, for their scope only."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from commonground.core.models import Place, PlaceKind
from commonground.core.permissions import require, visible_to

from ..models import LADDER, OPEN_STAGES, Level, Stage
from ..selectors import case_counts
from ._common import STAGE_COLOURS

SCOPE_KINDS = (PlaceKind.DISTRICT, PlaceKind.STREET, PlaceKind.COMMUNITY, PlaceKind.BUSINESS_COMMUNITY)


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    require(user, "case.stats")
    scopes = list(visible_to(user, "case.stats", Place.objects.filter(kind__in=SCOPE_KINDS)).order_by("path"))
    scope = next((p for p in scopes if p.code == request.GET.get("scope")), None)
    counts = case_counts(user, scope)
    stages = [{"stage": s, "label": Stage(s).label, "count": counts["by_stage"][s], "colour": STAGE_COLOURS[s]}
              for s in [*OPEN_STAGES, Stage.CLOSED, Stage.EVALUATED, Stage.REJECTED, Stage.MERGED]]
    levels = [{"level": level.value, "label": str(Level(level).label), "count": counts["closed_by_level"][level]}
              for level in LADDER]
    closed = counts["closed"]
    low = counts["closed_by_level"][Level.BUILDING] + counts["closed_by_level"][Level.ESTATE] \
        + counts["closed_by_level"][Level.COMMUNITY]
    return render(request, "cases/dashboard.html", {
        "scopes": scopes, "scope": scope, "counts": counts, "stages": stages, "levels": levels, "closed": closed,
        "within_community_share": round(100 * low / closed) if closed else None,
        "chart": {"labels": [item["label"] for item in levels], "values": [item["count"] for item in levels]},
    })
