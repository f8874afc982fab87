"""The demo's micro-governance fund: 拱墅区2023年小区微治理专项资金 (¥2,000,000) held by the district, with
projects of estates in several streets in every stage — completed and accepted by the residents, approved and
partly paid, waiting at each review level, returned, rejected, withdrawn, a draft.

Everything goes through the services on the one clock, each step at its date in 2023 (the demo's today is
2023-08-31). A project names the resolution that supports it: one of the deliberation demo's resolutions where
one fits (河东社区's 红茶议事会 resolved the chargers of 天水北苑 and the lights of 梅园南苑), otherwise a meeting
held at the estate through the meeting services. 河东社区's surveillance cameras wait for the `community` login's
review and 祥符公寓's drains for the `street` login's (朝晖街道), so both logins have work.
"""

from __future__ import annotations

import datetime
import io
import zoneinfo
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from commonground.core import clock
from commonground.core.models import Organisation, OrganisationKind, Place, User
from commonground.deliberation.models import MeetingKind, MeetingStatus, Resolution
from commonground.deliberation.services.meetings import (
    attendee_sign_in,
    meeting_create,
    meeting_publish_notice,
    meeting_record_minutes,
    resolution_add,
)

from ..models import FundStage
from ..services.fund import (
    disbursement_record,
    fund_create,
    fund_project_accept,
    fund_project_complete,
    fund_project_create,
    fund_project_review,
    fund_project_submit,
    fund_project_withdraw,
    project_photo_add,
)

if TYPE_CHECKING:
    from commonground.demo.context import DemoContext

TZ = zoneinfo.ZoneInfo("Asia/Shanghai")
D = datetime.date
FUND_NAME = "拱墅区2023年小区微治理专项资金"
MEETING_WALK_INS = (("王建国", "居民代表"), ("李秀英", "业主委员会"), ("陈志强", "物业服务企业"))


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=TZ)


@dataclass(frozen=True)
class Plan:
    estate: str  # an estate's name, or "<street>:<n>" for the street's n-th estate
    title: str
    description: str
    lines: tuple[tuple[str, str, str, str], ...]  # item, quantity, unit, unit price
    hint: str  # text of an existing resolution that supports it ("" : hold a meeting at the estate)
    resolution: str  # what the new meeting resolves, when no resolution fits
    stage: str  # where the project stands on the demo's today
    applied: datetime.date
    paid: tuple[tuple[datetime.date, str], ...] = ()  # payments (day, amount)
    note: str = ""  # the comment of a return or rejection


