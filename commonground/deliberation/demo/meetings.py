"""The demo's meetings, each through the meeting services at its date: planned a week ahead with its agenda,
posted on the notice board, attended (invitees, guests, walk-ins: written in bulk, see `attend`), minuted,
resolved; 河东社区's resolutions open cases that the demo logins then take through the case engine (most
closed by now, two still running). And the next 红茶议事会 at 河东社区, planned on the real calendar."""

from __future__ import annotations

import datetime

from commonground.cases.models import Case, Category, Notification
from commonground.cases.services.notifications import mark_read
from commonground.cases.services.workflow import (
    case_accept,
    case_dispatch,
    case_feedback,
    case_note,
    case_verify,
)
from commonground.core.models import HouseholdMember, Person, Place, PlaceKind, Relation
from commonground.core.models.places import within_q
from commonground.core.working_calendar import add_working_hours

from ..models import Attendee, Meeting, Resolution
from ..services.meetings import (
    meeting_create,
    meeting_publish_notice,
    meeting_record_minutes,
    resolution_add,
    resolution_open_case,
)
from .common import NOW, World, local
from .meeting_plans import HEDONG, JINXING, NEXT_HEDONG, SERIES, Plan, Series

CASE_CATEGORY = "resolution-follow-up"
DISCUSSION = (
    "与会居民代表逐一发言，对方案提出修改意见，会议当场汇总。",
    "社区通报前期调查情况，物业说明实施条件，大家就费用和时间安排充分讨论。",
    "与会人员肯定前期工作，也指出落实中的问题，会议明确了责任人和完成时间。",
    "大家围绕可行性和居民意愿展开讨论，多数人同意按方案推进。",
)
NOTES = ("已与物业确认实施方案和时间", "已到现场查看，正在组织实施", "材料已采购，施工安排在本周")
FEEDBACK = ("已按决议落实完毕，现场已验收", "已完成，并在社区公示栏公示结果", "已落实，居民代表现场确认")
COURIER_FIRMS = ("顺丰速运", "中通快递", "圆通速递", "韵达快递", "京东物流", "美团配送")


def place_of(world: World, ref: str) -> Place:
    kind, name = ref.split(":", 1)
    if kind == "community":
        return world.community(name)
    if kind == "estate":
        return world.estate(name)
    if kind == "business":
        return world.ctx.business_communities[name]
    return Place.objects.get(kind=PlaceKind.FACILITY, name=name)


def residents_of(world: World, place: Place, n: int) -> list[Person]:
    """Household heads living at `place` (the demo owner's login aside), a seeded sample of `n`."""
    owner = world.users.get("owner")
    heads = list(HouseholdMember.objects.filter(within_q("household__flat__path", [place.path]),
                                                relation=Relation.HEAD).values_list("person_id", flat=True))
    pool = list(Person.objects.filter(pk__in=heads).exclude(
        pk=getattr(owner, "person_id", None)).order_by("pk"))
    return world.rng.sample(pool, min(n, len(pool)))


def invitee_pool(world: World, series: Series, place: Place) -> list[Person]:
    """Residents the recorder may invite by name: 河东社区's two populated estates, or where the series meets
    (金星社区's council invites from 桃源居东苑); none at the business community and the couriers' home."""
    if series is HEDONG:
        return residents_of(world, world.estate("浙工新村"), 8) + residents_of(world, world.estate("天水北苑"), 4)
    if series is JINXING:
        return residents_of(world, world.estate("桃源居东苑"), 10)
    if place.kind == PlaceKind.ESTATE:
        return residents_of(world, place, 10)
    return []


def walk_in(world: World, series: Series) -> tuple[str, str]:
    fake = world.fake
    if series.kind == "couriers":
        return fake.name(), f"{world.rng.choice(COURIER_FIRMS)}快递员"
    if series.kind == "building":
        return fake.name(), fake.company()
    return fake.name(), "居民"


def minutes_text(plan: Plan, convener: str, present: list[str], world: World) -> str:
    names = "、".join(present[:6]) + ("等" if len(present) > 6 else "")
    lines = [f"{convener}召集，到会{len(present)}人（{names}）。"]
    for n, item in enumerate(plan.agenda, start=1):
        lines.append(f"{'一二三四五'[n - 1]}、{item}：{world.rng.choice(DISCUSSION)}")
    lines.append(f"会议形成决议{len(plan.resolutions)}项，由召集单位跟踪落实，下次会议通报进展。")
    return "\n\n".join(lines)


def attend(world: World, series: Series, meeting: Meeting, invitees: list[Person]) -> list[str]:
    """The attendance list as the sign-in desk leaves it: invitees (people on record and guests by name), most
    of them signed in shortly before the start, and a few walk-ins signed in after it. Written in one insert:
    these are the rows `attendee_invite` and `attendee_sign_in` write, one service call per person would
    double the time this step takes."""
    rng, starts = world.rng, meeting.starts_at
    rows = [Attendee(meeting=meeting, person=person, name=person.name[:100], invited=True) for person in invitees]
    rows += [Attendee(meeting=meeting, name=name, affiliation=affiliation, invited=True)
             for name, affiliation in series.guests]
    for row in rows:
        if rng.random() < 0.85:
            row.signed_in_at = starts - datetime.timedelta(minutes=rng.randint(0, 20))
    for _ in range(rng.randint(1, 3)):
        name, affiliation = walk_in(world, series)
        rows.append(Attendee(meeting=meeting, name=name, affiliation=affiliation, invited=False,
                             signed_in_at=starts + datetime.timedelta(minutes=rng.randint(1, 15))))
    Attendee.objects.bulk_create(rows)
    return [row.name for row in rows if row.signed_in_at]


