"""The policies part of the business demo step: the district's 楼宇服务二十条 (twenty articles over the five
dimensions, most with eligibility rules over the ledger), issued and published in March 2023; the matching run and
the notices to the eligible firms; a few hundred applications with their outcomes; and the demo login `enterprise`
as the contact of a firm of 新天地1号楼 that qualifies for several articles and has filed two demands.

Everything goes through the services at its own time (clock.frozen_at): policy_package_create/_publish,
policy_create, policy_notify (which bulk-inserts its notices itself), policy_application_create/_decide and
enterprise_demand_file. Nothing is bulk-inserted here beyond what those services do.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError

from commonground.cases.models import Category
from commonground.core.clock import frozen_at
from commonground.core.models import User

from ..models import Enterprise, EnterpriseContact, EnterpriseStatus, Policy
from ..policies_selectors import eligible_enterprises, eligible_policies
from ..services.policies import (
    enterprise_demand_file,
    policy_application_create,
    policy_application_decide,
    policy_create,
    policy_notify,
    policy_package_create,
    policy_package_publish,
)

if TYPE_CHECKING:
    from commonground.demo.context import DemoContext

TZ = ZoneInfo("Asia/Shanghai")
XINTIANDI = "新天地商务社区"
ISSUED = datetime.date(2023, 3, 10)
PUBLISHED_AT = datetime.datetime(2023, 3, 15, 10, 0, tzinfo=TZ)
NOTIFIED_AT = datetime.datetime(2023, 3, 20, 9, 30, tzinfo=TZ)
YEAR_END = datetime.date(2023, 12, 31)
APPLICATIONS = 320


def _articles(xintiandi_code: str) -> list[dict[str, Any]]:
    """The twenty articles: (dimension, title, benefit, amount, window, rules)."""
    def r(field: str, op: str, value: Any) -> dict[str, Any]:
        return {"field": field, "op": op, "value": value}

    spring = (datetime.date(2023, 3, 15), datetime.date(2023, 6, 30))
    year = (datetime.date(2023, 3, 15), YEAR_END)
    rows = [
        ("party", "楼宇党群服务中心共享", "楼宇党群服务中心会议室、活动室、职工书屋向楼宇企业免费开放预约。", None, year, []),
        ("party", "非公企业党组织工作经费补助", "建立党组织的企业每年给予党建工作经费补助2万元。", 20000, year,
         [r("headcount", "ge", 50)]),
        ("party", "“红色楼宇”共建单位奖励", "参与红色楼宇共建并考核优秀的重点企业，授牌并奖励1万元。", 10000, year,
         [r("tier", "eq", "key")]),
        ("party", "楼宇党员先锋岗培训", "为企业党员、骨干免费提供每年两期先锋岗培训。", None, spring,
         [r("headcount", "ge", 10)]),
        ("economy", "总部企业落户奖励", "经认定的总部企业，按上年度区级财政贡献给予最高500万元落户奖励。", 5000000, year,
         [r("registered_capital", "ge", 50000000), r("last_year_tax", "ge", 5000000)]),
        ("economy", "数字经济企业房租补贴", "软件和信息技术服务企业入驻三年内，按实际租金30%给予补贴，最高50万元。",
         500000, year, [r("industry", "prefix", ["I64", "I65"]), r("age_years", "le", 3)]),
        ("economy", "纳税贡献奖励", "上年度纳税100万元以上的企业，按区级留成增量部分的10%给予奖励。", None, year,
         [r("last_year_tax", "ge", 1000000)]),
        ("economy", "新引进企业开办补助", "当年新注册落户楼宇的企业给予一次性开办补助5万元。", 50000, year,
         [r("age_years", "le", 0), r("registered_capital", "ge", 1000000)]),
        ("economy", "规上企业培育奖励", "首次纳入规模以上统计的楼宇企业奖励10万元。", 100000, spring,
         [r("headcount", "ge", 50), r("last_year_tax", "ge", 500000)]),
        ("economy", "银企对接融资贴息", "通过银企对接获得贷款的小微企业，按贷款利息的50%给予贴息，最高20万元。",
         200000, year, [r("registered_capital", "le", 10000000), r("age_years", "ge", 1)]),
        ("economy", "企业上市培育补助", "进入上市辅导期的楼宇企业给予100万元上市培育补助。", 1000000, year,
         [r("registered_capital", "ge", 30000000), r("industry", "prefix", ["I", "J", "M"])]),
        ("livelihood", "人才公寓优先配租", "为楼宇企业引进的高层次人才优先配租人才公寓，租金给予减免。", None, year,
         [r("headcount", "ge", 20)]),
        ("livelihood", "重点企业员工子女入学服务", "重点企业员工子女就近入学由街道协调办理。", None, year,
         [r("tier", "eq", "key")]),
        ("livelihood", "楼宇午餐与托育服务", "楼宇食堂、“小候鸟”托育点向楼宇员工开放，享受优惠价格。", None, year, []),
        ("livelihood", "高校毕业生就业见习补贴", "吸纳高校毕业生见习的企业，按每人每月2000元给予见习补贴。", 2000, year,
         [r("age_years", "ge", 1), r("headcount", "ge", 5)]),
        ("city", "新天地楼宇错时共享停车", "新天地商务社区企业员工可错时共享周边公共停车位，月卡半价。", None, year,
         [r("business_community", "eq", xintiandi_code)]),
        ("city", "垃圾分类示范楼宇奖励", "垃圾分类考核优秀的楼宇企业给予每年1万元奖励。", 10000, year,
         [r("headcount", "ge", 100)]),
        ("city", "楼宇周边环境提升", "楼宇外立面、公共空间微更新项目由街道统一实施，企业可提出需求。", None, year, []),
        ("governance", "楼宇矛盾纠纷调解服务", "楼宇“共享法庭”和调解工作室为企业提供劳动、租赁纠纷免费调解。", None, year,
         []),
        ("governance", "安全生产标准化奖励", "通过安全生产标准化评审的企业一次性奖励3万元。", 30000, year,
         [r("headcount", "ge", 100)]),
    ]
    return [{"dimension": d, "title": t, "benefit": b, "amount": Decimal(a) if a is not None else None,
             "opens_on": w[0], "closes_on": w[1], "rules": rules} for d, t, b, a, w, rules in rows]


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, 0, tzinfo=TZ)


def build(ctx: DemoContext) -> None:
    rng = ctx.rng("business-policies")
    admin = User.objects.get(username="district")
    xintiandi = ctx.business_communities[XINTIANDI]
    with frozen_at(PUBLISHED_AT):
        package = policy_package_create(actor=admin, place=ctx.district, name="楼宇服务二十条",
                                        issuer_text="拱墅区商务局、区委两新工委", issued_on=ISSUED)
        policies = [policy_create(actor=admin, package=package, number=number, summary=article["benefit"], **article)
                    for number, article in enumerate(_articles(xintiandi.code), start=1)]
        policy_package_publish(actor=admin, package=package)
    ctx.add_count("policies", len(policies))
    with frozen_at(NOTIFIED_AT):
        ctx.add_count("policy notices", sum(policy_notify(actor=admin, policy=policy)
                                           for policy in policies if policy.rules))
    ctx.add_count("policy applications", _applications(rng, admin, policies))
    _demo_contact(ctx, rng)


def _applications(rng: random.Random, admin: User, policies: list[Policy]) -> int:
    """Applications spread over the targeted articles, each on a day inside its window; those older than a month
    decided (mostly approved, money articles with their amount)."""
    targeted = [policy for policy in policies if policy.rules]
    candidates: list[tuple[Policy, int, datetime.date]] = []
    for policy in targeted:
        firms = list(eligible_enterprises(admin, policy).values_list("pk", "registered_on")[:400])
        candidates += [(policy, pk, registered_on) for pk, registered_on in rng.sample(firms, min(len(firms), 30))]
    rng.shuffle(candidates)
    chosen = candidates[:APPLICATIONS]
    demo_today = datetime.date(2023, 8, 31)
    made = 0
    for policy, pk, registered_on in sorted(chosen, key=lambda row: (row[0].pk, row[1])):
        first = max(NOTIFIED_AT.date(), registered_on) + datetime.timedelta(days=1)
        last = min(policy.closes_on or demo_today, demo_today - datetime.timedelta(days=1))
        if last < first:
            continue
        applied_on = first + datetime.timedelta(days=rng.randint(0, (last - first).days))
        try:
            with frozen_at(_at(applied_on, 10)):
                application = policy_application_create(actor=admin, enterprise=Enterprise(pk=pk), policy=policy,
                                                        note="企业线上申报")
        except ValidationError:  # not yet eligible on that day (too young, say): the firm did not apply
            continue
        made += 1
        decided_on = applied_on + datetime.timedelta(days=rng.randint(10, 30))
        if decided_on >= demo_today:
            continue
        with frozen_at(_at(decided_on, 15)):
            if rng.random() < 0.82:
                amount = policy.amount if policy.amount and policy.amount <= 1000000 else None
                policy_application_decide(actor=admin, application=application, status="approved",
                                          granted_amount=amount, note="经审核符合条件")
            else:
                policy_application_decide(actor=admin, application=application, status="rejected",
                                          note="申报材料不全，请补充后重新咨询")
    return made


def _demo_contact(ctx: DemoContext, rng: random.Random) -> None:
    """The login `enterprise` becomes the main contact of the firm of 新天地1号楼 that qualifies for the most
    articles, which files two demands in August."""
    user = User.objects.get(username="enterprise")
    building = ctx.office_buildings[0]
    today = datetime.date(2023, 8, 31)
    with frozen_at(_at(today, 9)):
        firms = list(Enterprise.objects.filter(building=building, status=EnterpriseStatus.ACTIVE)
                     .order_by("-registered_capital", "pk")[:15])
        admin = User.objects.get(username="district")
        scored = [(sum(verdict.eligible for _policy, verdict in eligible_policies(admin, firm)), firm)
                  for firm in firms]
    count, firm = max(scored, key=lambda row: (row[0], -row[1].pk))
    contact = (EnterpriseContact.objects.filter(enterprise=firm).order_by("-is_primary", "pk").first()
               or EnterpriseContact.objects.create(enterprise=firm, name="企业联系人", is_primary=True))
    EnterpriseContact.objects.filter(pk=contact.pk).update(user=user)
    demands = [
        (datetime.date(2023, 8, 14), "enterprise-talent", "公司今年计划新招聘8名软件开发工程师，希望对接区人才市场和高校"
                                                           "招聘渠道，并了解人才公寓申请条件。", {"positions": "8"}),
        (datetime.date(2023, 8, 28), "enterprise-parking", "员工增加后地下车库车位紧张，希望协调新增5个月租车位或周边错时"
                                                            "共享车位。", {"spaces_needed": "5"}),
    ]
    for day, code, text, answers in demands:
        with frozen_at(_at(day, 11)):
            enterprise_demand_file(actor=user, enterprise=firm, category=Category.objects.get(code=code),
                                   description=text, answers=answers)
    ctx.add_count("enterprise demands filed", len(demands))
    ctx.add_count("policies the demo enterprise qualifies for", count)
