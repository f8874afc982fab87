"""The visits part of the business demo step: about 100 building commissioners over the 17 business communities
(5–7 each; the demo login `commissioner` is one of 新天地's, assigned 新天地1号楼 and a few more), every office and
apartment building assigned to one of them, a month of visits (August 2023) at about their capacity, other
departments' visits (some planned in September), and at 汇金国际 the record the seed reports: 121 enterprise problems
collected in its commissioners' visits (2022-09..2023-08) and 155 small matters solved by its building council
三和楼事会.

Written through the services where the case engine is involved: every visit that raised a demand is recorded with
`visit_record` at its time (the cases get their numbers and time limits), and the council's matters go through the
case workflow (accepted, dispatched to the council, reported done, verified and closed) at their time. The plain
visits without demands (about 13,000) are bulk-inserted as the rows `visit_record` / `visit_record_other` write
(`visit_row`: the same scope columns), without their audit history.
"""

from __future__ import annotations

import datetime
import random
import zoneinfo
from typing import TYPE_CHECKING

from commonground.core import clock
from commonground.core.models import OrganisationKind, RoleAssignment, RoleKind, User
from commonground.core.services.accounts import role_assign
from commonground.core.services.organisations import organisation_create

from ..models import (
    Commissioner,
    CommissionerAssignment,
    Department,
    Enterprise,
    EnterpriseStatus,
    Visit,
    VisitStatus,
)
from ..services.commissioners import commissioner_appoint
from ..services.visits import visit_record, visit_row

if TYPE_CHECKING:
    from commonground.demo.context import DemoContext

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
XINTIANDI = "新天地商务社区"
HUIJIN = "汇金国际商务社区"
COUNCIL = "三和楼事会"
SINCE = datetime.date(2022, 7, 1)  # commissioners serve and hold their buildings from this day
AUGUST = (datetime.date(2023, 8, 1), datetime.date(2023, 8, 31))
HUIJIN_PROBLEMS = 121
HUIJIN_MATTERS = 155
BATCH = 2_000
TOPICS = ("经营情况、用工需求", "政策宣讲（楼宇服务二十条）", "租约与续租意向", "纳税与注册地", "人才与住房需求",
          "融资需求摸排", "安全生产检查提醒", "企业发展规划", "停车与物业服务", "新办企业入驻走访")
FEEDBACK = ("经营平稳，暂无诉求。", "对楼宇服务满意。", "希望多组织政策宣讲。", "关注人才公寓申请。", "反映物业响应较慢。", "")
DEMANDS = (("enterprise-parking", "员工停车位紧张，希望协调周边停车资源", {"spaces_needed": "10"}),
           ("enterprise-talent", "急需招聘软件开发人员，希望对接招聘会", {"positions": "8"}),
           ("enterprise-financing", "扩大经营需要流动资金贷款，希望对接银行", {"amount_wan": "300"}),
           ("policy-enquiry", "咨询楼宇服务二十条中租金补贴的申报条件", {}))
MATTERS = ("楼道照明损坏需维修", "电梯厅地面破损需修补", "公共区域垃圾清运不及时", "地下车库指示牌缺失",
           "消防通道被杂物占用", "大堂门禁故障", "楼顶渗水需处理", "卫生间水龙头漏水", "外摆占道需规范",
           "快递堆放影响通行", "空调外机噪音扰邻", "楼宇周边共享单车乱停")
OTHER = ((Department.TAX, "区税务局"), (Department.MARKET, "市场监管所"), (Department.POLICE, "派出所"),
         (Department.OTHER, "区消防救援大队"))
SURNAMES = "王李张刘陈杨黄赵周吴徐孙朱马胡郭林何高罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁沈任姚卢"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红"


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=SHANGHAI)


