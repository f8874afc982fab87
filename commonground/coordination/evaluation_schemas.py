"""The evaluation API's shapes (names unique across apps: Evaluation…)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from ninja import Field, Schema
from pydantic import conint

from commonground.core.api_types import LocalDateTime


class EvaluationRoundOut(Schema):
    id: int
    name: str
    place: str = Field(alias="place.code")
    place_name: str = Field(alias="place.name")
    questionnaire: str = Field(alias="questionnaire.name")
    year: int
    quarter: int | None
    opens_on: datetime.date
    closes_on: datetime.date
    status: str
    status_label: str = Field(alias="get_status_display")


class EvaluationResultOut(Schema):
    """One estate's or company's figures in a round: aggregates only."""

    id: int
    name: str
    company: str = ""
    rank: int | None
    households: int
    responses: int
    response_rate: Decimal | None
    aspects: dict[str, Decimal]
    score: Decimal | None
    cases: int
    closed_on_time_rate: Decimal | None
    mean_rating: Decimal | None
    cases_score: Decimal | None
    combined_score: Decimal | None


class EvaluationAnswersIn(Schema):
    """Scores 1–5 by question key, for the caller's household."""

    answers: dict[str, conint(ge=1, le=5)] = Field(..., max_length=50)


class EvaluationResponseOut(Schema):
    id: int
    round_id: int
    submitted_at: LocalDateTime
