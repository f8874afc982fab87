"""My cases: what a resident or an enterprise reported, where it stands, and rating closed ones."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from commonground.core.permissions import can

from ..models import Stage
from ..presentation import RESIDENT_STEP_OF, RESIDENT_STEPS, place_label, resident_status
from ..selectors import visible_cases

PAGE_SIZE = 20


@login_required
def my_cases(request: HttpRequest) -> HttpResponse:
    """The cases this user reported, newest first, each in plain words: where it stands, who is handling it, by
    when (one query for the page, one for the count)."""
    user = request.user
    cases = visible_cases(user).filter(reporter=user).select_related(
        "category", "place__parent", "handling_place__parent", "handler")
    page = Paginator(cases.order_by("-created_at", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    for case in page.object_list:
        case.step = RESIDENT_STEP_OF.get(case.stage)
        case.status = resident_status(case)
        case.where = place_label(case.place)
        case.may_rate = case.stage == Stage.CLOSED and case.is_own(user, "case.rate")
    return render(request, "cases/mine.html", {"page": page, "may_report": can(user, "case.add"),
                                               "steps": RESIDENT_STEPS})
