"""The demo's year of cases (2022-09-01 to the demo's today, 2023-08-31 16:00), and the first year
of the Xintiandi business community (2022-06-01 to 2023-05-31: 286 disputes resolved, 123 needs met).

Each case lives its life in memory first, the way the services would move it: reported, accepted or
rejected, dispatched at its category's level with a deadline on the working calendar, handled (with
a mediation record for disputes), escalated when its level cannot solve it or the deadline passes
(the tick runs every five minutes), reported done, verified and closed, rated on the revisit call,
reopened after a dissatisfied rating. The life is then cut at the demo's "now" and written with bulk
inserts: the case row as it stands, its event log up to now, mediation records, notifications for
the demo logins. Deterministic: every choice comes from the demo's seeded random sources.
"""

from __future__ import annotations

import datetime
import functools
import random
import zoneinfo
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat, LPad, Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from commonground.core import working_calendar
from commonground.core.models import Organisation, OrganisationKind, Place, PlaceKind, RoleAssignment
from commonground.core.models.places import ancestor_ids
from commonground.core.rules import role_permits
from commonground.core.services.accounts import setting_set
from commonground.core.working_calendar import add_working_hours, working_hours_between

from .models import (
    LADDER,
    ApiClient,
    Case,
    CaseEvent,
    Category,
    Channel,
    Level,
    Mediation,
    MediationOutcome,
    MediationSession,
    Notification,
    NotificationKind,
    Stage,
)
from .rules import DISSATISFIED_AT_MOST, WARN_AT_FRACTION
from .services.categories import category_seed
from .services.ladder import LEVEL_KINDS

if TYPE_CHECKING:
    from commonground.demo.context import DemoContext

TZ = zoneinfo.ZoneInfo("Asia/Shanghai")
NOW = datetime.datetime(2023, 8, 31, 16, 0, tzinfo=TZ)  # the demo's today, late afternoon
YEAR = (datetime.date(2022, 9, 1), datetime.date(2023, 8, 31))
XINTIANDI = "新天地商务社区"
XINTIANDI_FIRST_YEAR = (datetime.date(2022, 6, 1), datetime.date(2023, 5, 31))
XINTIANDI_DISPUTES_RESOLVED = 286
XINTIANDI_NEEDS_MET = 123
FIRST_YEAR_SETTING = "xintiandi_first_year"
DEMO_API_CLIENT = ("12345政务服务热线", "demo-12345-hotline-2023")  # a published demo key, like the passwords

# Cases a year in the rest of the district, by category.
CATEGORY_MIX = {
    "exposed-rubbish": 560, "street-cleaning": 330, "noise-dispute": 290, "neighbour-dispute": 210,
    "lift-broken": 250, "water-leak": 320, "property-fee-dispute": 140, "enterprise-parking": 110,
    "enterprise-talent": 60, "enterprise-financing": 40, "policy-enquiry": 100, "fire-lane-blocked": 190,
    "illegal-structure": 110, "enquiry": 380, "complaint": 330, "courier-council-item": 90, "early-warning": 140,
    "resolution-follow-up": 90,
}
HEDONG_WEIGHT = 10  # the demo logins work in 河东社区: give their queues some life
P_REJECTED, P_DUPLICATE, P_RATED = 0.03, 0.025, 0.8
P_ESCALATE_ON_PURPOSE, P_LATE, P_SENT_BACK, P_LEVEL_UP, P_WAITING = 0.04, 0.06, 0.04, 0.05, 0.04
DUPLICATED = {"exposed-rubbish", "street-cleaning", "lift-broken", "fire-lane-blocked", "water-leak"}
RESIDENTIAL = {"exposed-rubbish", "noise-dispute", "neighbour-dispute", "lift-broken", "water-leak",
               "property-fee-dispute", "fire-lane-blocked", "illegal-structure", "enquiry", "complaint"}
NUMBER_MARK = "~"

DESCRIPTIONS = {
    "exposed-rubbish": ["{place}楼下垃圾桶满溢，垃圾堆在路边已经两天了", "{place}门口有人乱扔建筑垃圾，气味很大",
                        "{place}绿化带里堆了很多生活垃圾，没有人清理"],
    "street-cleaning": ["{place}附近道路落叶很多，没人清扫", "{place}路口积水，路面有泥浆需要冲洗",
                        "{place}人行道上有大片油污，容易滑倒"],
    "noise-dispute": ["{place}楼上住户晚上十点后还在装修，严重影响休息", "{place}楼下商铺音响声音太大，{n}点还在放",
                      "{place}邻居家狗每天夜里叫，多次沟通无果"],
    "neighbour-dispute": ["{place}邻居在楼道堆放杂物，沟通后不肯清理", "{place}楼上漏水渗到我家，楼上不愿意维修",
                          "{place}邻居私占公共晾晒区，双方有争执"],
    "lift-broken": ["{place}电梯停运{n}天了，老人上下楼很困难", "{place}电梯运行时有异响，担心安全",
                    "{place}电梯门关不上，一直报警"],
    "water-leak": ["{place}楼道顶部渗水，墙皮脱落", "{place}地下室水管破裂，积水很深", "{place}卫生间天花板一直滴水"],
    "property-fee-dispute": ["{place}物业费上涨没有公示，业主有异议", "{place}物业服务不到位，业主拒交物业费，双方协商不成",
                             "{place}停车费收费标准有争议"],
    "enterprise-parking": ["{place}员工停车困难，希望协调{n}个长租车位", "{place}访客车位不足，申请临时停车方案"],
    "enterprise-talent": ["{place}企业招聘技术人员，希望对接人才政策和人才公寓", "{place}员工子女入学咨询，需要协助"],
    "enterprise-financing": ["{place}企业扩大生产需要贷款{n}百万元，希望对接银行", "{place}科技型企业申请融资担保"],
    "policy-enquiry": ["{place}企业咨询楼宇经济扶持政策如何申报", "{place}企业咨询租金补贴的申请条件",
                       "{place}企业咨询高新技术企业认定流程"],
    "fire-lane-blocked": ["{place}消防通道长期被私家车占用", "{place}消防通道堆满电动车和杂物"],
    "illegal-structure": ["{place}顶楼住户正在搭建阳光房", "{place}一楼住户占用绿地搭建棚子", "{place}有人在屋顶加层施工"],
    "enquiry": ["咨询{place}附近老年食堂的开放时间", "咨询{place}加装电梯的补贴政策", "咨询{place}居住证办理需要的材料",
                "咨询{place}垃圾分类投放的时间"],
    "complaint": ["投诉{place}附近夜市油烟扰民", "投诉{place}物业保安态度差", "投诉{place}周边共享单车乱停放",
                  "投诉{place}附近工地夜间施工"],
    "courier-council-item": ["{place}小哥电动车充电桩不够用，晚上排队", "{place}希望在小区门口设置快递临时停车点",
                             "{place}小哥子女暑期无人照看，希望开设托管班"],
    "early-warning": ["驾驶舱预警：{place}人流密度超过阈值", "驾驶舱预警：{place}商业活力指数连续下降",
                      "驾驶舱预警：{place}周边交通拥堵指数偏高"],
    "resolution-follow-up": ["议事会决议跟进：{place}增设非机动车棚", "议事会决议跟进：{place}楼道照明改造",
                             "议事会决议跟进：{place}公共区域加装监控"],
}
NOTES = ["已到现场查看，正在处理", "已联系责任单位，约定上门时间", "已安排人员处理，预计今天完成", "已与诉求人电话沟通，正在协调"]
FEEDBACK = ["已处理完毕，现场已恢复", "已协调解决，诉求人表示认可", "已按要求整改到位", "已答复诉求人并提供相关材料"]
ESCALATION_REASONS = ["涉及多个部门，本级无法协调", "需要执法部门介入", "涉及资金和规划审批，需上级统筹"]
REJECTION_REASONS = ["不属于受理范围，已告知诉求人向相关部门反映", "信息不全，多次联系诉求人未果", "经核实情况不属实"]
SENT_BACK = ["现场复核仍未处理到位，退回重办", "诉求人反映问题仍然存在，请继续处理"]
AGREEMENTS = ["双方同意按约定时间整改，互相谅解", "双方达成一致，由责任方承担维修费用", "双方签订调解协议，按协议分期履行",
              "双方同意调整作息和使用时间，不再发生纠纷"]
