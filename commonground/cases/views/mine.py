"""My cases: what a resident or an enterprise reported, where it stands, and rating closed ones."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from commonground.core.permissions import can

from ..models import Stage
from ..selectors import visible_cases

PAGE_SIZE = 20
# The resident's view of progress: which of these steps the case has reached.
PROGRESS = [Stage.COLLECT, Stage.CREATE, Stage.DISPATCH, Stage.FEEDBACK, Stage.CLOSED]
STEP_OF = {Stage.COLLECT: 0, Stage.CREATE: 1, Stage.DISPATCH: 2, Stage.HANDLE: 2, Stage.FEEDBACK: 3,
           Stage.CLOSED: 4, Stage.EVALUATED: 4}


@login_required
def my_cases(request: HttpRequest) -> HttpResponse:
    """The cases this user reported, newest first (one query for the page, one for the count)."""
    user = request.user
    cases = visible_cases(user).filter(reporter=user).select_related("category", "place")
    page = Paginator(cases.order_by("-created_at", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    for case in page.object_list:
        case.step = STEP_OF.get(case.stage)
        case.may_rate = case.stage == Stage.CLOSED and case.is_own(user, "case.rate")
    return render(request, "cases/mine.html", {"page": page, "may_report": can(user, "case.add"),
                                               "steps": [Stage(s).label for s in PROGRESS]})
