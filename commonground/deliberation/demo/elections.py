"""Two owners' committee elections run through the election services at their real dates.

浙工新村, end of 2022: the 2017 committee's five-year term ran out in November; a preparatory group of seven
(a street-office leader, the residents' committee, the community police officer and four owners) registers
eight candidates, finds seven qualified, posts the notice 18 days before voting; 5 seats, a 5-year term.
秋涛里, October 2020: a 3-year term, so it ends in October 2023, within the three months in which the
platform reminds 朝晖街道 (where the demo's street login works) to prepare the next election.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from commonground.core.models import Ownership, Person
from commonground.core.models.places import within_q

from ..models import Outcome, PreparatoryRole, Vote, VoteKind
from ..services.ballots import ballot_cast
from ..services.elections import candidate_register, candidate_review, preparatory_member_add
from ..services.votes import vote_announce, vote_close, vote_create
from ..tally import tally_election
from .common import World, electorate_of, enter_paper_ballots, local
from .votes import MAX_DRAWS

CONDITIONS_MET = {"is_owner": True, "law_abiding": True, "no_arrears": True, "capable": True, "no_conflict": True,
                  "no_record": True}
STATEMENTS = (
    "退休工程师，熟悉房屋维修，愿意为邻居跑腿办事。",
    "在小区居住二十多年，担任楼道长多年，热心公益。",
    "从事财务工作，愿意监督维修资金和公共收益的使用。",
    "律师，愿意为业主大会的议事规则和合同把关。",
    "社区志愿者，关心老年人出行和小区环境。",
    "中学教师，希望推动小区公共空间改造。",
    "个体经营者，时间灵活，愿意协调物业服务问题。",
    "退休社区医生，关注独居老人和安全隐患。",
)


@dataclass
class Election:
    estate: str
    user: str       # organises: the street login
    clerk: str      # enters the paper ballots
    title: str
    description: str
    created: datetime.date
    record_date: datetime.date
    announced_on: datetime.date
    opens: datetime.datetime
    closes: datetime.datetime
    seats: int
    term_years: int
    registered: int
    rejected: int
    others: tuple[tuple[str, str], ...]  # non-owner members of the preparatory group: (name, role)
    owner_members: int
    turnout: float
    owner_marks: int = 0  # how many candidates the demo owner marks online

    @property
    def closed_at(self) -> datetime.datetime:
        return local(self.closes.date() + datetime.timedelta(days=2), 10, 0)


ELECTIONS = (
    Election(
        "浙工新村", "street", "community", "浙工新村第二届业主委员会选举",
        "第一届业主委员会任期于2022年11月届满。本次选举业主委员会委员5名，任期5年。",
        datetime.date(2022, 10, 10), datetime.date(2022, 10, 31), datetime.date(2022, 11, 8),
        local(datetime.date(2022, 11, 26), 9), local(datetime.date(2022, 12, 10), 17), seats=5, term_years=5,
        registered=8, rejected=1, owner_members=4, turnout=0.8, owner_marks=4,
        others=(("朝晖街道 李科长", PreparatoryRole.LEADER), ("河东社区 陈社工", PreparatoryRole.RESIDENTS_COMMITTEE),
                ("朝晖派出所社区民警 王警官", PreparatoryRole.OTHER)),
    ),
    Election(
        "秋涛里", "street", "street", "秋涛里业主委员会换届选举",
        "选举业主委员会委员5名，任期3年。",
        datetime.date(2020, 8, 24), datetime.date(2020, 9, 20), datetime.date(2020, 9, 22),
        local(datetime.date(2020, 10, 10), 9), local(datetime.date(2020, 10, 18), 17), seats=5, term_years=3,
        registered=6, rejected=0, owner_members=3, turnout=0.85,
        others=(("朝晖街道 李科长", PreparatoryRole.LEADER), ("假山社区居委会 孙主任", PreparatoryRole.RESIDENTS_COMMITTEE)),
    ),
)
REJECTION = "经核查，该业主拖欠物业服务费两年，不符合候选人条件。"


def owners_on(world: World, estate_name: str, day: datetime.date) -> list[Person]:
    estate = world.estate(estate_name)
    held = Ownership.objects.current(day).filter(within_q("flat__path", [estate.path]), person__isnull=False)
    return list(Person.objects.filter(pk__in=held.values("person_id")).order_by("pk"))


def draw_marks(rng: random.Random, electorate: dict[str, int], fixed: dict[str, list[int]], candidates: list[int],
               *, seats: int, turnout: float) -> dict[str, list[int]]:
    """Paper ballots marking at most `seats` candidates, candidates[:seats] being the favourites, drawn until
    exactly those are elected with no tie."""
    popularity = [0.86 - 0.05 * i for i in range(seats)] + [0.4 - 0.06 * i for i in range(len(candidates) - seats)]
    others = [key for key in electorate if key not in fixed]
    for _ in range(MAX_DRAWS):
        marks = {}
        for key in others:
            if rng.random() >= turnout:
                continue
            marked = [c for c, p in zip(candidates, popularity, strict=True) if rng.random() < p]
            while len(marked) > seats:
                marked.remove(rng.choice(marked))
            marks[key] = marked
        result = tally_election(electorate, {**marks, **fixed}, candidates=candidates, seats=seats)
        if result.outcome == Outcome.PASSED and set(result.elected) == set(candidates[:seats]) and not result.tied:
            return marks
    raise RuntimeError("no draw of ballots elects the favourites")


def run_election(world: World, plan: Election) -> Vote:
    rng, user = world.rng, world.users[plan.user]
    estate = world.estate(plan.estate)
    created = local(plan.created, 10, 0)
    vote = world.call(created, vote_create, actor=user, estate=estate, kind=VoteKind.ELECTION, matter="3",
                      title=plan.title, description=plan.description, record_date=plan.record_date,
                      opens_at=plan.opens, closes_at=plan.closes, seats=plan.seats, term_years=plan.term_years)
    owner_login = world.users.get("owner")
    owners = [p for p in owners_on(world, plan.estate, plan.record_date)
              if owner_login is None or p.pk != owner_login.person_id]
    chosen = rng.sample(owners, plan.owner_members + plan.registered)
    members, people = chosen[:plan.owner_members], chosen[plan.owner_members:]
    at = created + datetime.timedelta(minutes=20)
    for name, role in plan.others:
        world.call(at, preparatory_member_add, actor=user, vote=vote, name=name, role=role)
    for person in members:
        world.call(at, preparatory_member_add, actor=user, vote=vote, name=person.name, role=PreparatoryRole.OWNER,
                   person=person)
    candidates = []
    for n, person in enumerate(people):
        at = local(plan.created + datetime.timedelta(days=7 + n), 9 + n % 8, 10 * (n % 6))
        candidates.append(world.call(at, candidate_register, actor=user, vote=vote, person=person,
                                     statement=STATEMENTS[n % len(STATEMENTS)]))
    reviewed = local(plan.announced_on - datetime.timedelta(days=6), 14, 30)
    rejected = set(rng.sample(range(len(candidates)), plan.rejected))
    for n, candidate in enumerate(candidates):
        if n in rejected:
            world.call(reviewed, candidate_review, actor=user, candidate=candidate,
                       conditions={**CONDITIONS_MET, "no_arrears": False}, reason=REJECTION)
        else:
            world.call(reviewed, candidate_review, actor=user, candidate=candidate, conditions=CONDITIONS_MET)
    announced = local(plan.announced_on, 9, 30)
    vote = world.call(announced, vote_announce, actor=user, vote=vote)
    qualified = [c.pk for n, c in enumerate(candidates) if n not in rejected]
    favourites = rng.sample(qualified, len(qualified))  # the first `seats` of them win
    fixed = {}
    if plan.owner_marks and owner_login is not None:
        cast_at = plan.opens + datetime.timedelta(days=1, hours=10, minutes=34)
        marked = sorted(rng.sample(favourites[:plan.seats + 1], plan.owner_marks))
        ballot = world.call(cast_at, ballot_cast, vote=vote, actor=owner_login, candidates=marked)
        fixed[ballot.elector.key] = marked
    electors, electorate = electorate_of(vote)
    paper = draw_marks(rng, electorate, fixed, favourites, seats=plan.seats, turnout=plan.turnout)
    by_key = {e.key: e for e in electors}
    enter_paper_ballots(world, vote, world.users[plan.clerk], [(by_key[k], "", m) for k, m in paper.items()],
                        first=plan.opens, last=plan.closes)
    vote = world.call(plan.closed_at, vote_close, actor=user, vote=vote)
    if vote.outcome != Outcome.PASSED or vote.committee is None:
        raise RuntimeError(f"{plan.title}: {vote.outcome}")
    world.count("votes")
    return vote


def build_elections(world: World) -> list[Vote]:
    return [run_election(world, plan) for plan in ELECTIONS]
