"""Case exports: cases in scope as CSV (UTF-8 with BOM, for Excel) and XLSX through the one table writer
(core.tables), open cases as GeoJSON.

Contact names and phones are masked unless the user may "person.view_personal_data" where the
case lies; that is decided per row in the same SQL query that reads the rows.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import F, QuerySet, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone
from django.utils.translation import gettext as _

from commonground.core.masking import personal_flag, shown

from .geo import place_name
from .models import Case, Channel, Level, Stage

BATCH = 2000


def with_personal_flag(user: Any, cases: QuerySet[Case]) -> QuerySet[Case]:
    """Annotate `personal`: may this user see the contact in full for this row's place?"""
    return cases.annotate(personal=personal_flag(user, "place_path"))


def columns() -> list[tuple[str, str]]:
    """(key, header) in export order; headers in the user's language."""
    return [
        ("number", _("Number")), ("category", _("Category")), ("place", _("Place")), ("address", _("Address")),
        ("stage", _("Stage")), ("level", _("Handling level")), ("handling_place", _("Handling place")),
        ("handler", _("Handling organisation")), ("channel", _("Channel")), ("reported_at", _("Reported at")),
        ("dispatched_at", _("Dispatched at")), ("deadline", _("Deadline")), ("overdue", _("Overdue")),
        ("closed_at", _("Closed at")), ("closed_level", _("Closed at level")), ("rating", _("Rating")),
        ("contact_name", _("Contact name")), ("contact_phone", _("Contact phone")),
        ("description", _("Description")),
    ]


def case_rows(user: Any, cases: QuerySet[Case]) -> Iterator[dict[str, Any]]:
    """One dict per case, personal data masked per row; read in one query (streamed in batches)."""
    stages, levels, channels = dict(Stage.choices), dict(Level.choices), dict(Channel.choices)
    rows = (
        with_personal_flag(user, cases)
        .annotate(
            who=Coalesce(NullIf(F("contact_name"), Value("")), F("reporter__person__name"), Value("")),
            phone=Coalesce(NullIf(F("contact_phone"), Value("")), F("reporter__person__phone"), Value("")),
        )
        .order_by("created_at", "pk")
        .values("number", "category__name", "place__name", "address", "stage", "level", "handling_place__name",
                "handler__name", "channel", "created_at", "dispatched_at", "deadline", "is_overdue", "closed_at",
                "closed_level", "rating", "who", "phone", "personal", "description")
    )
    yes, no = _("yes"), _("no")
    for row in rows.iterator(chunk_size=BATCH):
        personal = row["personal"]
        yield {
            "number": row["number"], "category": row["category__name"], "place": row["place__name"],
            "address": row["address"], "stage": str(stages.get(row["stage"], row["stage"])),
            "level": str(levels.get(row["level"], "")), "handling_place": row["handling_place__name"] or "",
            "handler": row["handler__name"] or "", "channel": str(channels.get(row["channel"], row["channel"])),
            "reported_at": row["created_at"], "dispatched_at": row["dispatched_at"],
            "deadline": row["deadline"], "overdue": yes if row["is_overdue"] else no,
            "closed_at": row["closed_at"], "closed_level": str(levels.get(row["closed_level"], "")),
            "rating": row["rating"],
            "contact_name": shown("name", row["who"], in_full=personal),
            "contact_phone": shown("phone", row["phone"], in_full=personal),
            "description": row["description"],
        }


WIDTHS = {"number": 18, "category": 14, "place": 16, "description": 40, "reported_at": 17, "deadline": 17}


def case_table(user: Any, cases: QuerySet[Case]) -> tuple[list[str], Iterator[list[Any]], list[int]]:
    """(headers, rows, column widths) of the cases export, for the one table writer (core.tables)."""
    keys = [key for key, _header in columns()]
    rows = ([row[key] for key in keys] for row in case_rows(user, cases))
    return [header for _key, header in columns()], rows, [WIDTHS.get(key, 12) for key in keys]


def open_points(cases: QuerySet[Case]) -> QuerySet:
    """Open cases as plain rows with a point: the pin, or the centroid of the case's place."""
    return (
        cases.open()
        .annotate(lat=Coalesce(F("latitude"), F("place__latitude")), lng=Coalesce(F("longitude"), F("place__longitude")))
        .filter(lat__isnull=False, lng__isnull=False)
        .order_by("deadline", "pk")
        .values("number", "category__name", "stage", "deadline", "is_overdue", "lat", "lng", "place__name",
                "place__kind", "place__parent__name")
    )


def open_cases_geojson(cases: QuerySet[Case]) -> dict[str, Any]:
    """A GeoJSON FeatureCollection of the open cases among `cases` (one query)."""
    stages = {stage: str(label) for stage, label in Stage.choices}  # (translated once, not per case)
    features = []
    for row in open_points(cases):
        deadline = timezone.localtime(row["deadline"]).isoformat() if row["deadline"] else None
        features.append({
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [float(row["lng"]), float(row["lat"])]},
            "properties": {"number": row["number"], "category": row["category__name"], "stage": row["stage"],
                           "stage_label": stages[row["stage"]], "deadline": deadline,
                           "place": place_name(row["place__name"], row["place__kind"], row["place__parent__name"]),
                           "overdue": row["is_overdue"]},
        })
    return {"type": "FeatureCollection", "features": features}
