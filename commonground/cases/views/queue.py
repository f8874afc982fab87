"""The staff queue (what waits at my level, or every case in my area) and the map of open cases."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET

from commonground.core.pagination import CappedPaginator
from commonground.core.permissions import can, require
from commonground.core.selectors import AREA_KINDS

from ..exports import open_cases_geojson
from ..models import OPEN_STAGES, Case
from ..presentation import place_label
from ..selectors import DATE_FILTERS, QueueFilters, case_queue, listed_cases
from ._common import FALLBACK_CENTRE, STAGE_COLOURS, basemap, is_late, stage_legend
from .forms import QueueFilterForm

PAGE_SIZE = 25


# Asking for any of these is asking about the whole area (links from the home page and the figures); the bare
# queue is what waits at the user's own level.
AREA_QUESTIONS = {"stage", "category", "place", "overdue", "due", "q", *DATE_FILTERS}


def queue_filters(request: HttpRequest) -> tuple[QueueFilterForm, QueueFilters | None]:
    """The filter form and what it selects; None when a choice is not one the user may make (a
    stranger's place): then nothing matches."""
    data = request.GET.copy()
    if not data.get("scope"):
        data["scope"] = "all" if AREA_QUESTIONS & set(data) else "mine"
    form = QueueFilterForm(data, user=request.user, area_kinds=AREA_KINDS)
    if not form.is_valid():
        return form, None
    data = form.cleaned_data
    return form, QueueFilters(stage=data["stage"], category=data["category"].code if data["category"] else "",
                              place=data["place"].code if data["place"] else "", overdue=data["overdue"],
                              q=data["q"], mine=data["scope"] == "mine", sort=data["sort"] or "deadline",
                              due=data["due"],
                              **{name: data[name] for name in DATE_FILTERS})


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    """What waits for me (or every case in my area), filtered, searched and sorted; residents go to their own
    cases."""
    user = request.user
    if not can(user, "case.view") and can(user, "case.add"):
        return redirect("cases:mine")
    require(user, "case.view")
    form, filters = queue_filters(request)
    cases = case_queue(user, filters).select_related("place__parent") if filters is not None else Case.objects.none()
    page = CappedPaginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    for case in page.object_list:
        case.late = is_late(case)
        case.where = place_label(case.place)
    results_only = getattr(request, "htmx", False) and request.htmx.target == "case-results"
    response = render(request, "cases/_queue_results.html" if results_only else "cases/queue.html", {
        "form": form, "page": page, "colours": STAGE_COLOURS, "mine": filters is not None and filters.mine,
        "may_export": can(user, "case.export"), "query": request.GET.urlencode(),
        **date_filters(request, filters),
    })
    if results_only:  # the chosen place's name sits in the form, outside the swapped results
        response.write(render_to_string("cases/_queue_place.html", {"form": form, "oob": True}, request))
    return response


def date_filters(request: HttpRequest, filters: QueueFilters | None) -> dict[str, object]:
    """The date ranges the list is narrowed to (the figures page's links set them; the form has no boxes for
    them), kept as hidden fields, with the query that drops them."""
    if filters is None:
        return {"dates": [], "undated_query": ""}
    dates = [{"label": label, "first": first, "last": last, "fields": fields}
             for label, first, last, fields in (
                 (pgettext("cases counted", "Reported"), filters.reported_from, filters.reported_to,
                  ("reported_from", "reported_to")),
                 (pgettext("cases counted", "Closed"), filters.closed_from, filters.closed_to,
                  ("closed_from", "closed_to")))
             if first or last]
    undated = request.GET.copy()
    for name in (*DATE_FILTERS, "page"):
        undated.pop(name, None)
    return {"dates": dates, "undated_query": undated.urlencode()}


@login_required
def case_map(request: HttpRequest) -> HttpResponse:
    """The open cases in my scope on a map, coloured by stage."""
    require(request.user, "case.view")
    return render(request, "cases/map.html", {
        "map": {"source": reverse("cases:map-data"), "areas": reverse("core:place-areas"), "centre": FALLBACK_CENTRE,
                "legend": stage_legend(OPEN_STAGES), "text": {"overdue": _("Overdue"), "deadline": _("due")},
                **basemap()},
    })


@require_GET
@login_required
def map_data(request: HttpRequest) -> JsonResponse:
    """GeoJSON of the open cases the user may view (the map page's layer)."""
    require(request.user, "case.view")
    collection = open_cases_geojson(listed_cases(request.user))
    url = reverse("cases:detail", args=["NUMBER"])  # (reversed once: a street has a thousand open cases)
    for feature in collection["features"]:
        properties = feature["properties"]
        properties |= {"url": url.replace("NUMBER", properties["number"]),
                       "colour": STAGE_COLOURS[properties["stage"]]}
    return JsonResponse(collection, content_type="application/geo+json")