SUMMARIES = ["听取双方陈述，初步明确争议焦点", "现场查看后提出调解方案，双方原则同意", "双方就费用分担进行协商"]
ATTENDEES = ["双方当事人、社区调解员、网格员", "双方当事人、物业代表、业委会代表、社区调解员", "双方当事人、楼宇专员、物业代表"]


# --- the place tree in memory ------------------------------------------------------------------

@dataclass
class Node:
    pk: int
    kind: str
    parent_id: int | None
    code: str
    name: str
    path: str
    latitude: Any
    longitude: Any


class Tree:
    """The places cases hang from (no corridors, flats, grids), with the ladder of services.ladder."""

    def __init__(self) -> None:
        rows = Place.objects.exclude(kind__in=[PlaceKind.CORRIDOR, PlaceKind.FLAT, PlaceKind.GRID]).values_list(
            "pk", "kind", "parent_id", "code", "name", "path", "latitude", "longitude")
        self.nodes = {row[0]: Node(*row) for row in rows}
        self._chains: dict[int, list[Node]] = {}
        self._handling: dict[tuple[int, str], tuple[str, Node]] = {}

    def chain(self, node: Node) -> list[Node]:
        """Root first, `node` last."""
        if node.pk not in self._chains:
            self._chains[node.pk] = [self.nodes[pk] for pk in ancestor_ids(node.path)]
        return self._chains[node.pk]

    def handling(self, place: Node, level: str) -> tuple[str, Node]:
        key = (place.pk, level)
        if key not in self._handling:
            chain = self.chain(place)
            found = None
            for candidate in LADDER[LADDER.index(level):]:
                found = next(((candidate, a) for a in reversed(chain) if a.kind in LEVEL_KINDS[candidate]), None)
                if found:
                    break
            self._handling[key] = found or (Level.DISTRICT, chain[0])
        return self._handling[key]

    def next_level(self, place: Node, level: str, current: Node) -> tuple[str, Node] | None:
        for candidate in LADDER[LADDER.index(level) + 1:]:
            actual, above = self.handling(place, candidate)
            if above.pk != current.pk and len(above.path) < len(current.path):
                return actual, above
        return None

    def within(self, node: Node, top: Node | None) -> bool:
        return top is not None and node.path.startswith(top.path)

    def of_kind(self, *kinds: str, under: Node | None = None, outside: Node | None = None) -> list[Node]:
        return [n for n in self.nodes.values() if n.kind in kinds and (under is None or self.within(n, under))
                and not self.within(n, outside)]


# --- one case's life ---------------------------------------------------------------------------

@dataclass
class Step:
    at: datetime.datetime
    action: str  # "" for a change without a log line (the tick's deadline warning)
    target: str | None  # the stage it moves to; None: the stage stays
    actor: int | None = None
    note: str = ""
    data: dict = field(default_factory=dict)
    changes: dict = field(default_factory=dict)


@dataclass
class Spec:
    category: Category
    place: Node
    reported_at: datetime.datetime
    channel: str
    description: str
    answers: dict
    contact_name: str = ""
    contact_phone: str = ""
    reporter: int | None = None
    recorded_by: int | None = None
    outcome: str = "normal"  # normal | reject | duplicate
    rate: float = P_RATED
    on_time: bool = False  # no escalation, no lateness (cases whose ending the demo fixes)
    waiting: float = 0.0  # working hours between acceptance and dispatch (the clerk clarifies first)


class NumberOf:
    """A case number in an event's data, known only once the case is inserted."""

    def __init__(self, life: Life) -> None:
        self.life = life


