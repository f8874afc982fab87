"""The jobs part of the demo: the June 2023 job fair for couriers' families at 吴家墩小哥党群之家 (over 300
positions across the district's employers' postings), the visitors who said at the fair's desk they were
interested, some postings filled since, and a few postings open now (the demo's today is 2023-08-31) — one by the
enterprise at 新天地1号楼 — with interest from the demo resident.

Everything through the services at its own time on the one clock: the fair is an activity created, given its
session and published by activity_create/session_add/activity_publish; its postings come in as the organiser's
spreadsheet would, through postings_import (which bulk-inserts the rows it checked); the interests through
interest_express. Deterministic from ctx.rng("programs.jobs").
"""

from __future__ import annotations

import datetime
import zoneinfo
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Q

from commonground.core import clock
from commonground.core.models import Organisation, OrganisationKind, Person, Place, PlaceKind, User
from commonground.core.validators import credit_code_check_char

from ..models import ActivityKind, Audience, JobPosting, PostingAudience
from ..services.activities import activity_create, activity_publish, session_add
from ..services.jobs import interest_express, posting_close, posting_create, posting_publish, postings_import

if TYPE_CHECKING:
    import random

    from commonground.demo.context import DemoContext

ZONE = zoneinfo.ZoneInfo("Asia/Shanghai")
FAIR_DAY = datetime.date(2023, 6, 17)
HOME_SUFFIX = "小哥党群之家"
CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"

# (employer, [(title, positions, pay_min, pay_max, requirements, audience)]) — 小哥家属: couriers' families
FAIR_EMPLOYERS: list[tuple[str, list[tuple[str, int, int, int, str, str]]]] = [
    ("杭州运河物流有限公司", [
        ("快件分拣员", 28, 4800, 6500, "身体健康，能适应早晚班；小哥家属优先", "小哥家属"),
        ("仓库理货员", 12, 4500, 5800, "会使用手持终端，细心负责", "小哥家属"),
        ("客服专员", 6, 4200, 5500, "普通话标准，会基本电脑操作", "不限")]),
    ("浙江拱宸供应链管理有限公司", [
        ("叉车司机", 8, 6000, 8000, "持叉车证，两年以上经验", "新就业群体"),
        ("仓储打包员", 18, 4300, 5600, "手脚麻利，可兼职", "小哥家属")]),
    ("杭州康桥仓储服务有限公司", [
        ("夜班装卸工", 15, 5500, 7500, "45岁以下，能吃苦耐劳", "新就业群体"),
        ("仓管文员", 4, 4200, 5200, "高中以上学历，熟悉表格", "小哥家属")]),
    ("杭州云仓电子商务有限公司", [
        ("电商客服", 14, 4000, 6000, "打字每分钟40字以上，可居家办公", "小哥家属"),
        ("直播助理", 5, 4500, 7000, "形象端正，有带货经验优先", "不限"),
        ("商品质检员", 8, 4300, 5300, "视力良好，做事认真", "小哥家属")]),
    ("杭州运河人家餐饮有限公司", [
        ("中餐服务员", 16, 4200, 5200, "包吃，做六休一", "小哥家属"),
        ("厨房帮厨", 8, 4500, 5500, "有健康证，能适应早班", "小哥家属"),
        ("门店收银员", 5, 4000, 4800, "会使用收银系统", "不限")]),
    ("杭州新天地餐饮管理有限公司", [
        ("西点学徒", 6, 3800, 5000, "零基础可学，包教包会", "小哥家属"),
        ("咖啡师", 4, 4500, 6000, "有经验者优先", "不限"),
        ("外卖打包员", 10, 4000, 5000, "中午和晚上高峰时段，可兼职", "小哥家属")]),
    ("杭州拱墅物业服务有限公司", [
        ("小区保洁员", 24, 3600, 4300, "60岁以下，身体健康，就近安排", "小哥家属"),
        ("秩序维护员", 12, 4200, 5200, "退伍军人优先，能上夜班", "新就业群体"),
        ("水电维修工", 5, 5500, 7500, "持电工证", "不限")]),
    ("浙江康城物业管理有限公司", [
        ("楼宇管家", 6, 4800, 6200, "大专以上学历，服务意识强", "不限"),
        ("绿化养护工", 6, 3800, 4600, "有园林养护经验优先", "小哥家属"),
        ("停车场收费员", 4, 3800, 4500, "会使用智能手机", "小哥家属")]),
    ("杭州新天地商业管理有限公司", [
        ("商场导购", 17, 4200, 6500, "底薪加提成，形象良好", "小哥家属"),
        ("商场保洁", 10, 3800, 4500, "做六休一，包工作餐", "小哥家属"),
        ("活动策划助理", 3, 5000, 7000, "大专以上，熟悉新媒体", "不限")]),
    ("杭州万家福超市有限公司新天地店", [
        ("理货员", 18, 4000, 5200, "能适应轮班", "小哥家属"),
        ("生鲜加工员", 8, 4500, 5800, "有健康证，能早起", "小哥家属"),
        ("超市收银员", 6, 3900, 4800, "做事细心，会找零对账", "不限")]),
    ("杭州安心家政服务有限公司", [
        ("育婴员", 8, 6000, 9000, "持育婴员证，有带娃经验", "小哥家属"),
        ("养老护理员", 10, 5000, 7000, "公司提供免费培训与持证", "小哥家属")]),
    ("杭州康桥颐养中心", [
        ("护理员", 9, 5000, 6500, "包住宿，提供岗前培训", "小哥家属"),
        ("助餐员", 4, 3800, 4500, "爱心耐心，会简单烹饪", "小哥家属")]),
]

