"""The signals part of the cockpit API.

Sources push readings with their API key (header `X-Api-Key`; only its SHA-256 digest is stored): as JSON
(`POST /api/signals/readings`) or as a CSV body (`POST /api/signals/readings.csv`, header sensor,at,value or
传感器,时间,读数). Wrong keys are throttled per address like Open311's. Staff read sensors and series with their
session, scoped by `sensor.view` / `reading.view`.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.errors import HttpError
from ninja.security import APIKeyHeader

from commonground.core.api_pages import Page, PageQuery, paginate
from commonground.core.api_types import ErrorOut, Id
from commonground.core.rosters.readers import RosterFileError, read_csv
from commonground.core.throttle import secret_allowed, secret_failed

from ..models import AVERAGED_KINDS, SignalSource
from ..services.signals import (
    READING_COLUMNS,
    BatchRefused,
    IngestResult,
    key_digest,
    readings_ingest,
    rows_from_table,
)
from ..signals_schemas import (
    IngestOut,
    RangeQuery,
    ReadingsIn,
    SensorOut,
    SensorQuery,
    SeriesOut,
    SeriesQuery,
)
from ..signals_selectors import (
    access_place,
    access_sensor,
    default_range,
    place_series,
    sensor_days,
    sensor_hours,
    sensors_for,
)

router = Router()
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut}
KEY_LABEL = "api_key:signals"
ALIASES = {column: set(names) for column, names in READING_COLUMNS.items()}


class SourceKey(APIKeyHeader):
    param_name = "X-Api-Key"

    def authenticate(self, request: HttpRequest, key: str | None) -> SignalSource | None:
        if not secret_allowed(request, KEY_LABEL):
            raise HttpError(429, _("Too many wrong API keys from this address; try again later."))
        source = (SignalSource.objects.filter(key_digest=key_digest(key), is_active=True).first()
                  if key and len(key) <= 200 else None)
        if source is None:
            secret_failed(request, KEY_LABEL)
        return source


source_key = SourceKey()
INGEST_RESPONSES = {200: IngestOut, 400: ErrorOut, 401: ErrorOut, 429: ErrorOut}


def _answer(source: SignalSource, rows: list) -> Any:
    try:
        result: IngestResult = readings_ingest(source=source, rows=rows)
    except BatchRefused as refused:
        return Status(400, {"detail": _("This source refuses batches with bad rows; nothing was stored."),
                     "errors": [vars(error) for error in refused.rows]})
    return Status(200, {"received": result.received, "added": result.added, "unchanged": result.unchanged,
                 "corrected": result.corrected, "skipped": result.skipped,
                 "errors": [vars(error) for error in result.errors]})


@router.post("/readings", auth=source_key, response=INGEST_RESPONSES)
def readings_push(request: HttpRequest, batch: ReadingsIn) -> Any:
    """A batch of readings (at most rules.MAX_BATCH), stored idempotently: the same reading again changes nothing,
    another value for a sensor's hour corrects it. Bad rows are reported by row (from 1) and field."""
    return _answer(request.auth, [(n, r.sensor, r.at, r.value) for n, r in enumerate(batch.readings, 1)])


@router.post("/readings.csv", auth=source_key, response={**INGEST_RESPONSES, 422: ErrorOut})
def readings_push_csv(request: HttpRequest) -> Any:
    """Readings as a CSV body (UTF-8 or GB18030) with a header row; rows numbered as a spreadsheet shows them."""
    from .. import rules

    try:
        table = read_csv(request.body)
    except RosterFileError as error:
        return Status(422, {"detail": str(error)})
    if len(table.rows) > rules.MAX_BATCH:
        return Status(422, {"detail": _("At most %(count)d readings in one request.") % {"count": rules.MAX_BATCH}})
    index: dict[str, int] = {}
    for position, header in enumerate(table.headers):
        for column, names in ALIASES.items():
            if header.strip().lower() in names and column not in index:
                index[column] = position
    from django.core.exceptions import ValidationError

    try:
        rows = rows_from_table(table, index)
    except ValidationError as error:
        return Status(422, {"detail": " ".join(error.messages)})
    return _answer(request.auth, rows)


def _sensor(sensor: Any) -> dict[str, Any]:
    return {"id": sensor.pk, "code": sensor.code, "name": sensor.name, "kind": sensor.kind,
            "source": sensor.source.name, "place": sensor.place.code, "place_name": sensor.place.name,
            "capacity": sensor.capacity, "is_active": sensor.is_active}


@router.get("/sensors", response={200: Page[SensorOut], **ERRORS})
def sensor_list(request: HttpRequest, query: SensorQuery = Query(...), pages: PageQuery = Query(...)) -> Any:
    """The sensors the caller sees, of one kind or under one place."""
    place = access_place(request.user, query.place, "sensor.view") if query.place else None
    page = paginate(sensors_for(request.user, kind=query.kind or "", place=place), pages)
    page["items"] = [_sensor(sensor) for sensor in page["items"]]
    return page


def _series(kind: str, start: Any, end: Any, points: list) -> dict[str, Any]:
    return {"kind": kind, "averaged": kind in AVERAGED_KINDS, "start": start, "end": end,
            "points": [vars(point) for point in points]}


def _range(query: RangeQuery, days: int) -> tuple[Any, Any]:
    end = query.end or default_range(days)[1]
    return query.start or end - datetime.timedelta(days=days - 1), end


@router.get("/sensors/{sensor_id}/hours", response={200: SeriesOut, **ERRORS})
def sensor_hour_series(request: HttpRequest, sensor_id: Id, query: RangeQuery = Query(...)) -> Any:
    """A sensor's readings hour by hour over local days start..end (at most 31; default the last 7)."""
    sensor = access_sensor(request.user, sensor_id, "reading.view")
    start, end = _range(query, 7)
    return _series(sensor.kind, start, end, sensor_hours(sensor, start, end))


@router.get("/sensors/{sensor_id}/days", response={200: SeriesOut, **ERRORS})
def sensor_day_series(request: HttpRequest, sensor_id: Id, query: RangeQuery = Query(...)) -> Any:
    """A sensor's daily totals (an averaged kind: daily means) over start..end (at most 366; default 90 days)."""
    sensor = access_sensor(request.user, sensor_id, "reading.view")
    start, end = _range(query, 90)
    return _series(sensor.kind, start, end, sensor_days(sensor, start, end))


@router.get("/series/hours", response={200: SeriesOut, **ERRORS})
def place_hour_series(request: HttpRequest, query: SeriesQuery = Query(...)) -> Any:
    """A kind's readings summed over the sensors under a place, hour by hour (at most 31 days; default 7)."""
    place = access_place(request.user, query.place)
    start, end = _range(query, 7)
    return _series(query.kind, start, end, place_series(place, query.kind, start, end, hourly=True))


@router.get("/series/days", response={200: SeriesOut, **ERRORS})
def place_day_series(request: HttpRequest, query: SeriesQuery = Query(...)) -> Any:
    """A kind's readings summed over the sensors under a place, day by day (at most 366 days; default 90)."""
    place = access_place(request.user, query.place)
    start, end = _range(query, 90)
    return _series(query.kind, start, end, place_series(place, query.kind, start, end, hourly=False))