class Life:
    def __init__(self, world: World, rng: random.Random, spec: Spec) -> None:
        self.w, self.rng, self.spec = world, rng, spec
        self.sla = float(spec.category.sla_hours)
        self.steps: list[Step] = []
        self.level, self.handling = "", spec.place
        self.start = self.deadline = spec.reported_at
        self.reopenings = self.escalations = 0
        self.last_feedback_actor: int | None = None
        self.closed_at = spec.reported_at
        self.mediation: dict[str, Any] | None = None
        self.merged_into: Life | None = None
        self.state: dict[str, Any] = {}
        self.pk: int | None = None
        self.number = ""

    # helpers
    def log(self, at: datetime.datetime, action: str, target: str | None = None, **kwargs: Any) -> None:
        self.steps.append(Step(at, action, target, **kwargs))

    def after(self, at: datetime.datetime, low: float, high: float) -> datetime.datetime:
        return add_working_hours(at, round(self.rng.uniform(low, high), 2))

    def clock(self, at: datetime.datetime, level: str) -> dict[str, Any]:
        self.level, self.handling = self.w.tree.handling(self.spec.place, level)
        self.start, self.deadline = at, add_working_hours(at, self.spec.category.sla_hours)
        return {"level": self.level, "handling_place_id": self.handling.pk, "dispatched_at": at,
                "deadline": self.deadline, "warned_at": None, "is_overdue": False}

    def up(self) -> tuple[str, Node] | None:
        return self.w.tree.next_level(self.spec.place, self.level, self.handling)

    # the stages
    def live(self) -> Life:
        spec, rng = self.spec, self.rng
        t = spec.reported_at
        self.log(t, "reported", Stage.COLLECT, actor=spec.recorded_by or spec.reporter,
                 data={"channel": spec.channel, "possible_duplicates": []})
        clerk = self.w.clerk(spec.place)
        if spec.outcome == "reject":
            t = self.after(t, 0.3, 3)
            self.log(t, "rejected", Stage.REJECTED, actor=clerk, note=rng.choice(REJECTION_REASONS), changes={"closed_at": t})
            return self
        t = self.after(t, 0.2, 3)
        self.log(t, "accepted", Stage.CREATE, actor=clerk)
        t = add_working_hours(self.after(t, 0.1, 1.5), spec.waiting)
        level = spec.category.default_level
        if not spec.on_time and rng.random() < P_LEVEL_UP and level != Level.DISTRICT:
            level = LADDER[LADDER.index(level) + 1]
        fields = self.clock(t, level)
        self.log(t, "dispatched", Stage.DISPATCH, actor=clerk,
                 data={"level": self.level, "handling_place": self.handling.code},
                 changes={**fields, "handler_id": self.w.organisation_at.get(self.handling.pk)})
        self.work()
        self.evaluate()
        return self

    def escalate(self, at: datetime.datetime, *, actor: int | None, reason: str, overdue: bool = False,
                 reopen: bool = False) -> None:
        up = self.up()
        assert up is not None
        fields = self.clock(at, up[0])
        changes = {**fields, "handler_id": None, "escalations": self.escalations + 1}
        self.escalations += 1
        if reopen:
            self.reopenings += 1
            changes.update(reopenings=self.reopenings, closed_at=None, closed_level="", rating=None)
        if overdue:
            changes["is_overdue"] = True
        self.log(at, "escalated", Stage.DISPATCH, actor=actor, note=reason, changes=changes,
                 data={"level": self.level, "handling_place": self.handling.code})

    def work(self) -> None:
        """Handle at the current level until closed, escalating on the way when it comes to that."""
        rng, spec = self.rng, self.spec
        while True:
            handler = self.w.handler(self.handling)
            draw = 1.0 if spec.on_time else rng.random()
            up = self.up()
            warn = ceil5(add_working_hours(self.start, self.spec.category.sla_hours * WARN_AT_FRACTION))
            if up and draw < P_ESCALATE_ON_PURPOSE:
                at = add_working_hours(self.start, round(self.sla * rng.uniform(0.2, 0.6), 2))
                self.log(midpoint(self.start, at, 0.5), "note", Stage.HANDLE, actor=handler, note=rng.choice(NOTES))
                self.escalate(at, actor=handler, reason=rng.choice(ESCALATION_REASONS))
                continue
            late = draw < P_ESCALATE_ON_PURPOSE + P_LATE
            finish = add_working_hours(self.start, round(self.sla * rng.uniform(*((1.1, 2.5) if late else (0.15, 0.95))), 2))
            if late:
                tick_at = ceil5(self.deadline)
                if warn < self.deadline:
                    self.log(warn, "", changes={"warned_at": warn})
                if up:
                    if rng.random() < 0.5:
                        self.log(midpoint(self.start, self.deadline, 0.4), "note", Stage.HANDLE, actor=handler,
                                 note=rng.choice(NOTES))
                    self.escalate(tick_at, actor=None, reason=_("Deadline passed."), overdue=True)
                    continue
                self.log(tick_at, "overdue", note=_("Overdue at the top of the ladder."), changes={"is_overdue": True})
            noted = midpoint(self.start, finish, rng.uniform(0.1, 0.4))
            self.log(noted, "note", Stage.HANDLE, actor=handler, note=rng.choice(NOTES))
            if spec.category.is_dispute:
                self.mediate(noted, finish, handler)
            self.log(finish, "feedback", Stage.FEEDBACK, actor=handler, note=rng.choice(FEEDBACK))
            self.last_feedback_actor = handler
            closed = self.verify(finish)
            if not late and warn < min(closed, self.deadline):
                self.log(warn, "", changes={"warned_at": warn})
            return

    def verify(self, done: datetime.datetime) -> datetime.datetime:
        rng = self.rng
        verifier = self.w.verifier(self.spec.place)
        verifier = None if verifier == self.last_feedback_actor else verifier
        left = working_hours_between(done, self.deadline)
        if left <= 0:  # late at the top of the ladder: nothing more to escalate
            at = self.after(done, 0.3, 4)
        else:
            at = add_working_hours(done, round(left * rng.uniform(0.2, 0.5), 3))
            if left > 1 and rng.random() < P_SENT_BACK:
                self.log(at, "sent_back", Stage.HANDLE, actor=verifier, note=rng.choice(SENT_BACK))
                redone = add_working_hours(at, round(working_hours_between(at, self.deadline) * 0.4, 3))
                self.log(redone, "feedback", Stage.FEEDBACK, actor=self.last_feedback_actor, note=rng.choice(FEEDBACK))
                at = add_working_hours(redone, round(working_hours_between(redone, self.deadline) * 0.5, 3))
        self.log(at, "closed", Stage.CLOSED, actor=verifier, note="经核查已办结",
                 changes={"closed_at": at, "closed_level": self.level})
        self.closed_at = at
        return at

    def mediate(self, start: datetime.datetime, end: datetime.datetime, mediator: int | None) -> None:
        rng = self.rng
        opened = midpoint(start, end, 0.1)
        if self.mediation is None:
            self.mediation = {"parties": self.w.parties(self), "mediator": mediator, "opened": opened,
                              "sessions": [], "concluded": []}
            self.log(opened, "mediation_opened", actor=mediator, data={"parties": self.mediation["parties"]})
        venue = self.w.venue(self.handling)
        for i in range(rng.randint(1, 3) if not self.mediation["sessions"] else 1):
            held = midpoint(opened, end, 0.2 + 0.25 * i)
            summary = rng.choice(SUMMARIES)
            self.mediation["sessions"].append((held, venue, rng.choice(ATTENDEES), summary))
            self.log(held, "mediation_session", actor=mediator, note=summary,
                     data={"held_on": timezone.localtime(held).date().isoformat()})
        concluded = midpoint(start, end, 0.9)
        agreement = rng.choice(AGREEMENTS)
        self.mediation["concluded"].append((concluded, agreement))
        self.log(concluded, "mediation_concluded", actor=mediator, note=agreement,
                 data={"outcome": MediationOutcome.AGREEMENT})

    def evaluate(self) -> None:
        rng, spec = self.rng, self.spec
        if not (spec.reporter or spec.contact_phone) or rng.random() >= spec.rate:
            return
        at = self.closed_at + datetime.timedelta(hours=rng.uniform(3, 60))
        rating = rng.choices((5, 4, 3, 2, 1), weights=(58, 28, 8, 4, 2))[0]
        # Rarely dissatisfied twice; never at the top of the ladder, where the service has nowhere to send it.
        if rating <= DISSATISFIED_AT_MOST and self.reopenings and (
                self.reopenings > 1 or self.up() is None or rng.random() < 0.7):
            rating = rng.choice((3, 4, 5))
        self.log(at, "rated", Stage.EVALUATED, actor=spec.reporter, data={"rating": rating},
                 changes={"rating": rating})
        if rating > DISSATISFIED_AT_MOST:
            return
        if self.reopenings == 0:
            self.reopenings = 1
            fields = self.clock(at, self.level)
            self.log(at, "reopened", Stage.HANDLE,
                     note=_("Reopened after a dissatisfied rating."),
                     changes={**fields, "reopenings": 1, "closed_at": None, "closed_level": "", "rating": None})
        else:
            self.escalate(at, actor=None, reopen=True,
                          reason=_("Dissatisfied again after reopening."))
        self.work()
        self.evaluate()

    # the life as it stands at NOW
    def settle(self) -> None:
        """Order the steps, chain their stages, drop what lies after NOW and compute the case's state."""
        self.steps.sort(key=lambda s: s.at)
        stage = ""
        kept = []
        for step in self.steps:
            if step.at > NOW:
                break
            step.data = {**step.data}
            step.changes = {**step.changes}
            from_stage, stage = stage, step.target or stage
            step.data["_from"], step.data["_to"] = from_stage, stage
            kept.append(step)
        self.steps = kept
        state: dict[str, Any] = {"stage": Stage.COLLECT}
        for step in kept:
            state.update(step.changes)
            state["stage"] = step.data["_to"]
        state["updated_at"] = kept[-1].at
        self.state = state

    def deadline_at(self, warning: Step) -> datetime.datetime:
        """The deadline in force when a warning went out (the last clock started before it)."""
        deadline = self.spec.reported_at
        for step in self.steps:
            if step.at > warning.at:
                break
            deadline = step.changes.get("deadline", deadline)
        return deadline

    def closed_within(self, first: datetime.date, last: datetime.date) -> bool:
        closed_at = self.state.get("closed_at")
        return (self.state["stage"] in (Stage.CLOSED, Stage.EVALUATED) and closed_at is not None
                and first <= timezone.localtime(closed_at).date() <= last)