# Postings open now (2023-08-31): (day published, employer, title, positions, pay, requirements, audience)
OPEN_NOW = [
    (datetime.date(2023, 8, 18), "杭州运河物流有限公司", "中秋国庆旺季临时分拣员", 30, (5000, 7000),
     "9月15日至10月8日，日结可选，小哥家属优先", PostingAudience.COURIER_FAMILIES),
    (datetime.date(2023, 8, 22), "杭州安心家政服务有限公司", "家政服务员（可兼职）", 6, (4500, 6500),
     "接受零基础，免费培训，时间灵活可接送孩子", PostingAudience.COURIER_FAMILIES),
    (datetime.date(2023, 8, 25), "杭州康桥仓储服务有限公司", "新能源货车司机", 5, (7000, 9500),
     "C1及以上驾照，熟悉拱墅区道路，网约车、外卖骑手转岗优先", PostingAudience.NEW_EMPLOYMENT),
    (datetime.date(2023, 8, 29), "杭州拱墅物业服务有限公司", "吴家墩新人公寓保洁员", 3, (3800, 4500),
     "就近上班，早8点至下午4点", PostingAudience.COURIER_FAMILIES),
]


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=ZONE)


def _credit_code(rng: random.Random) -> str:
    first17 = "91330105" + "".join(rng.choice(CODE_CHARS) for _ in range(9))
    return first17 + credit_code_check_char(first17)


def _fair_rows(rng: random.Random) -> list[dict[str, str]]:
    """The organiser's spreadsheet of the fair's postings, as postings_import reads it."""
    rows = []
    for employer, jobs in FAIR_EMPLOYERS:
        code = _credit_code(rng) if rng.random() < 0.8 else ""
        for title, positions, low, high, requirements, audience in jobs:
            rows.append({"_row": len(rows) + 2, "employer_name": employer, "employer_credit_code": code,
                         "title": title, "positions": str(positions), "pay_min": str(low), "pay_max": str(high),
                         "requirements": requirements, "work_location": "拱墅区康桥街道及周边",
                         "audience": audience, "closes_on": "2023-07-15"})
    return rows


def _people(street: Place, limit: int) -> list[Person]:
    """Adults living in the street (household members), else anywhere in the district, in a stable order."""
    adults = Person.objects.filter(Q(birth_date__isnull=True) | Q(birth_date__lte=datetime.date(2005, 6, 1)))
    people = list(adults.filter(households__flat__path__startswith=street.path).distinct().order_by("pk")[:limit])
    return people or list(adults.order_by("pk")[:limit])


