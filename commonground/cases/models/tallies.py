"""Roll-ups of the case table that the figures page and the report read instead of counting cases: per unit (the
community, or the street or district for a case placed above any community) and per local month, kept exactly
right by the case services in the transaction that changes a case (`services/tallies.py`) and re-buildable from
the cases by `commonground tallies --rebuild`, which `--check` proves equal to a recount."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commonground.core.models.places import SEGMENT_WIDTH

from . import CLOSED_STAGES, OPEN_STAGES, Level, Stage

UNIT_SEGMENTS = 3  # district, street, community: the finest place a roll-up row counts
UNIT_PATH_LENGTH = UNIT_SEGMENTS * SEGMENT_WIDTH
STREET_PATH_LENGTH = (UNIT_SEGMENTS - 1) * SEGMENT_WIDTH  # the unit of the roll-up by category


def unit_path(place_path: str) -> str:
    """The roll-up unit of a case placed at `place_path`: its community (or the street or district above it)."""
    return place_path[:UNIT_PATH_LENGTH]


class Tally(models.Model):
    """Cases counted under one key: how many, how many rated and the sum of their ratings."""

    unit_path = models.CharField(max_length=UNIT_PATH_LENGTH)
    n = models.IntegerField(default=0)
    rated = models.IntegerField(default=0)
    rating_sum = models.IntegerField(default=0)

    key_fields: tuple[str, ...] = ()
    measure_fields: tuple[str, ...] = ("n", "rated", "rating_sum")

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return " ".join(str(getattr(self, name)) for name in self.key_fields)


class StandingTally(Tally):
    """Every case as it stands now, by stage (all time); with the handling time of the closed ones."""

    stage = models.CharField(max_length=16, choices=Stage.choices)
    is_overdue = models.BooleanField()
    closed_level = models.CharField(max_length=16, choices=Level.choices, blank=True)
    handled = models.IntegerField(default=0)
    handling_seconds = models.BigIntegerField(default=0)

    key_fields = ("unit_path", "stage", "is_overdue", "closed_level")
    measure_fields = ("n", "rated", "rating_sum", "handled", "handling_seconds")

    class Meta:
        verbose_name = _("case tally by stage")
        constraints = [models.UniqueConstraint(fields=["unit_path", "stage", "is_overdue", "closed_level"],
                                               name="standing_tally_key")]


class ReportedState(models.TextChoices):
    """What became of a reported case, as the figures count it."""

    OPEN = "open", _("open")
    OVERDUE = "overdue", _("open and overdue")
    CLOSED = "closed", _("closed")
    OTHER = "other", _("not accepted or merged")


class ReportedTally(Tally):
    """Cases by the local month they were reported in and what became of them."""

    month = models.DateField()
    state = models.CharField(max_length=8, choices=ReportedState.choices)

    key_fields = ("month", "unit_path", "state")

    class Meta:
        verbose_name = _("case tally by month reported")
        constraints = [models.UniqueConstraint(fields=["month", "unit_path", "state"], name="reported_tally_key")]


class ReportedCategoryTally(Tally):
    """Cases by the local month they were reported in, their category and what became of them, per street (per
    community the rows would be almost as many as the cases)."""

    unit_path = models.CharField(max_length=STREET_PATH_LENGTH)
    month = models.DateField()
    category = models.ForeignKey("cases.Category", on_delete=models.CASCADE, related_name="+")
    state = models.CharField(max_length=8, choices=ReportedState.choices)

    key_fields = ("month", "unit_path", "category_id", "state")

    class Meta:
        verbose_name = _("case tally by month reported and category")
        constraints = [models.UniqueConstraint(fields=["month", "unit_path", "category", "state"],
                                               name="reported_category_tally_key")]


class ClosedTally(Tally):
    """Closed cases (closed or rated) by the local month they were closed in and the level that closed them."""

    month = models.DateField()
    closed_level = models.CharField(max_length=16, choices=Level.choices, blank=True)
    is_overdue = models.BooleanField()

    key_fields = ("month", "unit_path", "closed_level", "is_overdue")

    class Meta:
        verbose_name = _("case tally by month closed")
        constraints = [models.UniqueConstraint(fields=["month", "unit_path", "closed_level", "is_overdue"],
                                               name="closed_tally_key")]


TALLIES: tuple[type[Tally], ...] = (StandingTally, ReportedTally, ReportedCategoryTally, ClosedTally)


FACT_FIELDS = ("place_path", "category_id", "stage", "is_overdue", "closed_level", "created_at", "closed_at",
               "dispatched_at", "rating")


@dataclass(frozen=True)
class CaseFacts:
    """What the roll-ups count of one case."""

    unit_path: str
    street_path: str
    category_id: int
    stage: str
    is_overdue: bool
    state: str  # ReportedState
    reported_month: datetime.date
    closed_month: datetime.date | None  # closed or rated, with the local month it was closed in
    closed_level: str  # of a closed case only
    rating: int | None
    handling_seconds: int | None  # dispatched to closed, of a closed case

    def rows(self) -> Iterable[tuple[type[Tally], tuple, tuple[int, ...]]]:
        """(roll-up, key, measures) this case adds to."""
        rated, rating_sum = (0, 0) if self.rating is None else (1, self.rating)
        handled, seconds = (0, 0) if self.handling_seconds is None else (1, self.handling_seconds)
        yield (StandingTally, (self.unit_path, self.stage, self.is_overdue, self.closed_level),
               (1, rated, rating_sum, handled, seconds))
        yield ReportedTally, (self.reported_month, self.unit_path, self.state), (1, rated, rating_sum)
        yield (ReportedCategoryTally, (self.reported_month, self.street_path, self.category_id, self.state),
               (1, rated, rating_sum))
        if self.closed_month is not None:
            yield (ClosedTally, (self.closed_month, self.unit_path, self.closed_level, self.is_overdue),
                   (1, rated, rating_sum))


def reported_state(stage: str, is_overdue: bool) -> str:
    if stage in CLOSED_STAGES:
        return ReportedState.CLOSED
    if stage in OPEN_STAGES:
        return ReportedState.OVERDUE if is_overdue else ReportedState.OPEN
    return ReportedState.OTHER


def local_month(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date().replace(day=1)


def facts_of(case: models.Model) -> CaseFacts:
    return facts_from(*(getattr(case, name) for name in FACT_FIELDS))


def facts_from(place_path, category_id, stage, is_overdue, closed_level, created_at, closed_at, dispatched_at,
               rating) -> CaseFacts:
    """The facts of a case from its FACT_FIELDS, in that order (as `values_list` reads them)."""
    closed = stage in CLOSED_STAGES
    handling = None
    if closed and closed_at is not None and dispatched_at is not None:
        handling = int((closed_at - dispatched_at).total_seconds())
    return CaseFacts(unit_path=unit_path(place_path), street_path=place_path[:STREET_PATH_LENGTH],
                     category_id=category_id, stage=stage,
                     is_overdue=bool(is_overdue), state=reported_state(stage, is_overdue),
                     reported_month=local_month(created_at),
                     closed_month=local_month(closed_at) if closed and closed_at is not None else None,
                     closed_level=closed_level if closed else "", rating=rating, handling_seconds=handling)