def ceil5(moment: datetime.datetime) -> datetime.datetime:
    """The first tick (every five minutes) at or after `moment`."""
    base = moment.replace(second=0, microsecond=0)
    if base != moment:
        base += datetime.timedelta(minutes=1)
    return base + datetime.timedelta(minutes=-base.minute % 5)


def midpoint(start: datetime.datetime, end: datetime.datetime, share: float) -> datetime.datetime:
    return start + (end - start) * share


# --- the world the cases happen in -----------------------------------------------------------

class World:
    """Places, demo logins and organisations the lives refer to."""

    def __init__(self, ctx: DemoContext, rng: random.Random) -> None:
        self.ctx, self.rng = ctx, rng
        self.fake = ctx.faker("cases")
        self.tree = Tree()
        self.categories = {c.code: c for c in Category.objects.all()}
        nodes = self.tree.nodes
        self.xintiandi = nodes[ctx.business_communities[XINTIANDI].pk]
        hedong = ctx.communities["河东社区"]
        self.hedong = nodes[hedong.pk]
        self.chaohui = nodes[ctx.streets["朝晖"].pk]
        roles = {r.user.username: r for r in RoleAssignment.objects.select_related("user", "scope")}
        self.users = {name: r.user_id for name, r in roles.items()}
        self.scopes = {name: nodes.get(r.scope_id) for name, r in roles.items()}
        # users told when a case reaches a place: roles held exactly there that handle cases
        self.handlers_at: dict[int, list[int]] = {}
        for role in roles.values():
            if role_permits(role.role, "case.handle"):
                self.handlers_at.setdefault(role.scope_id, []).append(role.user_id)
        kinds = {PlaceKind.ESTATE: OrganisationKind.PROPERTY_COMPANY,
                 PlaceKind.COMMUNITY: OrganisationKind.RESIDENTS_COMMITTEE,
                 PlaceKind.STREET: OrganisationKind.THREE_PARTY_OFFICE,
                 PlaceKind.DISTRICT: OrganisationKind.THREE_PARTY_OFFICE,
                 PlaceKind.BUSINESS_COMMUNITY: OrganisationKind.BUILDING_COMMITTEE}
        self.organisation_at: dict[int, int] = {}
        self.organisation_name: dict[int, str] = {}
        for pk, place_id, kind, name, place_kind in Organisation.objects.filter(kind__in=set(kinds.values())).values_list(
                "pk", "place_id", "kind", "name", "place__kind").order_by("pk"):
            if kinds.get(place_kind) == kind and place_id not in self.organisation_at:
                self.organisation_at[place_id] = pk
                self.organisation_name[place_id] = name

    def user_within(self, name: str, node: Node) -> int | None:
        scope = self.scopes.get(name)
        return self.users[name] if scope is not None and node.path.startswith(scope.path) else None

    def clerk(self, place: Node) -> int | None:
        """Who accepts and dispatches: the demo's community worker or street staff where they work."""
        return self.user_within("community", place) or self.user_within("street", place)

    def verifier(self, place: Node) -> int | None:
        return self.clerk(place)

    def handler(self, handling: Node) -> int | None:
        """Who handles at the handling place, where a demo login works there."""
        if handling.pk == self.chaohui.pk:
            return self.users.get("street")
        if handling.kind == PlaceKind.DISTRICT:
            return self.users.get("district")
        return (self.user_within("property", handling) or self.user_within("grid", handling)
                or self.user_within("commissioner", handling))

    def parties(self, life: Life) -> list[str]:
        fake = self.fake
        if life.spec.place.kind == PlaceKind.OFFICE_BUILDING or life.spec.place.pk == self.xintiandi.pk:
            first, second = fake.company(), fake.company()
            if life.spec.category.code == "property-fee-dispute":
                second = f"{life.spec.place.name}物业服务中心"
            return [first, second]
        first = f"{fake.name()}（{life.spec.place.name}）"
        if life.spec.category.code == "property-fee-dispute":
            estate = next((n for n in reversed(self.tree.chain(life.spec.place)) if n.kind == PlaceKind.ESTATE), None)
            return [first, self.organisation_name.get(estate.pk, "物业服务中心") if estate else "物业服务中心"]
        return [first, f"{fake.name()}（邻居）"]

    def venue(self, handling: Node) -> str:
        community = next((n for n in reversed(self.tree.chain(handling))
                          if n.kind in (PlaceKind.COMMUNITY, PlaceKind.BUSINESS_COMMUNITY, PlaceKind.STREET)), handling)
        return f"{community.name}人民调解室"

    def describe(self, code: str, place: Node) -> str:
        label = place.name
        if place.kind == PlaceKind.BUILDING:
            label = f"{self.tree.nodes[place.parent_id].name}{place.name}"
        return self.rng.choice(DESCRIPTIONS[code]).format(place=label, n=self.rng.randint(2, 9))

    def answers(self, code: str) -> dict[str, Any]:
        rng = self.rng
        return {
            "lift-broken": lambda: {"lift_number": f"{rng.randint(1, 3)}号梯", "people_trapped": rng.random() < 0.1},
            "water-leak": lambda: {"leak_source": rng.choice(["楼上住户", "屋顶", "外墙", "公共管道", "不清楚"])},
            "noise-dispute": lambda: {"noise_time": rng.choice(["白天", "夜间", "夜间", "全天"])},
            "enterprise-parking": lambda: {"spaces_needed": str(rng.randint(2, 30))},
            "enterprise-talent": lambda: {"positions": str(rng.randint(2, 40))},
            "enterprise-financing": lambda: {"amount_wan": str(rng.choice([50, 100, 200, 500, 1000]))},
            "illegal-structure": lambda: {"under_construction": rng.random() < 0.6},
        }.get(code, dict)()

    def phone(self) -> str:
        return f"1{self.rng.choice('3456789')}{self.rng.randrange(10**9):09d}"

    def spec(self, code: str, place: Node, reported_at: datetime.datetime, **overrides: Any) -> Spec:
        """A reported matter with a channel and contact fitting its category."""
        rng = self.rng
        category = self.categories[code]
        if code == "early-warning":
            channel = Channel.COCKPIT
        elif code == "resolution-follow-up":
            channel = Channel.MEETING
        elif code == "courier-council-item":
            channel = Channel.STAFF
        else:
            channel = rng.choices([Channel.PHONE, Channel.OPEN311, Channel.STAFF], weights=[45, 15, 40])[0]
        fields: dict[str, Any] = {}
        if channel in (Channel.PHONE, Channel.OPEN311):
            fields = {"contact_name": self.fake.name(), "contact_phone": self.phone()}
        elif channel == Channel.STAFF:
            fields = {"recorded_by": self.user_within("grid", place) or self.user_within("commissioner", place)}
        outcome = "normal"
        if channel in (Channel.PHONE, Channel.OPEN311) and rng.random() < P_REJECTED:
            outcome = "reject"
        waiting = round(rng.uniform(2, 8), 2) if rng.random() < P_WAITING else 0.0
        spec = Spec(category=category, place=place, reported_at=reported_at, channel=channel, waiting=waiting,
                    description=self.describe(code, place), answers=self.answers(code), outcome=outcome, **fields)
        for name, value in overrides.items():
            setattr(spec, name, value)
        return spec