def _working_days(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    import chinese_calendar

    days, day = [], first
    while day <= last:
        if chinese_calendar.is_workday(day):
            days.append(day)
        day += datetime.timedelta(days=1)
    return days


def _street_staff(community) -> User:
    role = (RoleAssignment.objects.filter(role=RoleKind.STREET_STAFF, scope=community.parent_id)
            .select_related("user").order_by("pk").first())
    return role.user


def _commissioners(ctx: DemoContext, rng: random.Random) -> dict[int, list[Commissioner]]:
    """5–7 commissioners a business community (accounts opened as the cases demo opens its street accounts), and
    every building of it assigned to one of them."""
    login = User.objects.filter(username="commissioner").first()
    buildings_of: dict[int, list] = {}
    for building in [*ctx.office_buildings, *ctx.apartment_buildings]:
        buildings_of.setdefault(building.parent_id, []).append(building)
    result: dict[int, list[Commissioner]] = {}
    assignments = []
    number = 0
    for name, community in sorted(ctx.business_communities.items(), key=lambda item: item[1].path):
        staff = _street_staff(community)
        count = rng.randint(5, 7)
        people = []
        for index in range(count):
            if name == XINTIANDI and index == 0 and login is not None:
                user = login
            else:
                number += 1
                display = rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < .5 else "")
                with clock.frozen_at(_at(SINCE, 9)):
                    user = User(username=f"{community.code}-commissioner-{index + 1}", display_name=display,
                                date_joined=clock.now())
                    user.set_unusable_password()
                    user.save()
                    role_assign(user=user, role=RoleKind.BUILDING_COMMISSIONER, scope=community, valid_from=SINCE)
            with clock.frozen_at(_at(SINCE, 10)):
                people.append(commissioner_appoint(
                    actor=staff, user=user, business_community=community,
                    display_name=(user.display_name or user.username).split()[-1], daily_capacity=rng.choice((5, 6, 6, 7)),
                    phone=f"139{rng.randint(0, 99_999_999):08d}"))
        buildings = sorted(buildings_of.get(community.pk, []), key=lambda b: b.name)
        first_building = next((b for b in buildings if b.name == "新天地1号楼"), None)
        if first_building is not None:  # the demo login holds 新天地1号楼 and its neighbours
            buildings.remove(first_building)
            buildings.insert(0, first_building)
        share = -(-len(buildings) // len(people))
        for index, building in enumerate(buildings):
            assignments.append(CommissionerAssignment(commissioner=people[min(index // share, len(people) - 1)],
                                                      building=building, valid_from=SINCE))
        result[community.pk] = people
    CommissionerAssignment.objects.bulk_create(assignments, batch_size=BATCH)
    ctx.add_count("building commissioners", sum(len(p) for p in result.values()))
    return result


def _firms_by_commissioner(people: dict[int, list[Commissioner]]) -> dict[int, list[Enterprise]]:
    building_of = {a.building_id: a.commissioner_id for a in CommissionerAssignment.objects.all()}
    firms: dict[int, list[Enterprise]] = {}
    for enterprise in Enterprise.objects.filter(status=EnterpriseStatus.ACTIVE, building__isnull=False).only(
            "pk", "name", "building_id", "place_path", "street_path", "community_path").order_by("pk"):
        commissioner = building_of.get(enterprise.building_id)
        if commissioner is not None:
            firms.setdefault(commissioner, []).append(enterprise)
    return firms


def _demand_visit(commissioner: Commissioner, enterprise: Enterprise, day: datetime.date, rng: random.Random,
                  demands: list[tuple]) -> Visit:
    with clock.frozen_at(_at(day, rng.randint(9, 16), rng.choice((0, 15, 30, 45)))):
        return visit_record(actor=commissioner.user, enterprise=enterprise, visited_on=day,
                            topics=rng.choice(TOPICS), feedback=rng.choice(FEEDBACK[2:5]),
                            demands=[{"category_code": code, "description": text, "answers": answers}
                                     for code, text, answers in demands])


def build(ctx: DemoContext) -> None:
    rng = ctx.rng("business-visits")
    if not ctx.business_communities:
        return
    people = _commissioners(ctx, rng)
    firms = _firms_by_commissioner(people)
    august = _working_days(*AUGUST)
    huijin = ctx.business_communities.get(HUIJIN)
    huijin_ids = {c.pk for c in people.get(huijin.pk, [])} if huijin else set()
    rows: list[Visit] = []
    demand_visits = 0
    for commissioner in [c for group in people.values() for c in group]:
        pool = list(firms.get(commissioner.pk, []))
        if not pool:
            continue
        rng.shuffle(pool)
        cursor = 0
        for day in august:
            for _ in range(max(1, commissioner.daily_capacity - rng.randint(0, 1))):
                enterprise = pool[cursor % len(pool)]
                cursor += 1
                if commissioner.pk not in huijin_ids and rng.random() < 0.004:
                    _demand_visit(commissioner, enterprise, day, rng, [rng.choice(DEMANDS)])
                    demand_visits += 1
                    continue
                rows.append(visit_row(enterprise=enterprise, visited_on=day, department=Department.COMMISSIONER,
                                      status=VisitStatus.DONE, commissioner=commissioner,
                                      visitor_name=commissioner.display_name, topics=rng.choice(TOPICS),
                                      feedback=rng.choice(FEEDBACK), recorded_by=commissioner.user))
    # other departments: done in August, some planned in September
    everyone = [e for group in firms.values() for e in group]
    staff_of = {community.pk: _street_staff(community) for community in ctx.business_communities.values()}
    by_path = {community.path: community.pk for community in ctx.business_communities.values()}
    for enterprise in rng.sample(everyone, min(900, len(everyone))):
        department, office = rng.choice(OTHER)
        planned = rng.random() < 0.3
        day = (rng.choice(_working_days(datetime.date(2023, 9, 1), datetime.date(2023, 9, 28))) if planned
               else rng.choice(august))
        rows.append(visit_row(enterprise=enterprise, visited_on=day, department=department,
                              status=VisitStatus.PLANNED if planned else VisitStatus.DONE, commissioner=None,
                              visitor_name=office, topics=rng.choice(TOPICS[3:8]), feedback="",
                              recorded_by=staff_of[by_path[enterprise.community_path]]))
    Visit.objects.bulk_create(rows, batch_size=BATCH)
    if huijin is not None:
        demand_visits += _huijin(ctx, rng, huijin, people[huijin.pk], firms)
    ctx.add_count("enterprise visits", len(rows) + demand_visits)


def _huijin(ctx: DemoContext, rng: random.Random, huijin, people: list[Commissioner],
            firms: dict[int, list[Enterprise]]) -> int:
    """汇金国际: 121 problems collected in visits since September 2022, and 155 matters its building council solved."""
    from commonground.cases.models import Category, Channel, Level
    from commonground.cases.services.intake import Contact, case_report
    from commonground.cases.services.workflow import case_accept, case_dispatch, case_feedback, case_verify

    days = _working_days(datetime.date(2022, 9, 1), datetime.date(2023, 8, 25))
    problem_days = sorted(rng.sample(days, HUIJIN_PROBLEMS))
    for day in problem_days:
        commissioner = rng.choice([c for c in people if firms.get(c.pk)])
        _demand_visit(commissioner, rng.choice(firms[commissioner.pk]), day, rng, [rng.choice(DEMANDS)])
    staff = _street_staff(huijin)
    with clock.frozen_at(_at(datetime.date(2022, 8, 15), 10)):
        council = organisation_create(name=COUNCIL, kind=OrganisationKind.BUILDING_COMMITTEE, place=huijin,
                                      established_on=datetime.date(2022, 8, 15))
    ctx.organisations[COUNCIL] = council
    buildings = [b for b in ctx.office_buildings if b.parent_id == huijin.pk]
    matter = Category.objects.get(code="enterprise")
    for day in sorted(rng.choice(days) for _ in range(HUIJIN_MATTERS)):
        commissioner = rng.choice(people)
        building = rng.choice(buildings)
        with clock.frozen_at(_at(day, rng.randint(9, 11), rng.choice((0, 20, 40)))):
            case = case_report(actor=commissioner.user, category=matter, place=building, channel=Channel.STAFF,
                               description=f"{building.name}{rng.choice(MATTERS)}，提交楼事会协商解决",
                               contact=Contact(name=COUNCIL))
        with clock.frozen_at(_at(day, 13)):
            case = case_accept(case=case, actor=staff)
            case = case_dispatch(case=case, actor=staff, level=Level.COMMUNITY, handler=council)
        with clock.frozen_at(_at(day, 16)):
            case = case_feedback(case=case, actor=commissioner.user, note="楼事会协调物业与业主单位，已处理完毕。")
        with clock.frozen_at(_at(day, 17, 30)):
            case_verify(case=case, actor=staff, approved=True, note="已核实，办结。")
    return HUIJIN_PROBLEMS
