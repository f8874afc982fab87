"""Reporting a matter: residents and enterprises from the web, staff on the spot or for a caller."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from commonground.core.models import Place, PlaceKind
from commonground.core.permissions import can, require, visible_to
from commonground.core.place_cache import top_place

from ..geo import pin_label, pin_place
from ..models import Category, Channel
from ..rules import DESCRIPTION_MAX, DESCRIPTION_MIN
from ..selectors import categories_open_to
from ..services.intake import Contact, case_report, check_pin, locate, reporter_kind
from ._common import FALLBACK_CENTRE, basemap

PLACE_OPTIONS = 30
MAP_PLACES = 400
# Places drawn on the pin map for orientation (without a basemap the map is otherwise blank).
MAP_KINDS = (PlaceKind.COMMUNITY, PlaceKind.ESTATE, PlaceKind.BUILDING, PlaceKind.BUSINESS_COMMUNITY,
             PlaceKind.OFFICE_BUILDING, PlaceKind.FACILITY)
# Drawn as dots named on hover; the rest carry a label (a blank map needs landmarks, not clutter).
MINOR_KINDS = (PlaceKind.BUILDING, PlaceKind.FACILITY)
OUTLINED = ExpressionWrapper(Q(outline__isnull=False), output_field=BooleanField())  # its outline shows its name
STAFF_CHANNELS = [(Channel.STAFF, Channel.STAFF.label), (Channel.PHONE, Channel.PHONE.label)]


def open_categories(user: Any, channel: str) -> list[Category]:
    """Active categories this reporter may use; categories with sub-categories only group them."""
    categories = categories_open_to(reporter_kind(user, channel))
    parents = {c.parent_id for c in categories if c.parent_id}
    return [c for c in categories if c.pk not in parents]


def grouped(categories: list[Category]) -> list[tuple[str, list[Category]]]:
    """Categories under their parent's name; top-level ones under "Other matters", last."""
    groups: dict[str, list[Category]] = {}
    for category in categories:
        groups.setdefault(category.parent.name if category.parent_id else "", []).append(category)
    other = groups.pop("", [])
    result = sorted(groups.items())
    if other:
        result.append((_("Other matters"), other))
    return result


def place_options(user: Any, query: str = "") -> list[Place]:
    """Places the user may pick, by name or code; flats only when searched for."""
    places = visible_to(user, "place.view", Place.objects.select_related("parent"))
    if query:
        places = places.filter(Q(name__icontains=query) | Q(code__istartswith=query) | Q(parent__name__icontains=query))
    else:
        places = places.exclude(kind__in=[PlaceKind.FLAT, PlaceKind.CORRIDOR])
    return list(places.order_by("path")[:PLACE_OPTIONS])


def map_data(user: Any) -> dict[str, Any]:
    """The places in the user's area as labelled dots over the areas around them, so a pin can be dropped in the
    right spot; where to ask for the name of the place under a pin."""
    places = list(
        visible_to(user, "place.view", Place.objects.filter(kind__in=MAP_KINDS, latitude__isnull=False,
                                                            longitude__isnull=False))
        .order_by("path").values("name", "kind", "latitude", "longitude", outlined=OUTLINED)[:MAP_PLACES]
    )
    if not places:
        district = top_place()
        if district.latitude is not None:
            places = [{"name": district.name, "kind": district.kind, "latitude": district.latitude,
                       "longitude": district.longitude}]
    centre = (float(places[0]["latitude"]), float(places[0]["longitude"])) if places else FALLBACK_CENTRE
    return {"centre": centre, **basemap(), "areas": reverse("core:place-areas"), "pin": reverse("cases:report-pin"),
            "places": [{"name": p["name"], "kind": p["kind"], "lat": float(p["latitude"]), "lng": float(p["longitude"]),
                        "major": p["kind"] not in MINOR_KINDS, "outlined": bool(p.get("outlined"))} for p in places]}


def _decimal(value: str) -> Decimal | None:
    try:
        return Decimal(value).quantize(Decimal("0.000001")) if value.strip() else None
    except InvalidOperation:
        return None


def questions_of(category: Category | None, values: dict[str, str], errors: dict[str, list[str]]) -> list[dict]:
    if category is None:
        return []
    return [{"question": q, "name": f"answers.{q.key}", "value": values.get(f"answers.{q.key}", ""),
             "errors": errors.get(f"answers.{q.key}", [])} for q in category.questions.all()]