# --- when and where --------------------------------------------------------------------------

HOUR_WEIGHTS = [1, 1, 1, 1, 1, 2, 4, 8, 14, 16, 16, 14, 10, 12, 14, 14, 13, 11, 9, 8, 7, 5, 3, 2]


def moment(rng: random.Random, first: datetime.date, last: datetime.date) -> datetime.datetime:
    """A reporting time in [first, last], busier in office hours, quieter at weekends; never after NOW."""
    while True:
        day = first + datetime.timedelta(days=rng.randint(0, (last - first).days))
        if day.weekday() >= 5 and rng.random() < 0.4:
            continue
        hour = rng.choices(range(24), weights=HOUR_WEIGHTS)[0]
        at = datetime.datetime.combine(day, datetime.time(hour, rng.randrange(60), rng.randrange(60)), TZ)
        if at < NOW:
            return at


def places_for(world: World, code: str) -> tuple[list[Node], list[int]]:
    """Where cases of this category happen (outside Xintiandi, which has its own year), with weights."""
    tree, ctx, outside = world.tree, world.ctx, world.xintiandi
    if code in RESIDENTIAL:
        pool = tree.of_kind(PlaceKind.BUILDING, PlaceKind.ESTATE, outside=outside)
        if code in ("enquiry", "complaint"):
            pool += tree.of_kind(PlaceKind.COMMUNITY)
    elif code == "street-cleaning":
        pool = tree.of_kind(PlaceKind.COMMUNITY) + tree.of_kind(PlaceKind.STREET)
    elif code.startswith("enterprise") or code == "policy-enquiry":
        pool = tree.of_kind(PlaceKind.OFFICE_BUILDING, PlaceKind.BUSINESS_COMMUNITY, outside=outside)
    elif code == "courier-council-item":
        estate = tree.nodes[ctx.estates["吴家墩新人公寓"].pk]
        pool = tree.of_kind(PlaceKind.FACILITY) * 3 + tree.of_kind(PlaceKind.BUILDING, PlaceKind.ESTATE, under=estate)
    elif code == "early-warning":
        pool = tree.of_kind(PlaceKind.STREET) * 3 + tree.of_kind(PlaceKind.COMMUNITY) + tree.of_kind(
            PlaceKind.BUSINESS_COMMUNITY, outside=outside)
    else:  # meeting resolutions
        pool = tree.of_kind(PlaceKind.ESTATE, PlaceKind.COMMUNITY)
    pool.sort(key=lambda n: n.path)
    weights = [HEDONG_WEIGHT if n.path.startswith(world.hedong.path) else 1 for n in pool]
    return pool, weights


