"""Flat choice (选房): the new buildings' flats, chosen by the signed households in signing order, each within
its entitled area, and never given twice.

Whose turn: the households whose standing agreement is signed (conditional or in effect) and takes a flat (not
cash compensation), in signing-number order; a household may choose once every household with a lower number
has chosen or been passed over (absent when their turn came: `flat_turn_skip`); one passed over may choose
whenever they come back, from what is left.

Many clicks at once: `flat_choose` locks the household's row, then the flat's; the loser of a race for a flat
finds it taken once the winner commits and is told so; the flat's `chosen_by` is one-to-one, so no household
holds two flats even if the locks were bypassed.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from commonground.core import clock
from commonground.core.models import User
from commonground.core.rosters.readers import read_upload
from commonground.core.services import permit

from ..models import Agreement, Household, NewFlat, OptionKind, Project
from ..signing_selectors import TAKING_PART, turn_of, waiting

COLUMNS = ("building", "floor", "number", "area_m2", "orientation")
# headers a spreadsheet may use for each column (English, as exported, or Chinese)
HEADERS = {
    "building": ("building", "楼幢", "幢", "楼号"),
    "floor": ("floor", "楼层", "层"),
    "number": ("number", "房号", "室号"),
    "area_m2": ("area_m2", "area", "面积", "建筑面积", "面积(m²)", "面积（m²）"),
    "orientation": ("orientation", "朝向"),
}
AREA = re.compile(r"^\d{1,7}(\.\d{1,2})?$")


def area_tolerance() -> Decimal:
    """How far over its entitled area a household's new flat may be (m²): flats come in set sizes."""
    return Decimal(str(getattr(settings, "CG_RENEWAL_FLAT_AREA_TOLERANCE_M2", 5)))


def may_choose_now(agreement: Agreement) -> bool:
    """Is it this household's turn, or was it passed over (then it may choose at any time)?"""
    if agreement.turn_passed_at is not None:
        return True
    return not waiting(agreement.household.project).filter(sequence__lt=agreement.sequence).exists()


def parse_rows(rows: list[dict[str, Any]]) -> list[NewFlat]:
    """Check every row (building, floor, number, area_m2, orientation); all errors at once, by row and column."""
    errors: list[str] = []
    flats: list[NewFlat] = []
    seen: dict[tuple[str, str], int] = {}

    def fail(row: int, column: str, message: str) -> None:
        errors.append(_("Row %(row)d, %(column)s: %(message)s") % {"row": row, "column": column, "message": message})

    for index, raw in enumerate(rows, start=1):
        row = int(raw.get("_row") or index)
        values = {column: str(raw.get(column) if raw.get(column) is not None else "").strip() for column in COLUMNS}
        before = len(errors)
        if not values["building"]:
            fail(row, "building", _("the building is missing."))
        elif len(values["building"]) > 20:
            fail(row, "building", _("at most 20 characters."))
        if not values["number"]:
            fail(row, "number", _("the flat number is missing."))
        elif len(values["number"]) > 20:
            fail(row, "number", _("at most 20 characters."))
        floor = values["floor"]
        if not floor.isdigit() or not 1 <= int(floor) <= 200:
            fail(row, "floor", _("a whole number from 1 to 200."))
        area = values["area_m2"]
        try:
            area_value = Decimal(area) if AREA.match(area) else None
        except InvalidOperation:
            area_value = None
        if area_value is None or area_value <= 0:
            fail(row, "area_m2", _("an area in m² above zero, at most two decimals."))
        if len(values["orientation"]) > 20:
            fail(row, "orientation", _("at most 20 characters."))
        key = (values["building"], values["number"])
        if values["building"] and values["number"]:
            if key in seen:
                fail(row, "number", _("the same flat as row %(row)d.") % {"row": seen[key]})
            seen.setdefault(key, row)
        if len(errors) == before:
            flats.append(NewFlat(building=values["building"], floor=int(floor), number=values["number"],
                                 area_m2=area_value, orientation=values["orientation"]))
    if errors:
        raise ValidationError({"rows": errors})
    return flats


