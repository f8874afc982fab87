"""The three-party offices' staff, the corridor branches' buildings (包楼连片), joint meetings (联席会议) and a few
three-party disputes that went up the ladder — all through the services, on the one clock.

Kept cheap: a director for every office, staff for the district office, the streets and the two communities the
demo shows (河东社区, 远洋公寓's); one coverage call per estate; two joint meetings; four disputes."""

from __future__ import annotations

import datetime
import zoneinfo
from collections import defaultdict
from typing import TYPE_CHECKING

from commonground.cases.models import Category, Channel
from commonground.cases.services.intake import case_report
from commonground.cases.services.workflow import case_accept, case_dispatch, case_escalate, case_note
from commonground.core.clock import frozen_at
from commonground.core.models import Organisation, OrganisationKind, Place, PlaceKind, User
from commonground.core.models.places import ancestor_ids
from commonground.deliberation.models import MeetingKind
from commonground.deliberation.services.meetings import (
    attendee_sign_in,
    meeting_create,
    meeting_publish_notice,
    meeting_record_minutes,
    resolution_add,
    resolution_open_case,
)

from ..models import OfficePosition
from ..services.network import estate_branch_coverage_set, office_staff_appoint

if TYPE_CHECKING:
    from commonground.demo.context import DemoContext

TZ = zoneinfo.ZoneInfo("Asia/Shanghai")
APPOINTED = datetime.datetime(2023, 1, 9, 10, 0, tzinfo=TZ)
COVERED = datetime.datetime(2023, 3, 1, 10, 0, tzinfo=TZ)
HEDONG = "河东社区"
YUANYANG = "远洋公寓"
P_NEIGHBOUR = 0.3  # a corridor branch also covers the next building of its estate


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=TZ)


def build(ctx: DemoContext) -> None:
    rng = ctx.rng("coordination-network")
    fake = ctx.faker("coordination-network")
    users = {u.username: u for u in User.objects.filter(username__in=["district", "community"])}
    admin = users["district"]
    hedong = ctx.communities[HEDONG]
    yuanyang = ctx.estates[YUANYANG]
    shown = {hedong.pk, yuanyang.parent_id}
    _staff(ctx, admin, fake, shown)
    _coverage(ctx, admin, rng)
    offices = {o.place_id: o for o in Organisation.objects.filter(
        kind=OrganisationKind.THREE_PARTY_OFFICE, place_id__in=shown)}
    category = Category.objects.get(code="three-party-dispute")
    follow_up = Category.objects.get(code="resolution-follow-up")
    hedong_estates = [e for e in ctx.estates.values() if e.parent_id == hedong.pk][:2]
    _disputes(users["community"], category, hedong_estates, escalate=(True, False))
    _disputes(admin, category, [yuanyang, yuanyang], escalate=(True, False), offset=2)
    _joint_meeting(users["community"], offices[hedong.pk], hedong, follow_up, datetime.date(2023, 6, 15))
    _joint_meeting(admin, offices[yuanyang.parent_id], Place.objects.get(pk=yuanyang.parent_id), follow_up,
                   datetime.date(2023, 4, 20), estate_name=YUANYANG)


def _staff(ctx: DemoContext, actor: User, fake, shown: set[int]) -> None:
    """A director everywhere; a deputy and a staff member at the district, a staff member at each street and at
    the communities the demo shows."""
    count = 0
    with frozen_at(APPOINTED):
        for office in Organisation.objects.filter(kind=OrganisationKind.THREE_PARTY_OFFICE).select_related(
                "place").order_by("place__path", "pk"):
            positions = [OfficePosition.DIRECTOR]
            if office.place.kind == PlaceKind.DISTRICT:
                positions += [OfficePosition.DEPUTY, OfficePosition.STAFF]
            elif office.place.kind == PlaceKind.STREET or office.place_id in shown:
                positions += [OfficePosition.STAFF]
            for position in positions:
                office_staff_appoint(actor=actor, office=office, position=position, name=fake.name(),
                                     phone=f"1{fake.random_element('3589')}{fake.random_number(9, fix_len=True)}",
                                     term_from=datetime.date(2023, 1, 9))
                count += 1
    ctx.add_count("three-party office staff", count)