@login_required
def report(request: HttpRequest) -> HttpResponse:
    """The report form; on success the new case's page, on error the form again with every error at its field."""
    user = request.user
    require(user, "case.add")
    staff = can(user, "case.add_on_behalf")
    channel = Channel.WEB
    if staff:
        channel = request.POST.get("channel") if request.POST.get("channel") in (Channel.STAFF, Channel.PHONE) \
            else Channel.STAFF
    categories = open_categories(user, channel)
    by_pk = {str(c.pk): c for c in categories}
    values: dict[str, str] = {key: request.POST.get(key, "") for key in request.POST} if request.method == "POST" \
        else {"category": request.GET.get("category", "")}
    errors: dict[str, list[str]] = {}
    category = by_pk.get(values.get("category", ""))
    if request.method == "POST":
        case = _submit(request, category, values, errors, channel, staff)
        if case is not None:
            if not can(user, "case.view", case):  # recorded for a caller somewhere outside the clerk's area
                messages.success(request, _("Case %(number)s is recorded and sent to the staff of its area.")
                                 % {"number": case.number})
                return redirect("cases:report")
            messages.success(request, _("Case %(number)s is recorded. You can follow it here.")
                             % {"number": case.number})
            return redirect("cases:detail", number=case.number)
    picked = None
    if values.get("place"):
        picked = visible_to(user, "place.view", Place.objects.select_related("parent")).filter(
            pk=values["place"]).first() if values["place"].isdigit() else None
    options = place_options(user)
    if picked is not None and picked not in options:
        options.insert(0, picked)
    context = {
        "groups": grouped(categories),
        "category": category,
        "questions": questions_of(category, values, errors),
        "values": values,
        "errors": errors,
        "staff": staff,
        "channels": STAFF_CHANNELS,
        "places": options,
        "map": map_data(user),
    }
    return render(request, "cases/report.html", context, status=400 if errors else 200)


def _submit(request: HttpRequest, category: Category | None, values: dict[str, str], errors: dict[str, list[str]],
            channel: str, staff: bool):
    user = request.user
    if category is None:
        errors["category"] = [_("Choose what the matter is about.")]
    latitude, longitude = _decimal(values.get("latitude", "")), _decimal(values.get("longitude", ""))
    if (latitude is None) != (longitude is None):
        errors["location"] = [_("Drop the pin again: its position was incomplete.")]
    place = None
    if values.get("place"):
        place = visible_to(user, "place.view", Place.objects.all()).filter(
            pk=values["place"]).first() if values["place"].isdigit() else None
        if place is None:
            errors["location"] = [_("Pick a place from the list.")]
    if errors.get("category") or errors.get("location"):
        _precheck(values, place, latitude, longitude, errors)
        if request.FILES:
            errors["photos"] = [_("Nothing was saved; choose the photos again.")]
        return None
    contact = Contact(name=values.get("contact_name", ""), phone=values.get("contact_phone", "")) if staff \
        else Contact()
    answers = {key.split(".", 1)[1]: value for key, value in values.items() if key.startswith("answers.")}
    try:
        return case_report(actor=user, category=category, description=values.get("description", ""),
                           place=place, latitude=latitude, longitude=longitude, address=values.get("address", ""),
                           answers=answers, channel=channel, contact=contact,
                           attachments=request.FILES.getlist("photos"))
    except ValidationError as error:
        keyed = error.message_dict if hasattr(error, "error_dict") else {"form": error.messages}
        for key, messages_ in keyed.items():
            errors["form" if key == NON_FIELD_ERRORS else key] = messages_
        if request.FILES and "attachments" not in errors:
            errors["photos"] = [_("Nothing was saved; choose the photos again.")]
        return None


def _precheck(values: dict[str, str], place: Place | None, latitude: Decimal | None, longitude: Decimal | None,
              errors: dict[str, list[str]]) -> None:
    """Without a category the service is not called; still tell about the description and the location
    now rather than after the next submit."""
    description = values.get("description", "").strip()
    if not DESCRIPTION_MIN <= len(description) <= DESCRIPTION_MAX:
        errors["description"] = [_("Describe the matter in %(min)d to %(max)d characters.")
                                 % {"min": DESCRIPTION_MIN, "max": DESCRIPTION_MAX}]
    if "location" not in errors:
        try:
            locate(place=place, latitude=latitude, longitude=longitude)
        except ValidationError as error:
            errors.update(error.message_dict)


@require_GET
@login_required
def questions(request: HttpRequest) -> HttpResponse:
    """htmx: the extra questions of the chosen category."""
    require(request.user, "case.add")
    channel = Channel.STAFF if can(request.user, "case.add_on_behalf") else Channel.WEB
    category = {str(c.pk): c for c in open_categories(request.user, channel)}.get(request.GET.get("category", ""))
    return render(request, "cases/_questions.html", {"questions": questions_of(category, {}, {})})


@require_GET
@login_required
def places(request: HttpRequest) -> HttpResponse:
    """htmx: place options matching the search box."""
    require(request.user, "case.add")
    query = request.GET.get("place_q", "").strip()[:50]
    return render(request, "cases/_place_options.html", {"places": place_options(request.user, query),
                                                         "query": query})


@require_GET
@login_required
def pin(request: HttpRequest) -> JsonResponse:
    """JSON: the place a map pin falls in, by name ("浙工新村 3幢 附近 · 河东社区"), or why there is none. Place names
    are public, so any reporter may ask about any spot in the district; nothing of any case is told."""
    require(request.user, "case.add")
    latitude, longitude = _decimal(request.GET.get("lat", "")), _decimal(request.GET.get("lng", ""))
    district = top_place()
    try:
        point = check_pin(latitude=latitude, longitude=longitude, district=district)
    except ValidationError as error:
        return JsonResponse({"error": " ".join(error.messages)}, status=400)
    if point is None:
        return JsonResponse({"error": _("Drop the pin again: its position was incomplete.")}, status=400)
    found = pin_place(*point, district)
    if found is None:
        return JsonResponse({"error": _("No place is known near this spot; pick one from the list below.")},
                            status=404)
    return JsonResponse(pin_label(found))