def build(ctx: DemoContext) -> None:
    rng = ctx.rng("programs.jobs")
    # The couriers' home the core demo builds (demo/names.py COURIERS_HOME; an app imports nothing of the demo).
    home = Place.objects.filter(kind=PlaceKind.FACILITY, name__endswith=HOME_SUFFIX).order_by("path").first()
    users = {u.username: u for u in User.objects.filter(username__in=("district", "enterprise", "owner"))}
    if home is None or "district" not in users:
        return
    office = users["district"]
    community = Place.objects.get(pk=home.parent_id)
    organiser = (Organisation.objects.filter(kind=OrganisationKind.COURIERS_COUNCIL, place__path__startswith=community.path)
                 .order_by("pk").first()
                 or Organisation.objects.filter(kind=OrganisationKind.RESIDENTS_COMMITTEE, place=community)
                 .order_by("pk").first())
    if organiser is None:
        return

    with clock.frozen_at(_at(datetime.date(2023, 6, 1), 10)):
        fair = activity_create(
            actor=office, place=home, organiser=organiser, kind=ActivityKind.JOB_FAIR,
            title="“小哥家属就业服务”专场招聘会", audience=Audience.NEW_EMPLOYMENT, capacity=400,
            allow_walk_ins=True, signup_opens_at=_at(datetime.date(2023, 6, 1), 10),
            signup_closes_at=_at(FAIR_DAY, 9),
            description="康桥街道联合辖区物流、餐饮、物业、商贸企业，为快递小哥家属提供家门口的就业岗位。"
                        "现场提供岗位咨询、简历指导和技能培训报名。")
        session_add(actor=office, activity=fair, starts_at=_at(FAIR_DAY, 9), ends_at=_at(FAIR_DAY, 12),
                    venue=f"{home.name}一楼活动大厅")
        fair = activity_publish(actor=office, activity=fair)
    with clock.frozen_at(_at(datetime.date(2023, 6, 12), 15)):
        postings = postings_import(actor=office, fair=fair, rows=_fair_rows(rng))

    # Visitors at the fair's desk, recorded by the organiser.
    people = _people(community.parent, 48)
    with clock.frozen_at(_at(FAIR_DAY, 10, 30)):
        for person in people:
            for posting in rng.sample(postings, k=rng.choice((1, 1, 2))):
                interest_express(actor=office, posting=posting, person=person, phone_consent=rng.random() < 0.7)
    # Some positions were filled within weeks.
    with clock.frozen_at(_at(datetime.date(2023, 7, 20), 17)):
        for posting in rng.sample(postings, k=8):
            posting_close(actor=office, posting=posting)

    opened: list[JobPosting] = []
    for day, employer, title, positions, (low, high), requirements, audience in OPEN_NOW:
        with clock.frozen_at(_at(day, 10)):
            posting = posting_create(
                actor=office, place=home, title=title, employer_name=employer, positions=positions,
                pay_min=Decimal(low), pay_max=Decimal(high), requirements=requirements,
                work_location="拱墅区康桥街道", audience=audience, closes_on=datetime.date(2023, 9, 30))
            opened.append(posting_publish(actor=office, posting=posting))
    enterprise = users.get("enterprise")
    if enterprise is not None and ctx.office_buildings:
        building = ctx.office_buildings[0]
        for day, title, positions, pay, requirements in (
                (datetime.date(2023, 8, 21), "行政前台", 2, (5000, 6500), "大专以上学历，形象气质佳，熟练使用办公软件"),
                (datetime.date(2023, 8, 28), "客户经理", 3, (6000, 12000), "有销售经验，沟通能力强，底薪加提成")):
            with clock.frozen_at(_at(day, 14)):
                posting = posting_create(
                    actor=enterprise, place=building, title=title, employer_name="杭州新天地数字科技有限公司",
                    employer_credit_code=_credit_code(rng), employer_place=building, positions=positions,
                    pay_min=Decimal(pay[0]), pay_max=Decimal(pay[1]), requirements=requirements,
                    work_location=building.name, work_place=building, audience=PostingAudience.EVERYONE,
                    closes_on=datetime.date(2023, 9, 30))
                opened.append(posting_publish(actor=enterprise, posting=posting))
    resident = users.get("owner")
    if resident is not None and resident.person_id:
        with clock.frozen_at(_at(datetime.date(2023, 8, 30), 20)):
            interest_express(actor=resident, posting=opened[1], note="孩子上学后白天有空", phone_consent=True)
            interest_express(actor=resident, posting=opened[-1], phone_consent=False)
    ctx.add_count("job_postings", len(postings) + len(opened))
