"""浙工新村's fieldwork, through the services on the one clock.

The consent survey (2023-02-25 to 03-05): every household answers (a few co-owned flats through one owner with the
others' authorisation), about 96% agree (the 2018 survey had failed under 90%); the result is published on the
estate's board on 2023-03-06. Then the campaign's visits from 7 April: every household visited at least once
before it signs (`world.signing_at`), those who sign late more often, the outcomes moving from not at home,
refusals, considering and concerns to agreed; a few concerns sent to other departments as cases (an elderly member
who needs help moving, tenants to be rehoused), handled and closed by the community. 张大姐 of 二组
(`world.last_signer`) is visited again and again; on 30 June, in heavy rain, the group goes four times (14:10,
16:40, 19:20, 22:50), is back at the office at 23:30, and at 23:35 she comes herself (her signing at 23:54 is the
signing step's). The holdout (`world.holdout`) is visited a dozen times and still refuses.
Deterministic from the world's random source.
"""

from __future__ import annotations

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from commonground.cases.models import Category, Level
from commonground.cases.services.workflow import case_accept, case_dispatch, case_feedback, case_verify

from ..models import Concern, ConsentAnswer, Household, Outcome, Visit
from ..services.consent import consent_publish, consent_record
from ..services.visits import visit_record
from .world import MOBILISED_ON, SIGNING_UNTIL, World, local

SURVEY_FROM, SURVEY_UNTIL = datetime.date(2023, 2, 25), datetime.date(2023, 3, 5)
PUBLISHED = local(datetime.date(2023, 3, 6), 10)
DISAGREE = 18  # besides 张大姐 and the holdout: 20 of 548 disagree, 96.35% agree
AUTHORISED = 3  # co-owned flats answered by one owner with the others' authorisation
CASES = (("elderly", "家中有卧床老人，搬迁和过渡期间需要照护和无障碍住房，请民政和社区协助。"),
         ("tenants", "房屋出租给两户租客，需协助租客在过渡期内另找住处并办理退租。"),
         ("elderly", "独居老人，行动不便，签约和搬家需要社区志愿者上门帮助。"),
         ("tenants", "租客在此经营小作坊，需协调搬离时间和临时安置。"))
NOTES = {
    Outcome.NOT_HOME: ["敲门无人应答，留了联系卡。", "邻居说白天上班，晚上再来。", "家中无人，电话未接通。"],
    Outcome.REFUSED: ["隔着门说不谈，态度坚决。", "说等别人都签了再说。", "不愿开门，请楼道长下次一起来。"],
    Outcome.CONSIDERING: ["认真听了政策解读，说和子女商量。", "对补偿方案基本认可，还要再算一算。",
                          "关心新房楼层和朝向，答应考虑。"],
    Outcome.CONCERNS: ["提出补偿单价的疑问，逐项解释了评估依据。", "担心过渡期租房贵、找房难。",
                       "产权有继承问题，兄弟姐妹意见不一。", "房贷未还清，担心抵押怎么处理。"],
    Outcome.AGREED: ["同意签约，约好时间到指挥部签。", "一家人商量好了，同意签约。", "疑问都解答了，同意签。"],
}
NEXT_STEPS = {Outcome.NOT_HOME: "晚上再来", Outcome.REFUSED: "请楼道长一起上门", Outcome.CONSIDERING: "送政策解读材料",
              Outcome.CONCERNS: "政策组核算后答复", Outcome.AGREED: "约定签约时间"}
STAGES = [((Outcome.NOT_HOME, Outcome.REFUSED, Outcome.CONSIDERING), (4, 3, 2)),
          ((Outcome.REFUSED, Outcome.CONSIDERING, Outcome.CONCERNS), (2, 4, 4)),
          ((Outcome.CONSIDERING, Outcome.CONCERNS), (3, 4))]
CONCERN_WEIGHTS = {Concern.COMPENSATION: 6, Concern.RELOCATION: 4, Concern.FLAT_CHOICE: 4, Concern.ELDERLY: 2,
                   Concern.TENANTS: 1, Concern.INHERITANCE: 1, Concern.LOAN: 1}


def build_fieldwork(world: World) -> None:
    households = list(world.project.households.select_related("group", "flat").prefetch_related("owners")
                      .order_by("place_path"))
    survey(world, households)
    visits = plan_visits(world, households)
    cases = choose_cases(world, visits)
    for household, moments, outcomes in visits:
        for index, (moment, outcome) in enumerate(zip(moments, outcomes, strict=True)):
            later = moments[index + 1] if index + 1 < len(moments) else None
            record(world, household, moment, outcome, later=later, case=cases.get((household.pk, index)))
    rainy_night(world)
    holdout(world)
    world.ctx.add_count("renewal visits", Visit.objects.filter(household__project=world.project).count())