def _coverage(ctx: DemoContext, actor: User, rng) -> None:
    """Each corridor branch covers its own building, now and then the next one too: one call per estate."""
    by_estate: dict[int, list[Organisation]] = defaultdict(list)
    for branch in Organisation.objects.filter(kind=OrganisationKind.PARTY_ORGANISATION,
                                              place__kind=PlaceKind.CORRIDOR).select_related("place").order_by(
            "place__path", "pk"):
        by_estate[ancestor_ids(branch.place.path)[3]].append(branch)
    with frozen_at(COVERED):
        for estate in ctx.estates.values():
            buildings = ctx.buildings.get(estate.pk, [])
            index = {building.pk: n for n, building in enumerate(buildings)}
            coverage = {}
            for branch in by_estate.get(estate.pk, []):
                n = index.get(branch.place.parent_id)
                if n is None:
                    continue
                chosen = [buildings[n]]
                if n + 1 < len(buildings) and rng.random() < P_NEIGHBOUR:
                    chosen.append(buildings[n + 1])
                coverage[branch] = chosen
            if coverage:
                estate_branch_coverage_set(actor=actor, estate=estate, coverage=coverage)


DISPUTES = (
    "业主反映物业公司擅自提高停车费，业委会与物业协商未果，请求三方办协调",
    "业委会拟动用维修基金更换电梯，部分业主与物业对方案有异议",
    "物业合同到期，业委会选聘新物业与原物业交接发生争议",
    "业主与物业就公共收益分配产生分歧，业委会请求调解",
)


def _disputes(actor: User, category: Category, estates: list[Place], *, escalate: tuple[bool, ...],
              offset: int = 0) -> None:
    """Three-party disputes reported late in August: each goes to the community office; some could not be settled there
    and went up to the street office."""
    for n, (estate, up) in enumerate(zip(estates, escalate, strict=True)):
        # late August: still within their time limits (and before the deadline warning) on the demo's today
        day = datetime.date(2023, 8, 24 + n)
        with frozen_at(at(day, 9, 30)):
            case = case_report(actor=actor, category=category, description=DISPUTES[(offset + n) % len(DISPUTES)],
                               place=estate, channel=Channel.STAFF)
        with frozen_at(at(day, 10, 0)):
            case = case_accept(case=case, actor=actor)
        with frozen_at(at(day, 10, 30)):
            case = case_dispatch(case=case, actor=actor)
        with frozen_at(at(day + datetime.timedelta(days=1), 15, 0)):
            case = case_note(case=case, actor=actor, note="三方办约谈业委会和物业，双方各执一词")
        if up:
            with frozen_at(at(datetime.date(2023, 8, 28), 11, 0)):
                case_escalate(case=case, actor=actor, reason="涉及街道层面协调物业企业，社区三方办无法解决")


def _joint_meeting(actor: User, office: Organisation, place: Place, follow_up: Category, day: datetime.date, *,
                   estate_name: str = "") -> None:
    """A joint meeting held by the community's three-party office: minutes, two resolutions, one opening a case."""
    subject = estate_name or place.name
    with frozen_at(at(day - datetime.timedelta(days=7), 9, 0)):
        meeting = meeting_create(
            actor=actor, place=place, convener=office, kind=MeetingKind.JOINT,
            title=f"{subject}三方联席会议", starts_at=at(day, 14, 0), ends_at=at(day, 16, 0),
            venue=f"{place.name}党群服务中心会议室",
            agenda=["物业服务问题通报", "停车管理方案协商", "下阶段三方协同工作安排"])
        meeting_publish_notice(actor=actor, meeting=meeting)
    with frozen_at(at(day, 13, 55)):  # the three parties at the table
        for name, affiliation in (("张海燕", "居民委员会"), ("刘国平", "业主委员会"), ("赵伟", "物业服务企业")):
            attendee_sign_in(actor=actor, meeting=meeting, name=name, affiliation=affiliation)
    with frozen_at(at(day, 16, 30)):
        meeting_record_minutes(actor=actor, meeting=meeting, minutes=(
            "社区三方办召集居委会、业委会、物业公司参加。物业通报近期服务问题整改情况；"
            "三方就停车管理方案充分协商，达成一致意见。"))
        first = resolution_add(actor=actor, meeting=meeting, text="由物业公司牵头，一个月内完成小区停车位重新划线")
        resolution_add(actor=actor, meeting=meeting, text="业委会每季度向业主公示公共收益收支情况")
        resolution_open_case(actor=actor, resolution=first, category=follow_up,
                             description=f"{subject}联席会议决议跟进：小区停车位重新划线")