P = Plan
PLANS: tuple[Plan, ...] = (
    P("天水北苑|community:河东社区:1", "2幢非机动车棚充电设施", "在2幢北侧非机动车棚增设20个智能充电接口，解决电动自行车飞线充电隐患。",
      (("智能充电桩（10路）", "2", "台", "6800"), ("线路改造及漏电保护", "1", "项", "9600"), ("防火隔板", "12", "平方米", "260")),
      "天水北苑2幢北侧非机动车棚", "", FundStage.COMPLETED, D(2023, 2, 27), ((D(2023, 4, 20), "15000"), (D(2023, 5, 30), "11320"))),
    P("梅园南苑|community:河东社区:2", "楼道声控LED照明改造", "1幢、2幢共12个单元楼道照明改为声控LED灯。",
      (("声控LED吸顶灯", "96", "盏", "85"), ("线路整理及安装", "12", "单元", "420")),
      "梅园南苑1幢、2幢楼道照明", "", FundStage.COMPLETED, D(2023, 4, 24), ((D(2023, 6, 16), "13200"),)),
    P("桃源居东苑", "说事亭遮阳棚和座椅", "为小区说事亭加装遮阳棚、防腐木座椅和公示栏，方便居民议事。",
      (("钢结构遮阳棚", "1", "座", "16800"), ("防腐木座椅", "6", "张", "980"), ("不锈钢公示栏", "1", "块", "3200")),
      "", "说事亭加装遮阳棚和座椅，申请小区微治理专项资金。", FundStage.COMPLETED, D(2023, 3, 6),
      ((D(2023, 5, 12), "25880"),)),
    P("远洋公寓", "红茶议事会议事角改造", "3幢架空层党群议事角改造为红茶议事会固定场所：桌椅、投影、公示墙。",
      (("议事桌椅（套）", "1", "套", "8600"), ("投影及幕布", "1", "套", "5400"), ("公示墙及标识", "1", "项", "6200")),
      "", "3幢架空层议事角改造为红茶议事会固定场所，申请微治理资金。", FundStage.APPROVED, D(2023, 5, 22),
      ((D(2023, 7, 28), "10000"),)),
    P("远洋公寓", "1幢东侧电动车集中充电点", "在1幢东侧设置集中充电点24路，配套雨棚和监控。",
      (("智能充电桩（12路）", "2", "台", "7200"), ("雨棚", "36", "平方米", "320"), ("监控探头", "2", "个", "1100")),
      "1幢东侧设置集中充电点", "", FundStage.STREET_APPROVED, D(2023, 7, 3)),
    P("天水北苑|community:河东社区:1", "消防通道禁停标线和警示牌", "施划消防通道禁停标线，设置警示牌。",
      (("热熔标线", "420", "米", "28"), ("警示牌", "16", "块", "260")),
      "天水北苑消防通道施划禁停标线", "", FundStage.APPROVED, D(2023, 5, 29), ((D(2023, 7, 10), "8000"),)),
    P("梅园南苑|community:河东社区:2", "公共区域监控补盲", "非机动车棚和单元出入口加装监控探头4个，接入物业监控中心。",
      (("高清监控探头", "4", "个", "1150"), ("布线及接入", "1", "项", "2600")),
      "梅园南苑公共区域加装监控探头", "", FundStage.SUBMITTED, D(2023, 8, 28)),
    P("祥符公寓|community:河东社区:3", "地下车库排水设施改造", "地下车库集水井加装自动排水泵，疏通雨水管网。",
      (("自动排水泵", "2", "台", "5600"), ("管网疏通", "1", "项", "7800"), ("液位报警器", "2", "个", "900")),
      "祥符公寓、梅园南苑地下车库排水", "", FundStage.COMMUNITY_APPROVED, D(2023, 7, 12)),
    P("吴家墩新人公寓", "楼道扶手加装", "为老年人较多的6个单元加装楼道扶手。",
      (("不锈钢扶手", "180", "米", "210"),), "", "为6个老年人较多的单元加装楼道扶手。", FundStage.APPROVED,
      D(2023, 4, 10), ((D(2023, 6, 30), "20000"),)),
    P("桃源居东苑", "雨污分流改造", "小区雨污分流整体改造。",
      (("雨污分流管网改造", "1", "项", "380000"),), "", "申请资金开展小区雨污分流改造。", FundStage.REJECTED,
      D(2023, 6, 26), note="属于老旧小区综合改造项目，超出微治理资金支持范围，请向街道申报老旧小区改造。"),
    P("street:天水:1", "垃圾分类亭提升改造", "更换2处垃圾分类投放亭，加装洗手池和照明。",
      (("垃圾分类投放亭", "2", "座", "12800"), ("洗手池及给排水", "2", "套", "1900")),
      "", "更换垃圾分类投放亭，申请微治理资金。", FundStage.DRAFT, D(2023, 6, 5),
      note="请补充两家以上报价，并说明物业承担的日常维护责任。"),
    P("street:天水:2", "小区休闲座椅和健身器材更新", "更换破损座椅10张，新增健身器材4件。",
      (("户外座椅", "10", "张", "850"), ("健身器材", "4", "件", "3200")),
      "", "更新小区休闲座椅和健身器材。", FundStage.COMPLETED, D(2023, 3, 20), ((D(2023, 6, 2), "21300"),)),
    P("street:武林:1", "楼道党建微阵地建设", "在3个楼道设置党建微阵地和邻里公约墙。",
      (("楼道宣传墙", "3", "面", "2400"), ("邻里公约牌", "30", "块", "120")),
      "", "设置楼道党建微阵地和邻里公约墙。", FundStage.APPROVED, D(2023, 6, 14)),
    P("street:武林:2", "电动自行车充电桩", "新增充电接口30路，取缔飞线充电。",
      (("智能充电桩（10路）", "3", "台", "6800"), ("线路改造", "1", "项", "7500")),
      "", "新增电动自行车充电设施。", FundStage.STREET_APPROVED, D(2023, 7, 24)),
    P("street:和睦:1", "小区议事亭建设", "建设一座议事亭，供居民议事会、楼道长例会使用。",
      (("木结构议事亭", "1", "座", "42000"), ("地面铺装", "30", "平方米", "260")),
      "", "建设小区议事亭，申请微治理资金。", FundStage.COMMUNITY_APPROVED, D(2023, 8, 7)),
    P("street:和睦:2", "楼道灯改造", "老旧楼道灯更换为声控LED。",
      (("声控LED灯", "60", "盏", "85"),), "", "楼道灯更换为声控LED灯。", FundStage.WITHDRAWN, D(2023, 5, 8)),
    P("street:大关:1", "非机动车棚改造", "车棚顶棚更换，加装照明和充电接口。",
      (("彩钢顶棚更换", "120", "平方米", "180"), ("照明及充电接口", "1", "项", "16000")),
      "", "改造非机动车棚，申请微治理资金。", FundStage.SUBMITTED, D(2023, 8, 21)),
    P("street:大关:2", "小区监控门禁升级", "主出入口门禁升级为人脸识别，补装监控。",
      (("人脸识别门禁", "2", "套", "9800"), ("监控探头", "8", "个", "1100")),
      "", "升级小区门禁和监控。", FundStage.APPROVED, D(2023, 5, 15), ((D(2023, 7, 21), "12000"),)),
)
ORDER = [FundStage.DRAFT, FundStage.SUBMITTED, FundStage.COMMUNITY_APPROVED, FundStage.STREET_APPROVED,
         FundStage.APPROVED, FundStage.COMPLETED]


