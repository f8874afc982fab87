"""Keeping the roll-ups (`models/tallies.py`) exactly right: every service that writes a case row passes the
case as it was and as it is to `tally_changed`, in the same transaction; `tallies_rebuild` recounts them from the
cases and `tallies_compare` says where stored and recounted differ."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import transaction

from commonground.core.models.places import within_q
from commonground.core.rollups import rollup_add

from ..models import TALLIES, Case
from ..models.tallies import FACT_FIELDS, CaseFacts, Tally, facts_from, facts_of

Key = tuple
Deltas = dict[type[Tally], dict[Key, list[int]]]
_deferred: ContextVar[Deltas | None] = ContextVar("tallies_deferred", default=None)


def _add(deltas: Deltas, facts: CaseFacts, sign: int) -> None:
    for tally, key, measures in facts.rows():
        total = deltas[tally].setdefault(key, [0] * len(measures))
        for index, value in enumerate(measures):
            total[index] += sign * value


def tally_changed(before: CaseFacts | None, after: CaseFacts | None) -> None:
    """Move a case's counts from what it was (None: a new case) to what it is: at most one statement per
    roll-up, none when nothing counted changed."""
    if before == after:
        return
    pending = _deferred.get()
    deltas: Deltas = pending if pending is not None else defaultdict(dict)
    if before is not None:
        _add(deltas, before, -1)
    if after is not None:
        _add(deltas, after, +1)
    if pending is None:
        _write(deltas)


@contextmanager
def tallies_deferred() -> Iterator[None]:
    """Sum the roll-ups' changes in memory and write them once at the end, in the caller's transaction: for a
    batch of many case writes that reads no roll-up meanwhile (the demo's year of cases updates the same few
    keys hundreds of thousands of times, each a new row version in PostgreSQL's one long transaction)."""
    if _deferred.get() is not None:
        yield
        return
    token = _deferred.set(defaultdict(dict))
    try:
        yield
        pending = _deferred.get()
    finally:
        _deferred.reset(token)
    _write(pending)


def remember(case: Case) -> Case:
    """Note what the roll-ups count of `case` now, for `saved` to move from."""
    case._tallied = facts_of(case)  # type: ignore[attr-defined]
    return case


def added(case: Case) -> None:
    """Count a case just written."""
    tally_changed(None, remember(case)._tallied)  # type: ignore[attr-defined]


def saved(case: Case, fields: Iterable[str]) -> None:
    """Save the changed `fields` of a case that `remember` has seen, and move its counts."""
    before = case.__dict__.get("_tallied")
    if before is None:  # counting it as new would count it twice
        raise RuntimeError(f"case {case.pk} was not read through `locked` (or `remember`) before its change")
    case.save(update_fields=list(fields))
    after = facts_of(case)
    tally_changed(before, after)
    case._tallied = after  # type: ignore[attr-defined]


def _write(deltas: Deltas) -> None:
    for tally, rows in deltas.items():
        rollup_add(tally, rows)


def recount(cases=None) -> Deltas:
    """The roll-ups as the cases give them (all cases, or those of `cases`)."""
    counted: Deltas = defaultdict(dict)
    rows = (cases if cases is not None else Case.objects.all()).order_by().values_list(*FACT_FIELDS)
    for row in rows.iterator(chunk_size=10_000):
        _add(counted, facts_from(*row), +1)
    return counted


def tallies_add(cases) -> None:
    """Count cases written past the services (bulk copies), in the caller's transaction."""
    _write(recount(cases))


def stored() -> Deltas:
    found: Deltas = defaultdict(dict)
    for tally in TALLIES:
        for row in tally.objects.values_list(*tally.key_fields, *tally.measure_fields).iterator(chunk_size=10_000):
            width = len(tally.key_fields)
            measures = list(row[width:])
            if any(measures):
                found[tally][tuple(row[:width])] = measures
    return found


def tallies_compare() -> dict[str, int]:
    """Keys whose stored measures differ from a recount, per roll-up (all zero: they agree)."""
    counted, kept = recount(), stored()
    differences = {}
    for tally in TALLIES:
        a = {key: row for key, row in counted.get(tally, {}).items() if any(row)}
        b = kept.get(tally, {})
        differences[tally._meta.model_name] = sum(1 for key in a.keys() | b.keys() if a.get(key) != b.get(key))
    return differences


@transaction.atomic
def tallies_rebuild() -> dict[str, int]:
    """Replace every roll-up by a recount of the cases; returns the rows written per roll-up."""
    counted = recount()
    for tally in TALLIES:
        tally.objects.all().delete()
    _write(counted)
    return {tally._meta.model_name: len(counted.get(tally, {})) for tally in TALLIES}


def tallies_place_moved(sender, *, old_path: str, new_path: str, **kwargs) -> None:
    """A place moved (its cases' paths are rewritten already): the counts of its cases move from the community and
    street they lay in to those they lie in now, in the transaction of the move."""
    deltas: Deltas = defaultdict(dict)
    for row in Case.objects.filter(within_q("place_path", [new_path])).values_list(*FACT_FIELDS).iterator():
        now = facts_from(*row)
        before = facts_from(old_path + row[0][len(new_path):], *row[1:])
        if before != now:
            _add(deltas, before, -1)
            _add(deltas, now, +1)
    _write(deltas)