def located(world: World, spec: Spec) -> dict[str, Any]:
    place = spec.place
    rng = world.rng
    if place.latitude is None:
        return {"latitude": None, "longitude": None, "address": place.name}
    return {"latitude": place.latitude + Decimal(f"{rng.uniform(-0.0004, 0.0004):.6f}"),
            "longitude": place.longitude + Decimal(f"{rng.uniform(-0.0004, 0.0004):.6f}"),
            "address": place.name if place.kind != PlaceKind.BUILDING
            else f"{world.tree.nodes[place.parent_id].name}{place.name}"}


# --- the year --------------------------------------------------------------------------------

def district_year(world: World) -> list[Life]:
    rng = world.rng
    lives = []
    for code, count in CATEGORY_MIX.items():
        pool, weights = places_for(world, code)
        for place in rng.choices(pool, weights=weights, k=count):
            lives.append(Life(world, rng, world.spec(code, place, moment(rng, *YEAR))).live())
    return lives


def until(make: Callable[[], Life], wanted: Callable[[Life], bool]) -> Life:
    """Live cases until one ends as `wanted` (deterministic: the same draws every time)."""
    while True:
        life = make()
        life.settle()
        if wanted(life):
            return life


def xintiandi_year(world: World) -> list[Life]:
    """Xintiandi from its start: exactly 286 disputes and 123 enterprise needs closed in its first year,
    plus what is not counted (rejected ones, ones still open or closed after it, other matters)."""
    rng, tree = world.rng, world.tree
    first, last = XINTIANDI_FIRST_YEAR
    offices = tree.of_kind(PlaceKind.OFFICE_BUILDING, under=world.xintiandi)
    places = offices + [world.xintiandi] * 4
    disputes = ["property-fee-dispute"] * 35 + ["neighbour-dispute"] * 40 + ["noise-dispute"] * 25
    needs = ["enterprise-parking"] * 35 + ["enterprise-talent"] * 25 + ["enterprise-financing"] * 10 + [
        "policy-enquiry"] * 30
    enterprise_user = world.users.get("enterprise")
    first_office = tree.nodes[world.ctx.office_buildings[0].pk]

    def make(codes: list[str], start: datetime.date, end: datetime.date, place: Node | None = None,
             **overrides: Any) -> Callable[[], Life]:
        return lambda: Life(world, rng, world.spec(rng.choice(codes), place or rng.choice(places),
                                                   moment(rng, start, end), **{"outcome": "normal", **overrides})).live()

    def counted(life: Life) -> bool:
        return life.closed_within(first, last)

    early = last - datetime.timedelta(days=12)
    lives = [until(make(disputes, first, early), counted) for _ in range(XINTIANDI_DISPUTES_RESOLVED)]
    lives += [until(make(needs, first, early), counted) for _ in range(XINTIANDI_NEEDS_MET - 3)]
    # three of the needs were reported by the demo's enterprise login, through the web
    lives += [until(make(needs, first, early, place=first_office, reporter=enterprise_user, channel=Channel.WEB,
                         contact_name="", contact_phone="", recorded_by=enterprise_user), counted) for _ in range(3)]
    lives += [until(make(disputes + needs, first, last, outcome="reject"), lambda life: True) for _ in range(12)]
    lives += [until(make(disputes + needs, early, last), lambda life: not counted(life)) for _ in range(8)]
    after = last + datetime.timedelta(days=1)
    lives += [until(make(disputes, after, YEAR[1]), lambda life: True) for _ in range(30)]
    lives += [until(make(needs, after, YEAR[1]), lambda life: True) for _ in range(15)]
    others = ["lift-broken", "water-leak", "fire-lane-blocked", "exposed-rubbish", "enquiry", "complaint"]
    lives += [until(make(others, first, YEAR[1]), lambda life: True) for _ in range(80)]
    # one open parking request of the enterprise login, reported this morning
    lives.append(until(make(["enterprise-parking"], YEAR[1], YEAR[1], place=first_office, reporter=enterprise_user,
                            channel=Channel.WEB, contact_name="", contact_phone="", recorded_by=enterprise_user),
                       lambda life: life.state["stage"] in (Stage.COLLECT, Stage.CREATE, Stage.DISPATCH,
                                                            Stage.HANDLE)))
    return lives


