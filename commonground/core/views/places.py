"""Place pages: the places a user may see (searchable, paginated), one place with its surroundings, and the
suggestions of a place picker."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from ..models import Place, PlaceKind
from ..permissions import can, visible_to
from ..selectors import (
    AREA_KINDS,
    access_place,
    child_rows,
    flat_records,
    map_areas,
    organisations_at,
    place_suggestions,
    recent_history,
    visible_person_ids,
)

PAGE_SIZE = 50
HISTORY_LIMIT = 20
QUERY_LENGTH = 50


@login_required
def place_list(request: HttpRequest) -> HttpResponse:
    """Places the user may see, filtered by kind and by a name or code search."""
    places = visible_to(request.user, "place.view", Place.objects.select_related("parent"))
    kind = request.GET.get("kind", "")
    if kind in PlaceKind.values:
        places = places.filter(kind=kind)
    query = request.GET.get("q", "").strip()
    if query:
        places = places.filter(Q(name__icontains=query) | Q(code__istartswith=query))
    page = Paginator(places, PAGE_SIZE).get_page(request.GET.get("page"))
    template = "core/places/_results.html" if getattr(request, "htmx", False) else "core/places/list.html"
    return render(request, template, {"page": page, "kind": kind, "query": query, "kinds": PlaceKind.choices})


@require_GET
@login_required
def place_suggest(request: HttpRequest) -> HttpResponse:
    """htmx: `<option>`s for a picker's `<datalist>`: places of `kinds` (known kinds only; default the area kinds)
    matching `q` that the user may see and may do `for` on (default place.view). A picker's box sends its text
    under its own name, so `place` stands for `q`."""
    query = request.GET.get("q", request.GET.get("place", "")).strip()[:QUERY_LENGTH]
    asked = [kind for kind in request.GET.get("kinds", "").split(",") if kind]
    kinds = [kind for kind in asked if kind in PlaceKind.values] if asked else list(AREA_KINDS)
    action = request.GET.get("for", "") or "place.view"
    places = place_suggestions(request.user, query, kinds=kinds, action=action) if kinds else []
    return render(request, "core/places/_suggestions.html", {"places": places})


@require_GET
@login_required
def place_areas(request: HttpRequest) -> JsonResponse:
    """GeoJSON of the outlined areas a map draws under its markers (selectors.map_areas), `within` a place."""
    code = request.GET.get("within", "")
    within = access_place(request.user, code) if code else None
    response = JsonResponse({"type": "FeatureCollection", "features": map_areas(request.user, within=within)},
                            content_type="application/geo+json")
    response["Cache-Control"] = "private, max-age=300"
    return response


def map_data(place: Place, children: list[Place]) -> dict[str, Any] | None:
    """What the little Leaflet map draws: the place, its outline, its children with centroids, the areas within."""
    if place.latitude is None or place.longitude is None:
        return None
    return {
        "lat": float(place.latitude), "lng": float(place.longitude), "name": place.name, "outline": place.outline,
        "code": place.code, "areas": f"{reverse('core:place-areas')}?{urlencode({'within': place.code})}",
        "basemap": getattr(settings, "CG_BASEMAP_URL", ""),
        "attribution": getattr(settings, "CG_BASEMAP_ATTRIBUTION", ""),
        "children": [
            {"lat": float(c.latitude), "lng": float(c.longitude), "name": c.name, "kind": c.kind,
             "outlined": c.outline is not None}
            for c in children if c.latitude is not None and c.longitude is not None
        ],
    }


@login_required
def place_detail(request: HttpRequest, code: str) -> HttpResponse:
    """One place: where it sits, what it is, what lies under it, who is seated there, and its history."""
    user = request.user
    place = access_place(user, code)
    crumbs = [(ancestor, can(user, "place.view", ancestor)) for ancestor in place.get_ancestors()]
    children = list(visible_to(user, "place.view", Place.objects.filter(parent=place)))
    rows, counted = child_rows(user, place, children)
    organisations = organisations_at(user, place)
    households, ownerships = flat_records(user, place)
    member_ids = {m.person_id for o in organisations for m in getattr(o, "shown_members", [])}
    member_ids |= {m.person_id for h in households for m in h.memberships.all()}
    member_ids |= {o.person_id for o in ownerships if o.person_id}
    return render(request, "core/places/detail.html", {
        "place": place,
        "crumbs": crumbs,
        "children": rows,
        "counted": counted,
        "total_households": sum(row.households for row in rows),
        "total_people": sum(row.people for row in rows),
        "organisations": organisations,
        "show_members": can(user, "organisationmembership.view", place),
        "households": households,
        "ownerships": ownerships,
        "linkable_people": visible_person_ids(user, member_ids),
        "map": map_data(place, children),
        "history": recent_history(user, place),
    })
