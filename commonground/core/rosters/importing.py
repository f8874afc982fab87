"""Import a roster: check every row and prepare every write first (no lock), then write everything in one short
transaction of prepared statements (core.bulk), or nothing."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from .. import bulk, place_cache
from ..models import User
from ..permissions import require
from . import households, ownership, people, places
from .context import ImportContext, Plan, Row
from .readers import Table
from .results import ImportResult, ProgressFactory, RowError, no_progress
from .specs import ROSTERS, RosterSpec, normalise_header

PLANNERS: dict[str, Callable[[ImportContext, list[Row]], Plan]] = {
    "places": places.plan, "people": people.plan, "households": households.plan, "ownership": ownership.plan,
}


def map_headers(spec: RosterSpec, headers: list[str]) -> tuple[dict[int, str], dict[str, str], list[RowError], list[str]]:
    """Match the file's headers to columns: (position → key, key → header text, errors, ignored headers)."""
    names = {normalise_header(name): column.key for column in spec.columns for name in column.names()}
    positions: dict[int, str] = {}
    written: dict[str, str] = {}
    errors: list[RowError] = []
    ignored: list[str] = []
    for position, header in enumerate(headers):
        key = names.get(normalise_header(header))
        if key is None:
            if header:
                ignored.append(header)
        elif key in written:
            errors.append(RowError(1, header, _("This column appears twice (also as “%(other)s”).")
                                   % {"other": written[key]}, key, "duplicate_column"))
        else:
            positions[position] = key
            written[key] = header
    if not positions:
        errors.append(RowError(0, "", _("None of the column headers belong to the %(roster)s roster; "
                                        "is this the right roster?") % {"roster": spec.title}, "", "no_columns"))
    for column in spec.columns:
        if column.required and column.key not in written:
            errors.append(RowError(1, column.label, _("This column is missing; the file needs it."),
                                   column.key, "missing_column"))
    return positions, written, errors, ignored


def roster_import(
    *, roster: str, table: Table, actor: User | None = None, dry_run: bool = False, progress: ProgressFactory = no_progress,
) -> ImportResult:
    """Import `table` as `roster`; with a user, require "roster.import" and keep to the user's scope.

    Nothing is written when any row is bad or on a dry run; the result lists every bad cell.
    """
    spec = ROSTERS[roster]
    if actor is not None:
        require(actor, "roster.import")
    result = ImportResult(roster=roster, dry_run=dry_run)
    positions, written, errors, result.ignored_columns = map_headers(spec, table.headers)
    if errors:
        result.errors = errors
        return result
    if not table.rows:
        result.errors = [RowError(0, "", _("The file has no data rows below the headers."), "", "empty")]
        return result
    rows = [Row(number, {key: cells[position] if position < len(cells) else "" for position, key in positions.items()})
            for number, cells in table.rows]
    ctx = ImportContext(spec=spec, user=actor, headers=written, progress=progress)
    plan = PLANNERS[roster](ctx, rows)
    result.created, result.updated, result.unchanged = plan.created, plan.updated, plan.unchanged
    order = {key: index for index, key in enumerate(spec.keys)}
    result.errors = sorted(ctx.errors, key=lambda error: (error.row, order.get(error.key, 0)))
    if result.errors or dry_run:
        return result
    statements = plan.statements(ctx)  # every value prepared before the write lock is taken
    bar = progress(desc=_("Writing"), total=sum(len(statement.rows) for statement in statements))
    started = time.perf_counter()
    try:
        with transaction.atomic():
            bulk.run(statements, bar.update)
        place_cache.forget()  # a places roster writes without Place's signals
        result.write_seconds = time.perf_counter() - started
    except IntegrityError:
        # Someone changed the same records between checking and writing; the transaction rolled back.
        result.errors = [RowError(0, "", _("The data changed while importing, so nothing was imported; "
                                           "please try again."), "", "conflict")]
    finally:
        bar.close()
    return result