def owner_cases(world: World) -> list[Life]:
    """The demo owner's own matters at 浙工新村: a few closed and rated, one closed waiting for a rating
    (to try the revisit), one reported this morning."""
    rng, tree = world.rng, world.tree
    owner = world.users.get("owner")
    person = world.ctx.people.get("zhegong_owner")
    if owner is None or person is None:
        return []
    flat_path = person.ownerships.values_list("flat__path", flat=True).first()
    building = tree.nodes[ancestor_ids(flat_path)[4]]
    plans = [("water-leak", datetime.date(2022, 11, 7), 1.0), ("lift-broken", datetime.date(2023, 3, 14), 1.0),
             ("exposed-rubbish", datetime.date(2023, 6, 2), 1.0), ("water-leak", datetime.date(2023, 8, 28), 0.0),
             ("noise-dispute", datetime.date(2023, 8, 31), 0.0)]
    lives = []
    for code, day, rate in plans:
        at = datetime.datetime.combine(day, datetime.time(9, rng.randrange(60)), TZ)
        spec = world.spec(code, building, at, reporter=owner, recorded_by=owner, channel=Channel.WEB, contact_name="",
                          contact_phone="", outcome="normal", rate=rate, on_time=True)
        lives.append(Life(world, rng, spec).live())
    return lives


def hedong_inbox(world: World) -> list[Life]:
    """The last days in 河东社区, where the demo's community worker, grid worker and property manager work:
    matters at every stage, two accepted cases waiting for a caller's details, one just reported."""
    rng, tree = world.rng, world.tree
    pool = tree.of_kind(PlaceKind.BUILDING, PlaceKind.ESTATE, under=world.hedong)
    pool.sort(key=lambda n: n.path)
    codes = ["exposed-rubbish", "lift-broken", "water-leak", "noise-dispute", "fire-lane-blocked", "complaint"]
    last_days = (YEAR[1] - datetime.timedelta(days=3), YEAR[1])
    specs = [world.spec(rng.choice(codes), rng.choice(pool), moment(rng, *last_days), outcome="normal")
             for _ in range(10)]
    morning = datetime.datetime.combine(YEAR[1], datetime.time(9, 10), TZ)
    specs += [world.spec(code, rng.choice(pool), morning + datetime.timedelta(minutes=20 * i), outcome="normal",
                         waiting=8.0) for i, code in enumerate(("enquiry", "illegal-structure"))]
    specs.append(world.spec("exposed-rubbish", rng.choice(pool), NOW - datetime.timedelta(minutes=12),
                            outcome="normal"))
    return [Life(world, rng, spec).live() for spec in specs]


def duplicates(world: World, lives: list[Life]) -> list[Life]:
    """Repeat reports of the same matter, merged into the first one while it was open."""
    rng = world.rng
    made = []
    for main in lives:
        if (main.spec.category.code not in DUPLICATED or main.spec.outcome != "normal" or main.spec.reporter
                or rng.random() >= P_DUPLICATE):
            continue
        closing = min(next((s.at for s in main.steps if s.action == "closed"), NOW), NOW)
        opened = main.spec.reported_at
        if closing - opened < datetime.timedelta(hours=2):
            continue
        merged_at = midpoint(opened, closing, rng.uniform(0.5, 0.9))
        reported = midpoint(opened, merged_at, rng.uniform(0.2, 0.8))
        spec = world.spec(main.spec.category.code, main.spec.place, reported, outcome="duplicate")
        spec.description = main.spec.description
        dup = Life(world, rng, spec)
        dup.merged_into = main
        clerk = world.clerk(spec.place)
        dup.log(reported, "reported", Stage.COLLECT, actor=spec.recorded_by,
                data={"channel": spec.channel, "possible_duplicates": [NumberOf(main)]})
        dup.log(merged_at, "merged", Stage.MERGED, actor=clerk, data={"into": NumberOf(main)})
        main.log(merged_at, "merged_in", actor=clerk, data={"from": NumberOf(dup)})
        made.append(dup)
    return made


# --- writing it down -------------------------------------------------------------------------

@contextmanager
def remembered_calendar() -> Any:
    """Working days cannot change during the build: ask the calendar once per day, not once per deadline."""
    original = working_calendar.is_workday
    working_calendar.is_workday = functools.lru_cache(maxsize=None)(original)
    try:
        yield
    finally:
        working_calendar.is_workday = original


@contextmanager
def own_timestamps(*models: type) -> Any:
    """Let bulk inserts keep the created/updated times we give them (the past, not now)."""
    fields = [f for model in models for f in model._meta.concrete_fields
              if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)]
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


CASE_FIELDS = ("level", "handling_place_id", "handler_id", "dispatched_at", "deadline", "warned_at", "is_overdue",
               "escalations", "reopenings", "closed_at", "closed_level", "rating")
DEFAULTS = {"level": "", "is_overdue": False, "escalations": 0, "reopenings": 0, "closed_level": ""}


def case_row(world: World, life: Life, index: int) -> Case:
    spec, state = life.spec, life.state
    values = {name: state.get(name, DEFAULTS.get(name)) for name in CASE_FIELDS}
    if life.merged_into is not None:
        values.update(_merged_closure(life))
    return Case(
        number=f"SX{timezone.localtime(spec.reported_at):%Y%m%d}{NUMBER_MARK}{index}", category=spec.category,
        description=spec.description, answers=spec.answers, place_id=spec.place.pk, channel=spec.channel,
        reporter_id=spec.reporter, recorded_by_id=spec.recorded_by, contact_name=spec.contact_name,
        contact_phone=spec.contact_phone, stage=state["stage"],
        merged_into_id=life.merged_into.pk if life.merged_into else None,
        created_at=spec.reported_at, updated_at=state["updated_at"], **located(world, spec), **values,
    )


def _merged_closure(dup: Life) -> dict[str, Any]:
    """A merged case takes the closure of the case it was merged into (as case_verify does)."""
    merged_at = dup.steps[-1].at if dup.steps else NOW
    closes = [s for s in dup.merged_into.steps if s.action == "closed" and s.at >= merged_at]
    if not closes:
        return {}
    return {"closed_at": closes[-1].at, "closed_level": closes[-1].changes["closed_level"]}