def hold_meeting(world: World, series: Series, plan: Plan, place: Place, pool: list[Person],
                 category: Category) -> Meeting:
    rng, user = world.rng, world.users[series.user]
    convener = world.organisation(series.convener)
    starts = local(plan.day, *series.starts)
    ends = starts + datetime.timedelta(hours=series.hours)
    planned = local(plan.day - datetime.timedelta(days=8), 10, 0)
    meeting = world.call(planned, meeting_create, actor=user, place=place, convener=convener, kind=series.kind,
                         title=plan.title, starts_at=starts, ends_at=ends, venue=series.venue, agenda=plan.agenda)
    posted = plan.day - datetime.timedelta(days=5)
    world.call(local(posted, 9, 0), meeting_publish_notice, actor=user, meeting=meeting)
    present = attend(world, series, meeting, rng.sample(pool, min(len(pool), rng.randint(4, 6))))
    recorded = ends + datetime.timedelta(minutes=40)
    world.call(recorded, meeting_record_minutes, actor=user, meeting=meeting,
               minutes=minutes_text(plan, convener.name, present, world))
    for text, outcome in plan.resolutions:
        resolution = world.call(recorded, resolution_add, actor=user, meeting=meeting, text=text)
        world.count("resolutions")
        if outcome:
            follow_up(world, resolution, category, ends + datetime.timedelta(hours=1), outcome)
    world.count("meetings")
    return meeting


def follow_up(world: World, resolution: Resolution, category: Category, opened: datetime.datetime,
              outcome: str) -> Case:
    """The case a resolution opens, taken through the case engine by 河东社区's logins as far as `outcome`."""
    rng = world.rng
    community, grid = world.users["community"], world.users["grid"]
    case = world.call(opened, resolution_open_case, actor=community, resolution=resolution, category=category)
    accepted = add_working_hours(opened, round(rng.uniform(0.5, 3), 2))
    if outcome == "accepted":  # the clerk first settles where the money comes from
        accepted = local(NOW.date() - datetime.timedelta(days=1), 10, 20)
    steps = [(accepted, case_accept, {"actor": community})]
    if outcome != "accepted":
        dispatched = add_working_hours(accepted, round(rng.uniform(0.1, 0.5), 2))
        noted = add_working_hours(dispatched, round(rng.uniform(3, 10), 2))
        steps += [(dispatched, case_dispatch, {"actor": community}),
                  (noted, case_note, {"actor": grid, "note": rng.choice(NOTES)})]
    if outcome == "closed":
        done = add_working_hours(dispatched, round(rng.uniform(16, 36), 2))  # well before the deadline warning
        checked = add_working_hours(done, round(rng.uniform(2, 8), 2))
        steps += [(done, case_feedback, {"actor": grid, "note": rng.choice(FEEDBACK)}),
                  (checked, case_verify, {"actor": community, "approved": True, "note": "经现场核查，决议已落实"})]
    for at, service, kwargs in steps:
        if at > NOW:
            raise RuntimeError(f"case step {service.__name__} at {at} lies after the demo's now")
        case = world.call(at, service, case=case, **kwargs)
    world.count("resolution cases")
    return case


def plan_next_meeting(world: World) -> Meeting:
    """The next 红茶议事会 at 河东社区, planned and posted on the demo's today for two weeks later (on the public
    board too), so the meeting list, the calendar feed and the public board have something ahead."""
    series, plan, user = HEDONG, NEXT_HEDONG, world.users[HEDONG.user]
    day = NOW.date() + datetime.timedelta(days=14)
    starts = local(day, *series.starts)
    planned = local(NOW.date() - datetime.timedelta(days=3), 11, 0)
    meeting = world.call(planned, meeting_create, actor=user, place=place_of(world, series.place),
                         convener=world.organisation(series.convener), kind=series.kind, title=plan.title,
                         starts_at=starts, ends_at=starts + datetime.timedelta(hours=series.hours),
                         venue=series.venue, agenda=plan.agenda)
    world.call(local(NOW.date(), 9, 0), meeting_publish_notice, actor=user, meeting=meeting, public=True)
    world.count("meetings")
    return meeting


def read_by_now(world: World) -> None:
    """The logins read what the resolutions' cases told them within a day, as the cases demo has it: all but
    the last three days' notifications are read 20 hours after they came."""
    told = Notification.objects.filter(case__resolutions__isnull=False, read_at__isnull=True,
                                       created_at__lt=NOW - datetime.timedelta(days=3)).select_related("user")
    for notification in told.order_by("pk"):
        world.call(notification.created_at + datetime.timedelta(hours=20), mark_read, actor=notification.user,
                   ids=[notification.pk])


def build_meetings(world: World) -> None:
    category = Category.objects.get(code=CASE_CATEGORY)
    for series in SERIES:
        place = place_of(world, series.place)
        pool = invitee_pool(world, series, place)
        for plan in series.meetings:
            hold_meeting(world, series, plan, place, pool, category)
    read_by_now(world)
    plan_next_meeting(world)