def survey(world: World, households: list[Household]) -> None:
    """Every household answers once during the survey; the result is published the day after it closes."""
    rng = world.rng
    others = [h for h in households if h not in (world.last_signer, world.holdout)]
    against = {world.last_signer.pk, world.holdout.pk} | {h.pk for h in rng.sample(others, DISAGREE)}
    co_owned = [h for h in households if len(h.owners.all()) > 1]
    authorised = {h.pk for h in rng.sample(co_owned, min(AUTHORISED, len(co_owned)))}
    days = (SURVEY_UNTIL - SURVEY_FROM).days + 1
    for household in households:
        day = SURVEY_FROM + datetime.timedelta(days=rng.randrange(days))
        minute = rng.randrange(9 * 60, 20 * 60)
        actor = rng.choice(world.staff[household.group.name])
        world.call(local(day, minute // 60, minute % 60), consent_record, actor=actor, household=household,
                   answer=ConsentAnswer.DISAGREE if household.pk in against else ConsentAnswer.AGREE,
                   answered_on=day, by_all_owners=household.pk not in authorised,
                   authorisation=scan(household) if household.pk in authorised else None)
    world.call(PUBLISHED, consent_publish, actor=world.users["renewal"], project=world.project)


def scan(household: Household) -> SimpleUploadedFile:
    """A stand-in for the photographed authorisation (a blank page)."""
    buffer = io.BytesIO()
    Image.new("RGB", (420, 594), "white").save(buffer, format="PNG")
    return SimpleUploadedFile(f"authorisation-{household.pk}.png", buffer.getvalue(), content_type="image/png")


def plan_visits(world: World, households: list[Household]) -> list[tuple[Household, list, list]]:
    """(household, visit moments, outcomes) for every household that signs, but 张大姐 (her story is told apart):
    visits on distinct days from the campaign's start to the day before signing, more for those who sign late."""
    rng = world.rng
    plans = []
    for household in households:
        if household in (world.last_signer, world.holdout):
            continue
        signs = world.signing_at[household.pk]
        span = (signs.date() - MOBILISED_ON).days  # at least the 15 days before signing opens
        n = min(1 + span // 14 + rng.randint(0, 1), span)
        days = sorted(rng.sample(range(span), n))
        moments = []
        for offset in days:
            minute = rng.randrange(9 * 60, 20 * 60 + 30)
            moments.append(local(MOBILISED_ON + datetime.timedelta(days=offset), minute // 60, minute % 60))
        plans.append((household, moments, outcomes_towards_agreement(rng, n)))
    return plans


def outcomes_towards_agreement(rng, n: int) -> list[str]:
    """Not at home, refusals and considering first, concerns later, agreed at the last visit."""
    outcomes = []
    for k in range(n - 1):
        choices, weights = STAGES[min(3 * k // (n - 1), 2)]
        outcomes.append(rng.choices(choices, weights=weights)[0])
    return [*outcomes, Outcome.AGREED]


def choose_cases(world: World, visits) -> dict[tuple[int, int], tuple[str, str]]:
    """A few concerns that need another department: a visit with concerns on a weekday, in working hours."""
    rng = world.rng
    candidates = [(household.pk, i) for household, moments, outcomes in visits for i, (moment, outcome)
                  in enumerate(zip(moments, outcomes, strict=True))
                  if outcome == Outcome.CONCERNS and moment.weekday() < 4 and 9 <= moment.hour < 15]
    chosen = rng.sample(candidates, min(len(CASES), len(candidates)))
    return dict(zip(sorted(chosen), CASES, strict=False))


def concerns_of(rng, outcome: str) -> list[str]:
    if outcome != Outcome.CONCERNS:
        return []
    picked = rng.choices(list(CONCERN_WEIGHTS), weights=list(CONCERN_WEIGHTS.values()), k=rng.randint(1, 2))
    return list(dict.fromkeys(picked))


def record(world: World, household: Household, moment: datetime.datetime, outcome: str, *,
           later: datetime.datetime | None, case: tuple[str, str] | None = None, notes: str = "",
           next_on: datetime.date | None = None, next_step: str = "", recorded_at: datetime.datetime | None = None,
           met: str | None = None) -> None:
    """One visit by two of the group's members (the recorder and one more), recorded within the hour; the next
    visit planned for the day it happens (the last one: for the signing)."""
    rng = world.rng
    staff = world.staff[household.group.name]
    actor, other = rng.sample(staff, 2)
    concerns = concerns_of(rng, outcome)
    category = None
    if case is not None:
        concern, text = case
        concerns = list(dict.fromkeys([concern, *concerns]))
        notes, category = text, Category.objects.get(code="enquiry")
    if next_on is None:
        planned = later or world.signing_at.get(household.pk)
        next_on = planned.date() if planned is not None and planned.date() <= SIGNING_UNTIL else None
    if met is None:
        met = "" if outcome == Outcome.NOT_HOME else household.owner_names.split("、")[0]
    recorded_at = recorded_at or moment + datetime.timedelta(minutes=rng.randrange(20, 60))
    visit = world.call(recorded_at, visit_record, actor=actor, household=household, visited_at=moment,
                       outcome=outcome, visitors=[other], met=met, concerns=concerns,
                       notes=notes or rng.choice(NOTES[outcome]), next_step=next_step or NEXT_STEPS[outcome],
                       next_on=next_on, case_category=category)
    if visit.case is not None:
        handle_case(world, visit.case, moment)


def handle_case(world: World, case, reported: datetime.datetime) -> None:
    """The community takes the matter in, sees to it within two days, and the street checks and closes it."""
    community, street = world.users["community"], world.users["street"]
    case = world.call(reported + datetime.timedelta(hours=1), case_accept, case=case, actor=community)
    case = world.call(reported + datetime.timedelta(hours=1, minutes=20), case_dispatch, case=case,
                      actor=community, level=Level.COMMUNITY)
    case = world.call(reported + datetime.timedelta(days=1, hours=2), case_feedback, case=case, actor=community,
                      note="已联系民政和社区志愿者，落实过渡期照护和搬迁协助，住户表示满意。"
                      if "老人" in case.description else "已协助租客找到过渡住处并办理退租，住户表示满意。")
    world.call(reported + datetime.timedelta(days=1, hours=4), case_verify, case=case, actor=street, approved=True,
               note="回访核实，已解决。")


def rainy_night(world: World) -> None:
    """张大姐: visited again and again from April; on 30 June in heavy rain four times, and at 23:35 she came."""
    rng, zhang = world.rng, world.last_signer
    days = sorted(rng.sample(range(3, 80), 7))
    earlier = [local(MOBILISED_ON + datetime.timedelta(days=d), rng.randrange(9, 20), rng.choice((0, 15, 30, 45)))
               for d in days]
    outcomes = [Outcome.NOT_HOME, Outcome.REFUSED, Outcome.REFUSED, Outcome.CONSIDERING, Outcome.CONCERNS,
                Outcome.REFUSED, Outcome.CONCERNS]
    last = SIGNING_UNTIL
    night = [local(last, 14, 10), local(last, 16, 40), local(last, 19, 20), local(last, 22, 50)]
    for moment, outcome, later in zip(earlier, outcomes, [*earlier[1:], night[0]], strict=True):
        record(world, zhang, moment, outcome, later=later)
    story = [
        (Outcome.REFUSED, "大雨中上门，张大姐隔着门说：补偿算少了，不签。"),
        (Outcome.CONSIDERING, "一根筋，认定面积量错了；拿出测绘图逐项核对，她说再想想。"),
        (Outcome.CONCERNS, "雨越下越大，第三次上门；担心过渡期找不到一楼的房子，腿脚不便。"),
        (Outcome.CONSIDERING, "夜里最后一趟上门，说明今晚是签约期最后一天；她没有表态。23:30工作组回到指挥部。"),
    ]
    for moment, (outcome, notes) in zip(night, story, strict=True):
        recorded = local(last, 23, 30) if moment.hour == 22 else moment + datetime.timedelta(minutes=35)
        record(world, zhang, moment, outcome, later=None, notes=notes, next_on=last, next_step="今晚再上门",
               recorded_at=recorded)
    record(world, zhang, local(last, 23, 35), Outcome.AGREED, later=None, met="张大姐本人（冒雨来到指挥部）",
           notes="23:35张大姐打着伞来到指挥部：“你们今天来了四趟，我签。”", next_on=last, next_step="当晚签约",
           recorded_at=local(last, 23, 40))


def holdout(world: World) -> None:
    """The one household that never signs: a dozen visits, still refusing at the end."""
    rng, household = world.rng, world.holdout
    days = sorted(rng.sample(range(1, 85), 12))
    moments = [local(MOBILISED_ON + datetime.timedelta(days=d), rng.randrange(9, 20), rng.choice((0, 20, 40)))
               for d in days]
    outcomes = [rng.choice((Outcome.NOT_HOME, Outcome.REFUSED, Outcome.CONCERNS)) for _m in moments[:-1]]
    for moment, outcome, later in zip(moments, [*outcomes, Outcome.REFUSED], [*moments[1:], None], strict=True):
        record(world, household, moment, outcome, later=later,
               next_on=later.date() if later else None, next_step="" if later else "继续做工作")