def resolve(data: dict) -> dict:
    def value(item: Any) -> Any:
        if isinstance(item, NumberOf):
            return item.life.number
        if isinstance(item, list):
            return [value(i) for i in item]
        return item

    return {k: value(v) for k, v in data.items() if not k.startswith("_")}


def insert_cases(world: World, lives: list[Life], dups: list[Life]) -> None:
    index = 0
    with own_timestamps(Case):
        for group in (lives, dups):
            rows = []
            for life in group:
                index += 1
                rows.append(case_row(world, life, index))
            for life, row in zip(group, Case.objects.bulk_create(rows, batch_size=500), strict=True):
                life.pk = row.pk
                life.number = f"SX{timezone.localtime(life.spec.reported_at):%Y%m%d}{row.pk:06d}"
    # the same number case_report gives: the reporting day and the id
    Case.objects.filter(number__contains=NUMBER_MARK).update(number=Concat(
        Substr("number", 1, 10), LPad(Cast("pk", CharField()), 6, Value("0")), output_field=CharField()))
    CaseEvent.objects.bulk_create([
        CaseEvent(case_id=life.pk, at=step.at, actor_id=step.actor, action=step.action,
                  from_stage=step.data["_from"], to_stage=step.data["_to"], note=step.note, data=resolve(step.data))
        for life in [*lives, *dups] for step in life.steps if step.action
    ], batch_size=1000)


def insert_mediations(lives: list[Life]) -> int:
    kept = [life for life in lives if life.mediation and life.mediation["opened"] <= NOW]
    rows = []
    for life in kept:
        m = life.mediation
        concluded = [(at, text) for at, text in m["concluded"] if at <= NOW]
        rows.append(Mediation(
            case_id=life.pk, parties=m["parties"], mediator_id=m["mediator"],
            outcome=MediationOutcome.AGREEMENT if concluded else MediationOutcome.PENDING,
            agreement_text=concluded[-1][1] if concluded else "", concluded_at=concluded[-1][0] if concluded else None,
            created_at=m["opened"], updated_at=concluded[-1][0] if concluded else m["opened"]))
    with own_timestamps(Mediation, MediationSession):
        created = Mediation.objects.bulk_create(rows, batch_size=500)
        MediationSession.objects.bulk_create([
            MediationSession(mediation_id=mediation.pk, held_on=timezone.localtime(at).date(), venue=venue,
                             attendees=attendees, summary=summary, created_at=at, updated_at=at)
            for life, mediation in zip(kept, created, strict=True)
            for at, venue, attendees, summary in life.mediation["sessions"] if at <= NOW
        ], batch_size=500)
    return len(created)


def insert_notifications(world: World, lives: list[Life]) -> int:
    """What the services would have told the demo logins: assignments, warnings, escalations, closures."""
    rows: dict[tuple, Notification] = {}
    for life in lives:
        handling = None
        for step in life.steps:
            handling = step.changes.get("handling_place_id", handling)
            kind, users, message = None, [], ""
            if step.action in ("dispatched", "escalated", "reopened"):
                kind = {"dispatched": NotificationKind.ASSIGNED, "escalated": NotificationKind.ESCALATED,
                        "reopened": NotificationKind.REOPENED}[step.action]
                users = world.handlers_at.get(handling, [])
                message = {
                    "dispatched": _("New case %(number)s: %(category)s, due %(deadline)s") % {
                        "number": life.number, "category": life.spec.category,
                        "deadline": f"{timezone.localtime(step.changes['deadline']):%Y-%m-%d %H:%M}"},
                    "escalated": _("Case %(number)s was escalated to you: %(reason)s") % {
                        "number": life.number, "reason": step.note},
                    "reopened": _("Case %(number)s was reopened after a dissatisfied rating.") % {"number": life.number},
                }[step.action]
            elif step.action == "" and "warned_at" in step.changes:
                kind, users = NotificationKind.DEADLINE, world.handlers_at.get(handling, [])
                message = _("Case %(number)s is due at %(deadline)s.") % {
                    "number": life.number, "deadline": f"{timezone.localtime(life.deadline_at(step)):%Y-%m-%d %H:%M}"}
            elif step.action == "closed" and life.spec.reporter:
                kind, users = NotificationKind.CLOSED, [life.spec.reporter]
                message = _("Case %(number)s is closed. Please rate how it was handled.") % {"number": life.number}
            for user in users:
                key = (user, life.pk, kind, step.at) if kind != NotificationKind.DEADLINE else (user, life.pk, kind)
                rows.setdefault(key, Notification(
                    user_id=user, case_id=life.pk, kind=kind, message=message[:300], created_at=step.at,
                    read_at=step.at + datetime.timedelta(hours=20) if step.at < NOW - datetime.timedelta(days=3)
                    else None))
    with own_timestamps(Notification):
        Notification.objects.bulk_create(list(rows.values()), batch_size=500)
    return len(rows)


def build_demo_data(ctx: DemoContext) -> None:
    """The demo step of the case engine (found by commonground/demo/builder.py)."""
    category_seed()
    rng = ctx.rng("cases")
    world = World(ctx, rng)
    with remembered_calendar():
        lives = district_year(world) + owner_cases(world) + hedong_inbox(world)
        dups = duplicates(world, lives)
        for life in [*lives, *dups]:
            life.settle()
        lives += xintiandi_year(world)  # settled as they were chosen
    lives.sort(key=lambda life: life.spec.reported_at)
    dups.sort(key=lambda life: life.spec.reported_at)
    insert_cases(world, lives, dups)
    mediations = insert_mediations(lives)
    notifications = insert_notifications(world, lives)
    setting_set(key=FIRST_YEAR_SETTING, value={
        "place": world.xintiandi.code, "name": XINTIANDI, "from": XINTIANDI_FIRST_YEAR[0].isoformat(),
        "to": XINTIANDI_FIRST_YEAR[1].isoformat()})
    name, key = DEMO_API_CLIENT
    ApiClient.objects.create(name=name, api_key=key)
    ctx.add_count("cases", len(lives) + len(dups))
    ctx.add_count("mediations", mediations)
    ctx.add_count("notifications", notifications)
