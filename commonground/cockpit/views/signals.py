"""The signals pages of the cockpit: sensors (list, export, one sensor's series, create and edit), signal sources
(district: create, keys shown once, rotate, bad-row policy, on and off) and importing a file of readings."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from commonground.core.forms import apply_service_errors
from commonground.core.pagination import CappedPaginator
from commonground.core.permissions import can, require
from commonground.core.rosters.readers import read_upload
from commonground.core.tables import table_response

from ..models import AVERAGED_KINDS, BadRows, SignalKind
from ..services.signals import (
    READING_COLUMNS,
    BatchRefused,
    readings_import,
    sensor_create,
    sensor_update,
    source_create,
    source_rotate_key,
    source_update,
)
from ..signals_forms import ImportForm, SensorForm, SourceForm, places_for
from ..signals_selectors import (
    access_sensor,
    access_source,
    default_range,
    latest_days,
    sensor_days,
    sensor_hours,
    sensors_for,
    sources_for,
)

PAGE_SIZE = 50
EXPORT_LIMIT = 50_000
ALIASES = {column: set(names) for column, names in READING_COLUMNS.items()}


def _filtered(request: HttpRequest) -> tuple[Any, dict[str, str]]:
    kind = request.GET.get("kind", "")
    kind = kind if kind in SignalKind.values else ""
    code = request.GET.get("place", "")[:64]
    place = places_for(request.user, "sensor.view").filter(code=code).first() if code else None
    return sensors_for(request.user, kind=kind, place=place), {"kind": kind, "place": place.code if place else ""}


@login_required
def sensors(request: HttpRequest) -> HttpResponse:
    require(request.user, "sensor.view")
    found, filters = _filtered(request)
    page = CappedPaginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    totals = latest_days([sensor.pk for sensor in page.object_list])
    return render(request, "cockpit/signals_sensors.html", {
        "page": page, "rows": [(sensor, totals.get(sensor.pk)) for sensor in page.object_list],
        "filters": filters, "kinds": SignalKind.choices, "places": places_for(request.user, "sensor.view"),
        "may_manage": can(request.user, "sensor.manage"), "may_import": can(request.user, "reading.import")})


@login_required
def sensors_export(request: HttpRequest, fmt: str) -> HttpResponse:
    require(request.user, "sensor.view")
    if fmt not in ("csv", "xlsx"):
        raise Http404
    found = _filtered(request)[0][:EXPORT_LIMIT]
    headers = [_("Sensor code"), _("Sensor name"), _("Signal kind"), _("Signal source"), _("Place code"),
               _("Place of the sensor"), _("Capacity (people an hour)"), _("In service")]

    def rows():
        for sensor in found:
            yield [sensor.code, sensor.name, sensor.get_kind_display(), sensor.source.name, sensor.place.code,
                   sensor.place.name, sensor.capacity, _("in service") if sensor.is_active else _("switched off")]
    return table_response(fmt, headers, rows(), filename="sensors", title=_("Sensors and signals"))


@login_required
def sensor(request: HttpRequest, pk: int) -> HttpResponse:
    found = access_sensor(request.user, pk)
    may_read = can(request.user, "reading.view", found)
    hours_from, today = default_range(7)
    days_from, _today = default_range(90)
    hours = sensor_hours(found, hours_from, today) if may_read else []
    days = sensor_days(found, days_from, today) if may_read else []
    chart = {"hours": [[point.at.astimezone(datetime.UTC).isoformat(), str(point.value)] for point in hours],
             "days": [[point.at.isoformat(), str(point.value)] for point in days],
             "capacity": found.capacity, "averaged": found.kind in AVERAGED_KINDS}
    return render(request, "cockpit/signals_sensor.html", {
        "sensor": found, "chart": chart, "days": days[-14:][::-1], "may_read": may_read,
        "may_manage": can(request.user, "sensor.manage", found)})


@login_required
def sensor_new(request: HttpRequest) -> HttpResponse:
    require(request.user, "sensor.manage")
    form = SensorForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            made = sensor_create(actor=request.user, source=data["source"], code=data["code"], name=data["name"],
                                 place=data["place"], capacity=data["capacity"], latitude=data["latitude"],
                                 longitude=data["longitude"])
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return redirect("cockpit:sensor", made.pk)
    return render(request, "cockpit/signals_sensor_form.html", {"form": form, "sensor": None})


@login_required
def sensor_edit(request: HttpRequest, pk: int) -> HttpResponse:
    found = access_sensor(request.user, pk, "sensor.manage")
    initial = {"name": found.name, "place": found.place, "capacity": found.capacity, "latitude": found.latitude,
               "longitude": found.longitude, "is_active": found.is_active}
    form = SensorForm(request.POST or None, user=request.user, editing=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            sensor_update(actor=request.user, sensor=found, name=data["name"], place=data["place"],
                          capacity=data["capacity"], latitude=data["latitude"], longitude=data["longitude"],
                          is_active=data["is_active"])
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return redirect("cockpit:sensor", found.pk)
    return render(request, "cockpit/signals_sensor_form.html", {"form": form, "sensor": found})


def _sources_page(request: HttpRequest, form: SourceForm, *, key: str = "", keyed: Any = None) -> HttpResponse:
    return render(request, "cockpit/signals_sources.html", {
        "sources": sources_for(request.user), "form": form, "key": key, "keyed": keyed,
        "policies": BadRows.choices, "may_manage": can(request.user, "signalsource.manage")})


@login_required
def sources(request: HttpRequest) -> HttpResponse:
    require(request.user, "signalsource.view")
    form = SourceForm(request.POST or None)
    if request.method == "POST":
        require(request.user, "signalsource.manage")
        if form.is_valid():
            try:
                made, key = source_create(actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                apply_service_errors(form, error)
            else:  # the key is shown on this answer only: it is not stored
                return _sources_page(request, SourceForm(), key=key, keyed=made)
    return _sources_page(request, form)


@login_required
@require_POST
def source_action(request: HttpRequest, pk: int) -> HttpResponse:
    found = access_source(request.user, pk, "signalsource.manage")
    action = request.POST.get("action", "")
    if action == "rotate":
        key = source_rotate_key(actor=request.user, source=found)
        return _sources_page(request, SourceForm(), key=key, keyed=found)
    if action == "policy" and request.POST.get("bad_rows") in BadRows.values:
        source_update(actor=request.user, source=found, bad_rows=request.POST["bad_rows"])
    elif action in ("activate", "deactivate"):
        source_update(actor=request.user, source=found, is_active=action == "activate")
    else:
        raise PermissionDenied
    return redirect("cockpit:sources")


@login_required
def readings_import_page(request: HttpRequest) -> HttpResponse:
    require(request.user, "reading.import")
    form = ImportForm(request.POST or None, request.FILES or None)
    result = refused = None
    headers: dict[str, str] = {}
    if request.method == "POST" and form.is_valid():
        try:
            table, index = read_upload(form.cleaned_data["file"], ALIASES)
            headers = {column: table.headers[position] for column, position in index.items()}
            result = readings_import(actor=request.user, source=form.cleaned_data["source"], table=table,
                                     index=index)
        except BatchRefused as error:
            refused = error.rows
        except ValidationError as error:
            apply_service_errors(form, error)
    errors = (result.errors if result else refused) or []
    return render(request, "cockpit/signals_import.html", {
        "form": form, "result": result, "refused": refused,
        "errors": [(error.row, headers.get(error.field, error.field), error.message) for error in errors[:500]],
        "more_errors": max(len(errors) - 500, 0)})


urlpatterns = [
    path("sensors/", sensors, name="sensors"),
    path("sensors/export.<str:fmt>", sensors_export, name="sensors_export"),
    path("sensors/new/", sensor_new, name="sensor_new"),
    path("sensors/<int:pk>/", sensor, name="sensor"),
    path("sensors/<int:pk>/edit/", sensor_edit, name="sensor_edit"),
    path("sources/", sources, name="sources"),
    path("sources/<int:pk>/", source_action, name="source_action"),
    path("readings/import/", readings_import_page, name="readings_import"),
]