def png(colour: tuple[int, int, int]) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(buffer, format="PNG")
    return SimpleUploadedFile("photo.png", buffer.getvalue(), content_type="image/png")


def receipt() -> SimpleUploadedFile:
    return SimpleUploadedFile("receipt.pdf", b"%PDF-1.4\n% demo receipt\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
                              content_type="application/pdf")


class Builder:
    def __init__(self, ctx: DemoContext) -> None:
        self.ctx = ctx
        self.users = {u.username: u for u in User.objects.filter(
            username__in=("district", "street", "community", "committee"))}
        self.district = self.users["district"]

    def estate(self, ref: str) -> Place:
        """The first of `ref`'s "|"-separated choices that exists: an estate's name, "community:<name>:<n>" or
        "street:<short name>:<n>" (the n-th estate there in path order, 浙工新村 and its renewal left aside)."""
        for choice in ref.split("|"):
            if ":" not in choice:
                if choice in self.ctx.estates:
                    return self.ctx.estates[choice]
                continue
            kind, name, n = choice.split(":")
            path = (self.ctx.communities[name] if kind == "community" else self.ctx.streets[name]).path
            inside = sorted((e for e in self.ctx.estates.values()
                             if e.path.startswith(path) and e.name != "浙工新村"), key=lambda e: e.path)
            if len(inside) >= int(n):
                return inside[int(n) - 1]
        raise LookupError(ref)

    def in_hedong(self, estate: Place) -> bool:
        return estate.parent_id == self.ctx.communities["河东社区"].pk

    def in_chaohui(self, estate: Place) -> bool:
        return estate.path.startswith(self.ctx.streets["朝晖"].path)

    def applicant(self, estate: Place) -> User:
        if estate.name == "远洋公寓":
            return self.users["committee"]
        return self.users["community"] if self.in_hedong(estate) else self.district

    def resolution(self, plan: Plan, estate: Place) -> Resolution:
        if plan.hint:
            found = (Resolution.objects.filter(meeting__status=MeetingStatus.HELD, text__contains=plan.hint,
                                               meeting__place_id__in=[estate.pk, estate.parent_id])
                     .order_by("pk").first())
            if found is not None:
                return found
        start = at(plan.applied - datetime.timedelta(days=10), 14)
        convener = Organisation.objects.filter(place_id=estate.parent_id,
                                               kind=OrganisationKind.RESIDENTS_COMMITTEE).order_by("pk").first()
        with clock.frozen_at(start - datetime.timedelta(days=7)):
            meeting = meeting_create(actor=self.district, place=estate, convener=convener, kind=MeetingKind.COUNCIL,
                                     title=f"居民议事会：{plan.title}", starts_at=start,
                                     ends_at=start + datetime.timedelta(hours=2), venue=f"{estate.name}议事点")
            meeting_publish_notice(actor=self.district, meeting=meeting)
        with clock.frozen_at(start):  # who came: a residents' representative, the committee, the property company
            for name, affiliation in MEETING_WALK_INS:
                attendee_sign_in(actor=self.district, meeting=meeting, name=name, affiliation=affiliation)
        with clock.frozen_at(start + datetime.timedelta(hours=2)):
            meeting_record_minutes(actor=self.district, meeting=meeting,
                                   minutes="居民代表、业委会、物业参加，讨论项目必要性、预算和实施方式，一致同意申报。")
            return resolution_add(actor=self.district, meeting=meeting,
                                  text=plan.resolution or plan.hint)

    def reviewer(self, level: str, estate: Place) -> User:
        if level == "community" and self.in_hedong(estate):
            return self.users["community"]
        if level == "street" and self.in_chaohui(estate):
            return self.users["street"]
        return self.district

    def build(self, plan: Plan) -> None:
        estate = self.estate(plan.estate)
        applicant = self.applicant(estate)
        day = plan.applied
        with clock.frozen_at(at(day, 9)):
            project = fund_project_create(
                actor=applicant, fund=self.fund, estate=estate, title=plan.title, description=plan.description,
                resolution=self.resolution(plan, estate),
                lines=[{"item": i, "quantity": q, "unit": u, "unit_price": p} for i, q, u, p in plan.lines])
            project_photo_add(actor=applicant, project=project, kind="before", image=png((150, 150, 150)),
                              caption="改造前现场")
        if plan.stage == FundStage.DRAFT and not plan.note:
            return
        with clock.frozen_at(at(day, 11)):
            project = fund_project_submit(actor=applicant, project=project)
        if plan.stage == FundStage.DRAFT:  # returned by the community with the comment
            with clock.frozen_at(at(day + datetime.timedelta(days=3), 15)):
                fund_project_review(actor=self.reviewer("community", estate), project=project, decision="return",
                                    comment=plan.note)
            return
        if plan.stage == FundStage.WITHDRAWN:
            with clock.frozen_at(at(day + datetime.timedelta(days=2), 16)):
                fund_project_withdraw(actor=applicant, project=project)
            return
        steps = [("community", 3), ("street", 8), ("fund_office", 15)]
        target = FundStage.STREET_APPROVED if plan.stage == FundStage.REJECTED else plan.stage
        for level, after in steps:
            if plan.stage == FundStage.REJECTED and level == "fund_office":
                with clock.frozen_at(at(day + datetime.timedelta(days=after), 10)):
                    fund_project_review(actor=self.district, project=project, decision="reject", comment=plan.note)
                return
            reached = {"community": FundStage.COMMUNITY_APPROVED, "street": FundStage.STREET_APPROVED,
                       "fund_office": FundStage.APPROVED}[level]
            if ORDER.index(target) < ORDER.index(reached):
                return
            with clock.frozen_at(at(day + datetime.timedelta(days=after), 10)):
                project = fund_project_review(actor=self.reviewer(level, estate), project=project, decision="approve",
                                              comment="材料齐全，同意。" if level != "fund_office" else "经区三方办审核，同意立项。")
        for paid_on, amount in plan.paid:
            with clock.frozen_at(at(paid_on, 15)):
                disbursement_record(actor=self.district, project=project, amount=Decimal(amount), paid_on=paid_on,
                                    receipt=receipt(), note="凭发票支付")
        if plan.stage == FundStage.COMPLETED:
            done = plan.paid[-1][0] if plan.paid else day + datetime.timedelta(days=60)
            with clock.frozen_at(at(done - datetime.timedelta(days=3), 16)):
                project_photo_add(actor=applicant, project=project, kind="after", image=png((60, 140, 90)),
                                  caption="完工后现场")
                project = fund_project_complete(actor=applicant, project=project)
            with clock.frozen_at(at(done + datetime.timedelta(days=2), 10)):
                fund_project_accept(actor=self.reviewer("community", estate), project=project, result="passed",
                                    note="居民代表现场验收，满意。")

    def run(self) -> int:
        with clock.frozen_at(at(D(2023, 1, 10))):
            self.fund = fund_create(actor=self.district, place=self.ctx.district, name=FUND_NAME, year=2023,
                                    total=Decimal("2000000"), opens_on=D(2023, 2, 1), closes_on=D(2023, 11, 30))
        for plan in PLANS:
            self.build(plan)
        return len(PLANS)


def build(ctx: DemoContext) -> None:
    """The district's 2023 fund and its projects, through the services at their dates."""
    ctx.add_count("fund_projects", Builder(ctx).run())
