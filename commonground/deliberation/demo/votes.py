"""Owners' decisions of 2023 in five estates, each run through the vote services at its real dates: created,
announced with its 15-day notice, ballots cast online by the demo logins that own there and entered on paper
for everyone else, closed with the result, its hash and the result notice. And one upcoming vote.

Outcomes are planned (passed, no quorum, passed by three quarters, failed three quarters) and the paper
ballots are drawn until the exact tally gives the planned outcome, so the story never depends on luck.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field

from ..models import Choice, Elector, Matter, Outcome, Vote, VoteKind
from ..services.ballots import ballot_cast
from ..services.votes import vote_announce, vote_close, vote_create, vote_note_appeal
from ..tally import tally_decision
from .common import World, electorate_of, enter_paper_ballots, local

MAX_DRAWS = 200


@dataclass
class Decision:
    estate: str
    user: str  # the login that organises the vote and enters the paper ballots
    matter: str
    title: str
    description: str
    record_date: datetime.date
    announced_on: datetime.date
    opens: datetime.datetime
    closes: datetime.datetime
    turnout: float
    agree: float
    expected: str
    online: dict[str, list[tuple[datetime.datetime, str]]] = field(default_factory=dict)  # login → its casts
    appeal: tuple[datetime.datetime, str] | None = None

    @property
    def closed_at(self) -> datetime.datetime:
        return local(self.closes.date() + datetime.timedelta(days=1), 10, 0)


DECISIONS = (
    Decision(
        "浙工新村", "community", Matter.USE_FUND, "汛期前使用专项维修资金维修屋面防水及外墙",
        "使用浙工新村专项维修资金约86.4万元，对13幢住宅屋面防水层和外墙空鼓、脱落部位进行应急维修，"
        "汛期前完工；费用按各户专有面积分摊，施工单位经比选确定，结算经审计后公示。",
        datetime.date(2023, 1, 31), datetime.date(2023, 2, 1), local(datetime.date(2023, 2, 20), 9),
        local(datetime.date(2023, 3, 5), 18), turnout=0.82, agree=0.86, expected=Outcome.PASSED,
        online={"owner": [(local(datetime.date(2023, 2, 21), 20, 12), Choice.ABSTAIN),
                          (local(datetime.date(2023, 2, 26), 9, 41), Choice.AGREE)]},
    ),
    Decision(
        "远洋公寓", "committee", Matter.USE_FUND, "使用专项维修资金更换小区监控及门禁系统",
        "使用专项维修资金约23.8万元，更换已运行十年的监控摄像头和单元门禁，新增高空抛物监控点。",
        datetime.date(2023, 2, 28), datetime.date(2023, 3, 1), local(datetime.date(2023, 3, 20), 9),
        local(datetime.date(2023, 4, 2), 18), turnout=0.5, agree=0.75, expected=Outcome.NO_QUORUM,
        online={"committee": [(local(datetime.date(2023, 3, 20), 9, 25), Choice.AGREE)]},
    ),
    Decision(
        "天水北苑", "community", Matter.USE_FUND, "使用专项维修资金更换二次供水水泵及管道",
        "二次供水水泵已超期运行，夏季高峰水压不足。使用专项维修资金约31.2万元更换水泵两台及老化管道。",
        datetime.date(2023, 4, 30), datetime.date(2023, 5, 4), local(datetime.date(2023, 5, 22), 9),
        local(datetime.date(2023, 6, 4), 18), turnout=0.78, agree=0.8, expected=Outcome.PASSED,
    ),
    Decision(
        "华丰府", "district", Matter.REBUILD, "既有住宅加装电梯（1幢至3幢）",
        "在1幢至3幢各单元北侧加装电梯，政府补助每台20万元，其余费用按楼层系数由受益业主分摊；"
        "加装电梯属改建建筑物及其附属设施，须经参与表决专有面积和人数四分之三以上同意。",
        datetime.date(2023, 5, 31), datetime.date(2023, 6, 1), local(datetime.date(2023, 6, 19), 9),
        local(datetime.date(2023, 7, 2), 18), turnout=0.86, agree=0.9, expected=Outcome.PASSED,
        appeal=(local(datetime.date(2023, 7, 28), 15, 20),
                "1幢101室业主于2023年7月26日向杭州市拱墅区人民法院起诉，请求撤销本决定（采光受影响）；"
                "法院已立案，判决前本决定继续有效。"),
    ),
    Decision(
        "天水北苑", "community", Matter.COMMON_PARTS, "将小区东侧部分绿地改建为机动车停车位",
        "将东侧绿地约600平方米改建为28个机动车停车位，收益归全体业主。改变共有部分用途，"
        "须经参与表决专有面积和人数四分之三以上同意。",
        datetime.date(2023, 6, 30), datetime.date(2023, 7, 3), local(datetime.date(2023, 7, 20), 9),
        local(datetime.date(2023, 8, 2), 18), turnout=0.8, agree=0.62, expected=Outcome.FAILED,
    ),
)
UPCOMING = Decision(
    "浙工新村", "community", Matter.RULES_OF_PROCEDURE, "修订《浙工新村业主大会议事规则》：增加线上表决方式",
    "在书面表决之外，业主可通过本平台实名线上表决，表决期间可修改，以截止时的最后一次为准；"
    "纸质表决票继续有效，由社区工作人员录入并留存扫描件。",
    datetime.date(2023, 8, 14), datetime.date(2023, 8, 14), local(datetime.date(2023, 8, 30), 9),
    local(datetime.date(2023, 9, 29), 18), turnout=0, agree=0, expected="",
)


def draw_choices(rng: random.Random, electorate: dict[str, int], fixed: dict[str, str], *, turnout: float,
                 agree: float, supermajority: bool, expected: str) -> dict[str, str]:
    """Choices of the owners who vote on paper (the fixed ones vote online), drawn until the tally of all
    ballots gives `expected`."""
    others = [key for key in electorate if key not in fixed]
    for _ in range(MAX_DRAWS):
        chosen = {}
        for key in others:
            if rng.random() < turnout:
                roll = rng.random()
                chosen[key] = Choice.AGREE if roll < agree else Choice.AGAINST if roll < agree + (1 - agree) * 0.75 \
                    else Choice.ABSTAIN
        if tally_decision(electorate, {**chosen, **fixed}, supermajority=supermajority).outcome == expected:
            return chosen
    raise RuntimeError(f"no draw of ballots gives {expected}")


def _final_choices(world: World, plan: Decision, vote: Vote) -> dict[str, str]:
    fixed = {}
    for login, casts in plan.online.items():
        elector = Elector.objects.get(vote=vote, memberships__person_id=world.users[login].person_id)
        fixed[elector.key] = casts[-1][1]
    return fixed


def run_decision(world: World, plan: Decision) -> Vote:
    user = world.users[plan.user]
    created = local(plan.announced_on - datetime.timedelta(days=2), 10, 15)
    vote = world.call(created, vote_create, actor=user, estate=world.estate(plan.estate), matter=plan.matter,
                      title=plan.title, description=plan.description, record_date=plan.record_date,
                      opens_at=plan.opens, closes_at=plan.closes)
    announced = local(plan.announced_on, 9, 30)
    vote = world.call(announced, vote_announce, actor=user, vote=vote)
    for login, casts in plan.online.items():
        for at, choice in casts:
            world.call(at, ballot_cast, vote=vote, actor=world.users[login], choice=choice)
    electors, electorate = electorate_of(vote)
    fixed = _final_choices(world, plan, vote)
    paper = draw_choices(world.rng, electorate, fixed, turnout=plan.turnout, agree=plan.agree,
                         supermajority=vote.needs_supermajority, expected=plan.expected)
    by_key = {e.key: e for e in electors}
    enter_paper_ballots(world, vote, user, [(by_key[key], choice, []) for key, choice in paper.items()],
                        first=plan.opens, last=plan.closes)
    vote = world.call(plan.closed_at, vote_close, actor=user, vote=vote)
    if vote.outcome != plan.expected:
        raise RuntimeError(f"{plan.title}: {vote.outcome}, planned {plan.expected}")
    if plan.appeal:
        at, note = plan.appeal
        vote = world.call(at, vote_note_appeal, actor=user, vote=vote, note=note)
    world.count("votes")
    return vote


def run_upcoming(world: World) -> Vote:
    """Announced with the usual notice and open on the demo's today, so demo owners can vote in it."""
    plan, user = UPCOMING, world.users[UPCOMING.user]
    created = local(plan.announced_on - datetime.timedelta(days=1), 16, 40)
    vote = world.call(created, vote_create, actor=user, estate=world.estate(plan.estate), kind=VoteKind.DECISION,
                      matter=plan.matter, title=plan.title, description=plan.description,
                      record_date=plan.record_date, opens_at=plan.opens, closes_at=plan.closes)
    announced = local(plan.announced_on, 9, 0)
    world.count("votes")
    return world.call(announced, vote_announce, actor=user, vote=vote)


def build_decisions(world: World) -> list[Vote]:
    return [run_decision(world, plan) for plan in DECISIONS] + [run_upcoming(world)]
