"""The seed category tree: what residents, enterprises and staff report, with time limits from
RULES.md §4 (working hours; a working day counts as 8 hours here: enquiries 3 days = 24 h,
complaints 13 days = 104 h). `commonground seed_categories` and the demo load it; the admin edits it.

A category's code is its Open311 service_code. `handler_kind` is an OrganisationKind value or,
for matters handled by a government department, the department's name.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from commonground.core.models import OrganisationKind

from .models import CaseKind, Level, QuestionType, ReporterKind


@dataclass(frozen=True)
class QuestionSeed:
    key: str
    label: str
    type: str = QuestionType.TEXT
    required: bool = False
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class CategorySeed:
    code: str
    name: str
    name_en: str
    sla_hours: Decimal
    default_level: str = Level.COMMUNITY
    kind: str = CaseKind.EVENT
    is_dispute: bool = False
    handler_kind: str = ""
    open_to: tuple[str, ...] = ()
    keywords: str = ""
    questions: tuple[QuestionSeed, ...] = ()
    children: tuple[CategorySeed, ...] = field(default_factory=tuple)


R, E, S, P = ReporterKind.RESIDENT, ReporterKind.ENTERPRISE, ReporterKind.STAFF, ReporterKind.PUBLIC
RESIDENTS = (R, S, P)
EVERYONE = (R, E, S, P)
ENTERPRISES = (E, S)
STAFF_ONLY = (S,)
K = OrganisationKind

ENTERPRISE = "enterprise"  # parent of the enterprise demands (a "need met" is one of them, closed)

CATEGORY_SEED: tuple[CategorySeed, ...] = (
    CategorySeed(
        "environment", "环境卫生", "Environment and sanitation", Decimal(8), Level.ESTATE, handler_kind="环卫所",
        open_to=RESIDENTS, keywords="垃圾 保洁 卫生", children=(
            CategorySeed("exposed-rubbish", "暴露垃圾", "Exposed rubbish", Decimal(4), Level.ESTATE, CaseKind.COMPONENT,
                         handler_kind=K.PROPERTY_COMPANY, open_to=RESIDENTS, keywords="垃圾 垃圾桶 满溢"),
            CategorySeed("street-cleaning", "道路保洁", "Street cleaning", Decimal(2), Level.COMMUNITY,
                         handler_kind="环卫所", open_to=RESIDENTS, keywords="道路 保洁 落叶 积水"),
        )),
    CategorySeed(
        "neighbourhood", "邻里关系", "Neighbourhood", Decimal(40), Level.BUILDING,
        handler_kind=K.RESIDENTS_COMMITTEE, open_to=(R, E, S), keywords="邻里", children=(
            CategorySeed("noise-dispute", "噪音纠纷", "Noise dispute", Decimal(40), Level.BUILDING, is_dispute=True,
                         handler_kind=K.RESIDENTS_COMMITTEE, open_to=(R, E, S), keywords="噪音 装修 扰民",
                         questions=(QuestionSeed("noise_time", "噪音时段", QuestionType.CHOICE,
                                                 choices=("白天", "夜间", "全天")),)),
            CategorySeed("neighbour-dispute", "邻里纠纷", "Neighbour dispute", Decimal(80), Level.BUILDING,
                         is_dispute=True, handler_kind=K.RESIDENTS_COMMITTEE, open_to=(R, E, S),
                         keywords="邻里 漏水 占用 纠纷"),
        )),
    CategorySeed(
        "property-service", "物业服务", "Property service", Decimal(16), Level.ESTATE,
        handler_kind=K.PROPERTY_COMPANY, open_to=(R, E, S), keywords="物业", children=(
            CategorySeed("lift-broken", "电梯故障", "Lift out of order", Decimal(8), Level.BUILDING, CaseKind.COMPONENT,
                         handler_kind=K.PROPERTY_COMPANY, open_to=(R, E, S, P), keywords="电梯 困人 停运",
                         questions=(QuestionSeed("lift_number", "电梯编号", required=True),
                                    QuestionSeed("people_trapped", "是否有人被困", QuestionType.BOOLEAN, required=True))),
            CategorySeed("water-leak", "漏水渗水", "Water leak", Decimal(16), Level.BUILDING, CaseKind.COMPONENT,
                         handler_kind=K.PROPERTY_COMPANY, open_to=(R, E, S, P), keywords="漏水 渗水 水管",
                         questions=(QuestionSeed("leak_source", "漏水来源", QuestionType.CHOICE,
                                                 choices=("楼上住户", "屋顶", "外墙", "公共管道", "不清楚")),)),
            CategorySeed("property-fee-dispute", "物业费纠纷", "Property fee dispute", Decimal(80), Level.ESTATE,
                         is_dispute=True, handler_kind=K.THREE_PARTY_OFFICE, open_to=(R, E, S),
                         keywords="物业费 收费 欠费"),
            # resident ↔ owners' committee ↔ property company: the community's three-party office first, then
            # the street's, then the district's (the ladder hands it to the office at each level)
            CategorySeed("three-party-dispute", "三方纠纷", "Three-party dispute", Decimal(80), Level.COMMUNITY,
                         is_dispute=True, handler_kind=K.THREE_PARTY_OFFICE, open_to=(R, S),
                         keywords="业委会 物业公司 三方 矛盾 维修基金 选聘"),
            # opened by coordination when a property-service evaluation round closes with a low score
            CategorySeed("property-supervision", "物业服务监督", "Property-service supervision", Decimal(80),
                         Level.COMMUNITY, handler_kind=K.THREE_PARTY_OFFICE, open_to=STAFF_ONLY,
                         keywords="物业 满意度 评价 监督"),
        )),
    CategorySeed(
        ENTERPRISE, "企业诉求", "Enterprise demands", Decimal(40), Level.BUILDING, handler_kind="商务社区服务站",
        open_to=ENTERPRISES, keywords="企业 诉求", children=(
            CategorySeed("enterprise-parking", "停车需求", "Parking", Decimal(40), Level.ESTATE,
                         handler_kind=K.BUILDING_COMMITTEE, open_to=ENTERPRISES, keywords="停车 车位",
                         questions=(QuestionSeed("spaces_needed", "需要车位数", QuestionType.NUMBER, required=True),)),
            CategorySeed("enterprise-talent", "人才服务", "Talent", Decimal(40), Level.COMMUNITY,
                         handler_kind="区人力社保局", open_to=ENTERPRISES, keywords="人才 招聘 落户 公寓",
                         questions=(QuestionSeed("positions", "招聘岗位数", QuestionType.NUMBER),)),
            CategorySeed("enterprise-financing", "融资需求", "Financing", Decimal(80), Level.STREET,
                         handler_kind="区金融服务中心", open_to=ENTERPRISES, keywords="融资 贷款",
                         questions=(QuestionSeed("amount_wan", "融资金额（万元）", QuestionType.NUMBER),)),
            CategorySeed("policy-enquiry", "政策咨询", "Policy enquiry", Decimal(24), Level.BUILDING,
                         handler_kind="商务社区服务站", open_to=ENTERPRISES, keywords="政策 补贴 申报"),
            CategorySeed("enterprise-registration", "登记注册", "Registration", Decimal(40), Level.COMMUNITY,
                         handler_kind="区市场监管局", open_to=ENTERPRISES, keywords="注册 登记 变更 迁入 地址"),
            CategorySeed("enterprise-property", "物业需求", "Property needs", Decimal(40), Level.ESTATE,
                         handler_kind=K.PROPERTY_COMPANY, open_to=ENTERPRISES, keywords="物业 租赁 空调 保洁 办公"),
            # opened by business's retention warnings (安商稳商) when a firm's risk score reaches the threshold
            CategorySeed("enterprise-retention", "安商稳商走访", "Retention visit", Decimal(40), Level.BUILDING,
                         handler_kind="商务社区服务站", open_to=STAFF_ONLY, keywords="安商稳商 走访 外迁 风险"),
        )),
    CategorySeed(
        "safety", "安全隐患", "Safety hazards", Decimal(8), Level.COMMUNITY, handler_kind="综合行政执法队",
        open_to=EVERYONE, keywords="安全 隐患", children=(
            CategorySeed("fire-lane-blocked", "消防通道堵塞", "Fire lane blocked", Decimal(8), Level.ESTATE,
                         CaseKind.COMPONENT, handler_kind=K.PROPERTY_COMPANY, open_to=EVERYONE,
                         keywords="消防通道 堵塞 停车 杂物"),
            CategorySeed("illegal-structure", "违法建筑", "Illegal structure (stop work)", Decimal(4), Level.COMMUNITY,
                         handler_kind="综合行政执法队", open_to=EVERYONE, keywords="违建 搭建 加层",
                         questions=(QuestionSeed("under_construction", "是否正在施工", QuestionType.BOOLEAN),)),
        )),
    CategorySeed("enquiry", "咨询", "Enquiry", Decimal(24), Level.COMMUNITY, handler_kind=K.RESIDENTS_COMMITTEE,
                 open_to=EVERYONE, keywords="咨询 询问"),
    CategorySeed("complaint", "投诉", "Complaint", Decimal(104), Level.COMMUNITY, handler_kind=K.RESIDENTS_COMMITTEE,
                 open_to=EVERYONE, keywords="投诉 不满"),
    CategorySeed(
        "couriers", "新就业群体", "Couriers and new employment groups", Decimal(40), Level.COMMUNITY,
        handler_kind=K.COURIERS_COUNCIL, open_to=(R, S), keywords="快递 外卖 小哥", children=(
            CategorySeed("courier-council-item", "小哥治家会议事", "Couriers' council item", Decimal(40),
                         Level.COMMUNITY, handler_kind=K.COURIERS_COUNCIL, open_to=(R, S),
                         keywords="小哥 治家会 充电 停车"),
        )),
    CategorySeed(
        "cockpit", "驾驶舱预警", "Cockpit warnings", Decimal(8), Level.STREET, handler_kind=K.GOVERNMENT_DEPARTMENT,
        open_to=STAFF_ONLY, children=(
            CategorySeed("early-warning", "预警事件", "Early warning", Decimal(8), Level.STREET,
                         handler_kind=K.GOVERNMENT_DEPARTMENT, open_to=STAFF_ONLY, keywords="预警 人流 活力指数"),
        )),
    CategorySeed(
        "meeting", "议事决议", "Meeting resolutions", Decimal(80), Level.COMMUNITY,
        handler_kind=K.THREE_PARTY_OFFICE, open_to=STAFF_ONLY, children=(
            CategorySeed("resolution-follow-up", "决议跟进", "Resolution follow-up", Decimal(80), Level.COMMUNITY,
                         handler_kind=K.THREE_PARTY_OFFICE, open_to=STAFF_ONLY, keywords="议事会 决议 落实"),
        )),
)


def walk(seeds: tuple[CategorySeed, ...] = CATEGORY_SEED,
         parent: str | None = None) -> Iterator[tuple[str | None, CategorySeed]]:
    """(parent code, seed) for every category, each parent before its children."""
    for seed in seeds:
        yield parent, seed
        yield from walk(seed.children, seed.code)


def seed_by_code() -> dict[str, CategorySeed]:
    return {seed.code: seed for _parent, seed in walk()}
