"""A year of property-service evaluations over the district, through the services on the one clock: the standard
questionnaire, rounds 2022 Q3 – 2023 Q2 (closed; a low-scoring estate gets its supervision case at the close) and
2023 Q3 (open on the demo's today, 2023-08-31). Answers come from the households of the populated estates, entered
in batches as the communities' door-to-door paper questionnaires (`responses_record`), which keeps the step fast
(at most 40 households an estate a round: some two thousand responses). The `owner` login's household (浙工新村)
has not answered the open round, so the owner can; the `committee` login (远洋公寓) sees its estate's results."""

from __future__ import annotations

import datetime
import zoneinfo
from decimal import Decimal
from typing import TYPE_CHECKING

from commonground.core.clock import frozen_at
from commonground.core.models import Household, User
from commonground.core.models.places import within_q

from ..models import Aspect
from ..services.evaluation import (
    ESTATE_PATH_LENGTH,
    PaperResponse,
    QuestionSpec,
    property_company,
    questionnaire_create,
    responses_record,
    round_close,
    round_create,
    round_open,
)

if TYPE_CHECKING:
    from commonground.demo.context import DemoContext

TZ = zoneinfo.ZoneInfo("Asia/Shanghai")
PER_ESTATE = 40

QUESTIONS = [
    QuestionSpec("cleaning", "小区公共区域保洁是否及时、干净？", Aspect.CLEANING, Decimal(2)),
    QuestionSpec("rubbish", "垃圾分类与清运是否规范？", Aspect.CLEANING, Decimal(1)),
    QuestionSpec("security", "门岗值守、巡逻和车辆管理是否到位？", Aspect.SECURITY, Decimal(2)),
    QuestionSpec("repairs", "报修响应和维修质量是否满意？", Aspect.REPAIRS, Decimal(2)),
    QuestionSpec("greenery", "绿化养护是否及时？", Aspect.GREENERY, Decimal(1)),
    QuestionSpec("fees", "物业费收支和公共收益是否公开透明？", Aspect.FEES, Decimal(1)),
    QuestionSpec("service", "物业人员服务态度是否满意？", Aspect.SERVICE, Decimal(1)),
]

# (year, quarter, opens, closes, closed?)
ROUNDS = [
    (2022, 3, datetime.date(2022, 9, 1), datetime.date(2022, 9, 25), True),
    (2022, 4, datetime.date(2022, 12, 1), datetime.date(2022, 12, 25), True),
    (2023, 1, datetime.date(2023, 3, 1), datetime.date(2023, 3, 25), True),
    (2023, 2, datetime.date(2023, 6, 1), datetime.date(2023, 6, 25), True),
    (2023, 3, datetime.date(2023, 8, 15), datetime.date(2023, 9, 15), False),
]


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), TZ)


def build(ctx: DemoContext) -> None:
    rng = ctx.rng("coordination.evaluation")
    clerk = User.objects.get(username="district")
    estates = list(ctx.populated_estates)
    with frozen_at(_at(datetime.date(2022, 8, 20), 10)):
        questionnaire = questionnaire_create(actor=clerk, name="物业服务满意度测评（标准版）", questions=QUESTIONS,
                                             description="拱墅区住宅小区物业服务季度满意度测评，1–5 分。")
    # Each estate's service quality (the mean answer it tends to get), a little drift per quarter; two estates
    # poor enough to fall below 60 in some rounds.
    quality = {e.pk: rng.uniform(3.5, 4.5) for e in estates}
    for estate in rng.sample(estates[1:], 2):
        quality[estate.pk] = rng.uniform(2.6, 3.0)
    households: dict[str, list[Household]] = {}
    for household in (Household.objects.filter(head__isnull=False).select_related("flat", "head")
                      .filter(within_q("flat__path", [e.path for e in estates])).order_by("flat__path", "pk")):
        households.setdefault(household.flat.path[:ESTATE_PATH_LENGTH], []).append(household)
    owner = ctx.people.get("zhegong_owner")
    count = 0
    for year, quarter, opens, closes, closed in ROUNDS:
        with frozen_at(_at(opens - datetime.timedelta(days=10), 9)):
            round = round_create(actor=clerk, questionnaire=questionnaire, place=ctx.district, year=year,
                                 quarter=quarter, opens_on=opens, closes_on=closes)
        with frozen_at(_at(opens, 9)):
            round = round_open(actor=clerk, round=round)
        entries = []
        for estate in [e for e in estates if property_company(e, opens) is not None]:
            pool = [h for h in households.get(estate.path, []) if h.head_id != getattr(owner, "pk", None)]
            share = rng.uniform(0.3, 0.7)
            drift = rng.uniform(-0.3, 0.3)
            for household in rng.sample(pool, min(PER_ESTATE, int(len(pool) * share))):
                mean = quality[estate.pk] + drift
                entries.append(PaperResponse(household, household.head, {
                    q.key: max(1, min(5, round_score(rng.gauss(mean, 0.8)))) for q in QUESTIONS}))
        with frozen_at(_at(opens + datetime.timedelta(days=7), 15)):
            count += len(responses_record(actor=clerk, round=round, entries=entries))
        if closed:
            with frozen_at(_at(closes, 17)):
                round_close(actor=clerk, round=round)
    ctx.add_count("evaluation responses", count)


def round_score(value: float) -> int:
    return int(Decimal(str(value)).quantize(Decimal(1)))