@transaction.atomic
def new_flats_import(*, actor: User | None, project: Project, rows: list[dict[str, Any]]) -> list[NewFlat]:
    """Add the new buildings' flats to the project's inventory from `rows` (dicts with building, floor, number,
    area_m2, orientation; `_row` numbers a row as its file does). Every row is checked first; with any error
    nothing is imported and every error is told by row and column. A flat already in the inventory is an
    error too. `actor` may "renewal.manage" the project."""
    permit(actor, "renewal.manage", project)
    if not rows:
        raise ValidationError({"rows": _("The list has no flat.")})
    flats = parse_rows(rows)
    existing = set(NewFlat.objects.filter(project=project).values_list("building", "number"))
    clashes = [_("Row %(row)d, number: %(building)s %(number)s is already in the inventory.") % {
        "row": int(raw.get("_row") or index), "building": flat.building, "number": flat.number}
        for index, (raw, flat) in enumerate(zip(rows, flats, strict=True), start=1)
        if (flat.building, flat.number) in existing]
    if clashes:
        raise ValidationError({"rows": clashes})
    for flat in flats:
        flat.project = project
    return NewFlat.objects.bulk_create(flats)


def new_flat_rows(upload: Any) -> list[dict[str, Any]]:
    """The rows of an inventory file (CSV or XLSX, read as rosters are) as dicts for `new_flats_import`, with
    each row's number in the file; headers in English or Chinese (楼幢, 楼层, 房号, 面积, 朝向)."""
    table, index = read_upload(upload, HEADERS)
    missing = [column for column in COLUMNS if column not in index and column != "orientation"]
    if missing:
        raise ValidationError({"file": _("Columns missing: %(columns)s.") % {"columns": ", ".join(missing)}})
    return [{"_row": number, **{column: (cells[position] if position < len(cells) else "")
                                for column, position in index.items()}}
            for number, cells in table.rows]


@transaction.atomic
def flat_choose(*, actor: User, household: Household, flat: NewFlat) -> NewFlat:
    """Give `flat` to `household`: only a household whose standing agreement is signed and takes a flat, in its
    turn (or passed over earlier), within its entitled area plus the tolerance, once. With many clicks at once
    one wins; the others are told the flat has just been chosen by another household. `actor` may
    "renewal.select" the household."""
    permit(actor, "renewal.select", household)
    household = Household.objects.select_for_update().select_related("project").get(pk=household.pk)
    project = household.project
    flat = NewFlat.objects.select_for_update().get(pk=flat.pk)
    if flat.project_id != project.pk:
        raise ValidationError({"flat": _("This flat is not one of this project's new flats.")})
    if project.selection_from and clock.today() < project.selection_from:
        raise ValidationError({"flat": _("The flat choice opens on %(day)s.") % {
            "day": f"{project.selection_from:%Y-%m-%d}"}})
    agreement = (Agreement.objects.filter(household=household, status__in=TAKING_PART)
                 .select_related("household__project").first())
    if agreement is None:
        raise ValidationError({"flat": _("Only a household with a signed agreement chooses a new flat.")})
    if agreement.option == OptionKind.CASH or agreement.entitled_area_m2 is None:
        raise ValidationError({"flat": _("This household chose cash compensation: it takes no new flat.")})
    if NewFlat.objects.filter(chosen_by=household).exists():
        raise ValidationError({"flat": _("This household has already chosen its new flat.")})
    if flat.chosen_by_id is not None:
        raise ValidationError({"flat": _("This flat has just been chosen by another household. Choose another.")})
    if not may_choose_now(agreement):
        raise ValidationError({"flat": _("Not this household's turn yet: households choose in signing order.")})
    limit = agreement.entitled_area_m2 + area_tolerance()
    if flat.area_m2 > limit:
        raise ValidationError({"flat": _("%(area)s m² is more than this household's entitled area (%(entitled)s m², "
                                         "%(tolerance)s m² over at most).") % {
            "area": flat.area_m2, "entitled": agreement.entitled_area_m2, "tolerance": area_tolerance()}})
    flat.chosen_by, flat.chosen_at = household, clock.now()
    try:
        with transaction.atomic():
            flat.save(update_fields=["chosen_by", "chosen_at"])
    except IntegrityError:  # the one-to-one: the household holds a flat already
        raise ValidationError({"flat": _("This household has already chosen its new flat.")}) from None
    return flat


@transaction.atomic
def flat_turn_skip(*, actor: User, household: Household) -> Agreement:
    """Pass over the household whose turn it is (absent when called): the next may choose; this one may choose
    later from what is left. Recorded on its agreement (who, when), kept in the history. `actor` may
    "renewal.select" the household."""
    permit(actor, "renewal.select", household)
    household = Household.objects.select_for_update().select_related("project").get(pk=household.pk)
    turn = turn_of(household.project)
    if turn is None or turn.household_id != household.pk:
        raise ValidationError({"household": _("Only the household whose turn it is can be passed over.")})
    agreement = Agreement.objects.select_for_update(of=("self",)).get(pk=turn.pk)
    agreement.turn_passed_at, agreement.turn_passed_by = clock.now(), actor
    agreement.save()
    return agreement
