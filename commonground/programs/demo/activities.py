"""A year of programmes (2022-09-01 to the demo's today, 2023-08-31 16:00), as the services write them:

- the communities' activities (those with residents on record, and a few others whose participants come from the
  populated estates of their street), one or two a month each;
- 新天地商务社区 from the start of its first year (2022-06-01, as the cases step dates it):
  376 activities in that first year (to 2023-05-31), and 376 as well in the report's default period 2023-01-01..08-31
  (a busy spring: 316 from January to May);
- the couriers' family academy (小哥家庭学堂) at the couriers' home: 12 ten-session courses in 2023 with their
  certificates, over 4,000 attendances;
- the 40-day summer camp for couriers' children aged 6–12 (every working day from 3 July to 25 August 2023);
- a few activities in September 2023, open for sign-up now.

Activities, sessions, publication, sign-ups and certificates go through the services at their own moment on the one
clock (`clock.frozen_at`). Attendance rows are bulk-inserted exactly as the attendance services write them (the
same `attendance_row` builds them: person, sign-up or walk-in, taker, time, the session's day and the activity's
scope paths);
taking them one by one through the services would add ~17,000 transactions to the build for the same rows.
The step takes about 10 s of the build (measured on SQLite: 807 activities, 16,700 attendance rows).
"""

from __future__ import annotations

import datetime
import random
import zoneinfo
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from commonground.core import clock
from commonground.core.models import (
    HouseholdMember,
    Organisation,
    OrganisationKind,
    Person,
    Place,
    PlaceKind,
    RoleAssignment,
    RoleKind,
    User,
)

from ..models import (
    Activity,
    ActivityKind,
    ActivitySession,
    Attendance,
    AttendanceMethod,
    Audience,
    EmploymentDeclaration,
    Enrolment,
    FacilityZone,
)
from ..services.activities import activity_create, activity_publish, enrolment_create, session_add
from ..services.attendance import attendance_row, certificates_issue_all

if TYPE_CHECKING:
    from commonground.demo.context import DemoContext

TZ = zoneinfo.ZoneInfo("Asia/Shanghai")
# As the demo's core step names them (commonground/demo/names.py: an app's demo does not import the core demo).
COURIERS_HOME = ("吴家墩小哥党群之家", "吴家墩社区")
COURIERS_APARTMENTS = "吴家墩新人公寓"
YEAR = (datetime.date(2022, 9, 1), datetime.date(2023, 8, 31))
NOW = datetime.datetime(2023, 8, 31, 16, 0, tzinfo=TZ)
XINTIANDI = "新天地商务社区"
# 新天地's activities per stretch: its first year (from the cases step's setting) and the report's default period
# 2023-01-01..08-31 each hold 376 of them.
XINTIANDI_STRETCHES = ((datetime.date(2022, 6, 1), datetime.date(2022, 12, 31), 60),
                       (datetime.date(2023, 1, 1), datetime.date(2023, 5, 31), 316),
                       (datetime.date(2023, 6, 1), datetime.date(2023, 8, 30), 60))
COMMUNITY_ACTIVITIES_PER_MONTH = (1, 2)
OTHER_COMMUNITIES = 8  # communities without residents on record that still run a few activities
ACADEMY_COURSES = ("育儿与家庭教育", "电动自行车安全骑行", "急救与应急避险", "智能手机与网上办事", "劳动权益与法律常识",
                   "家庭理财入门", "亲子阅读", "普通话与写作", "健康饮食与营养", "心理健康与情绪管理", "摄影与短视频",
                   "家政技能提升")
ACADEMY_SESSIONS = 10
ACADEMY_PLACES = 38
CAMP_DAYS = 40
CAMP_FIRST_DAY = datetime.date(2023, 7, 3)
COMMUNITY_TITLES = ("邻里节", "垃圾分类宣传", "老年人智能手机课堂", "亲子手工坊", "健康义诊", "法律咨询进社区", "文艺汇演",
                    "消防安全演练", "读书分享会", "志愿服务日", "重阳敬老宴", "端午包粽子", "中秋赏月会", "书法体验课",
                    "防诈骗讲座", "广场舞比赛")
BUSINESS_TITLES = ("楼宇白领午间沙龙", "企业政策宣讲会", "楼宇篮球赛", "青年联谊会", "职场心理讲座", "企业服务下午茶",
                   "楼宇党建交流会", "知识产权讲座", "健康午餐会", "楼宇读书会", "税务政策解读", "创业分享会")
ZONES = (("议事区", "小哥治家会议事与接待", "120.00"), ("服务区", "政策咨询、维修、休息", "180.00"),
         ("活动及充电区", "家庭学堂、夏令营与电瓶车充电", "200.00"))


@dataclass
class Held:
    """A session held, and the people present at it (sign-ups with their enrolment, or walk-ins)."""

    session: ActivitySession
    actor: User
    present: list[tuple[int, int | None]]  # (person id, enrolment id or None)


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), TZ)


def days(first: datetime.date, last: datetime.date) -> Iterator[datetime.date]:
    day = first
    while day <= last:
        yield day
        day += datetime.timedelta(days=1)


class Programmes:
    def __init__(self, ctx: DemoContext) -> None:
        self.ctx = ctx
        self.rng = ctx.rng("programs.activities")
        self.held: list[Held] = []
        self.admin = User.objects.filter(is_superuser=True).order_by("pk").first()
        self.staff = self._staff()
        self.residents = self._residents()
        self.organisers = {o.place_id: o for o in Organisation.objects.filter(
            kind__in=[OrganisationKind.RESIDENTS_COMMITTEE, OrganisationKind.BUILDING_COMMITTEE])}

    def _staff(self) -> dict[str, User]:
        """Who runs a place's programme: a community worker or building commissioner there, else street staff."""
        staff: dict[str, User] = {}
        roles = RoleAssignment.objects.filter(role__in=[RoleKind.COMMUNITY_WORKER, RoleKind.BUILDING_COMMISSIONER,
                                                        RoleKind.STREET_STAFF]).select_related("user", "scope")
        for role in roles.order_by("pk"):
            staff.setdefault(role.scope.path, role.user)
        return staff

    def actor_for(self, place: Place) -> User:
        for length in (len(place.path), 30, 20):
            if user := self.staff.get(place.path[:length]):
                return user
        assert self.admin is not None
        return self.admin

    def _residents(self) -> dict[str, list[tuple[int, datetime.date | None]]]:
        """Residents on record by their estate's path: (person id, birth date)."""
        found: dict[str, list[tuple[int, datetime.date | None]]] = defaultdict(list)
        rows = HouseholdMember.objects.values_list("household__flat__path", "person_id", "person__birth_date")
        for path, person, born in rows.order_by("person_id"):
            found[path[:40]].append((person, born))
        return found

    def people_under(self, path: str) -> list[tuple[int, datetime.date | None]]:
        return [row for estate, rows in self.residents.items() if estate.startswith(path) for row in rows]

    def pool_for(self, place: Place) -> list[int]:
        """Participants: residents of the place, else of its street, else of the district."""
        for prefix in (place.path[:30], place.path[:20], place.path[:10]):
            if people := self.people_under(prefix):
                return [person for person, _born in people]
        return []

    # -- the services, at their moment -------------------------------------------------------------------------

    def activity(self, *, place: Place, organiser: Organisation, title: str, sessions: list[tuple[datetime.datetime,
                 datetime.datetime]], kind: str = ActivityKind.ACTIVITY, capacity: int = 60,
                 audience: str = Audience.EVERYONE, walk_ins: bool = True, min_age: int | None = None,
                 max_age: int | None = None, zone: FacilityZone | None = None, venue: str = "",
                 created: datetime.datetime | None = None, description: str = "") -> Activity:
        actor = self.actor_for(place)
        created = created or sessions[0][0] - datetime.timedelta(days=self.rng.randint(7, 20))
        with clock.frozen_at(created):
            activity = activity_create(
                actor=actor, place=place, organiser=organiser, title=title, kind=kind, capacity=capacity,
                signup_opens_at=created, signup_closes_at=sessions[0][0] - datetime.timedelta(hours=12),
                audience=audience, min_age=min_age, max_age=max_age, allow_walk_ins=walk_ins,
                description=description)
            for starts_at, ends_at in sessions:
                session_add(actor=actor, activity=activity, starts_at=starts_at, ends_at=ends_at, venue=venue,
                            zone=zone)
            return activity_publish(actor=actor, activity=activity)

    def sign_up(self, activity: Activity, people: list[int], moment: datetime.datetime) -> list[Enrolment]:
        """Sign-ups at the desk (staff sign people up), each at its minute."""
        actor = self.actor_for(activity.place)
        enrolments = []
        by_id = Person.objects.in_bulk(people)
        for n, person in enumerate(people):
            with clock.frozen_at(moment + datetime.timedelta(minutes=n)):
                enrolments.append(enrolment_create(actor=actor, activity=activity, participant=by_id[person]))
        return enrolments

    def attend(self, activity: Activity, *, walk_ins: list[int] = (), enrolments: list[Enrolment] = (),
               share: float = 1.0) -> None:
        """Who came to each session: `share` of the confirmed sign-ups, and the walk-ins drawn for it."""
        actor = self.actor_for(activity.place)
        confirmed = [(e.participant_id, e.pk) for e in enrolments if e.status == "confirmed"]
        for session in activity.sessions.filter(starts_at__lt=NOW):
            session.activity = activity
            present = [row for row in confirmed if self.rng.random() < share]
            signed = {person for person, _e in confirmed}
            present += [(person, None) for person in walk_ins if person not in signed]
            self.held.append(Held(session, actor, present))

    def write_attendance(self) -> int:
        rows = []
        for held in self.held:
            moment = held.session.starts_at + datetime.timedelta(minutes=5)
            for n, (person, enrolment) in enumerate(held.present):
                rows.append(attendance_row(
                    actor=held.actor, session=held.session, person_id=person, enrolment_id=enrolment,
                    method=AttendanceMethod.LIST if enrolment else AttendanceMethod.WALK_IN,
                    now=moment + datetime.timedelta(seconds=20 * n)))
        Attendance.objects.bulk_create(rows, batch_size=2000)
        return len(rows)


def _evening_or_weekend(rng: random.Random, day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    hour = rng.choice((9, 14, 15)) if day.weekday() >= 5 else rng.choice((10, 14, 19))
    return at(day, hour), at(day, hour) + datetime.timedelta(hours=2)


def community_activities(p: Programmes) -> int:
    """Two or three a month in each community with residents on record, and a few in others of their streets."""
    populated = sorted({e.parent_id for e in p.ctx.populated_estates})
    communities = list(Place.objects.filter(pk__in=populated).order_by("path"))
    others = [c for c in Place.objects.filter(kind=PlaceKind.COMMUNITY).exclude(pk__in=populated).order_by("path")]
    communities += p.rng.sample(others, min(OTHER_COMMUNITIES, len(others)))
    count = 0
    for community in communities:
        organiser = p.organisers.get(community.pk)
        pool = p.pool_for(community)
        if organiser is None or not pool:
            continue
        month = YEAR[0]
        while month <= YEAR[1]:
            low, high = COMMUNITY_ACTIVITIES_PER_MONTH
            n = p.rng.randint(low, high) if community.pk in populated else int(p.rng.random() < 0.4)
            for day in sorted(p.rng.sample(range(1, 28), n)):
                when = month.replace(day=day)
                title = p.rng.choice(COMMUNITY_TITLES)
                activity = p.activity(place=community, organiser=organiser, title=f"{community.name}{title}",
                                      sessions=[_evening_or_weekend(p.rng, when)], venue="社区党群服务中心")
                p.attend(activity, walk_ins=p.rng.sample(pool, min(len(pool), p.rng.randint(8, 24))))
                count += 1
            month = (month + datetime.timedelta(days=32)).replace(day=1)
    p.ctx.add_count("programs_communities", len(communities))
    return count


def xintiandi_activities(p: Programmes) -> int:
    community = p.ctx.business_communities.get(XINTIANDI) or Place.objects.get(name=XINTIANDI)
    organiser = p.organisers.get(community.pk) or Organisation.objects.filter(place=community).first()
    buildings = list(Place.objects.filter(parent=community).order_by("path"))
    pool = p.pool_for(community)
    count = 0
    for first, last, n in XINTIANDI_STRETCHES:
        span = (last - first).days + 1
        for k in range(n):
            day = first + datetime.timedelta(days=k * span // n)
            building = buildings[k % len(buildings)] if buildings else community
            starts_at = at(day, p.rng.choice((12, 15, 18)))
            activity = p.activity(place=building, organiser=organiser, title=p.rng.choice(BUSINESS_TITLES),
                                  sessions=[(starts_at, starts_at + datetime.timedelta(hours=1, minutes=30))],
                                  venue=f"{building.name}一楼共享空间", capacity=80)
            p.attend(activity, walk_ins=p.rng.sample(pool, min(len(pool), p.rng.randint(8, 20))))
            count += 1
    return count


def couriers_home(p: Programmes) -> tuple[Place, dict[str, FacilityZone]]:
    home_name, community_name = COURIERS_HOME
    home = Place.objects.get(name=home_name, parent__name=community_name)
    if not FacilityZone.objects.filter(facility=home).exists():  # the groups step makes them when it runs
        FacilityZone.objects.bulk_create([FacilityZone(facility=home, name=name, purpose=purpose, area_m2=area)
                                          for name, purpose, area in ZONES])
    return home, {zone.name: zone for zone in FacilityZone.objects.filter(facility=home)}


def couriers_families(p: Programmes, home: Place) -> list[tuple[int, datetime.date | None]]:
    """The people at 吴家墩新人公寓 (the couriers and their families, where the groups step put them), else the
    residents of the populated estates nearest the home (its community, then its street, then the district)."""
    apartment = Place.objects.filter(name=COURIERS_APARTMENTS).first()
    for path in ([apartment.path] if apartment else []) + [home.path[:30], home.path[:20], home.path[:10]]:
        if people := p.people_under(path):
            return people
    return []


def academy(p: Programmes, home: Place, zones: dict[str, FacilityZone], families: list) -> int:
    """12 ten-session courses from February to August 2023, weekly on a weekday evening or a weekend morning."""
    organiser = p.organisers.get(home.parent_id)
    declared = set(EmploymentDeclaration.objects.filter(revoked_at__isnull=True).values_list("person_id", flat=True))
    adults = [person for person, born in families if born is None or born.year <= 2005]
    zone = zones.get("活动及充电区") or next(iter(zones.values()), None)
    for n, title in enumerate(ACADEMY_COURSES):
        first = datetime.date(2023, 2, 6) + datetime.timedelta(days=10 * n)
        weekend = n % 2 == 1
        first += datetime.timedelta(days=(5 - first.weekday()) % 7 if weekend else 0)
        sessions = [(at(first + datetime.timedelta(days=7 * k), 9 if weekend else 19),
                     at(first + datetime.timedelta(days=7 * k), 11 if weekend else 21))
                    for k in range(ACADEMY_SESSIONS)]
        participants = p.rng.sample(adults, min(len(adults), ACADEMY_PLACES))
        audience = Audience.NEW_EMPLOYMENT if declared and set(participants) <= declared else Audience.EVERYONE
        created = at(first - datetime.timedelta(days=21), 10)
        activity = p.activity(place=home, organiser=organiser, title=f"小哥家庭学堂·{title}", sessions=sessions,
                              kind=ActivityKind.COURSE, capacity=ACADEMY_PLACES, audience=audience, walk_ins=False,
                              zone=zone, created=created, description="快递小哥及家属免费参加，出勤八成以上颁发结业证书。")
        enrolments = p.sign_up(activity, participants, created + datetime.timedelta(days=1))
        p.attend(activity, enrolments=enrolments, share=0.93)
    return len(ACADEMY_COURSES)


def summer_camp(p: Programmes, home: Place, zones: dict[str, FacilityZone], families: list) -> None:
    """Every working day from 3 July to 25 August 2023 (40 days), for the families' children aged 6 to 12."""
    organiser = p.organisers.get(home.parent_id)
    camp_days = [day for day in days(CAMP_FIRST_DAY, CAMP_FIRST_DAY + datetime.timedelta(days=70))
                 if day.weekday() < 5][:CAMP_DAYS]

    def age(born: datetime.date) -> int:
        return CAMP_FIRST_DAY.year - born.year - ((CAMP_FIRST_DAY.month, CAMP_FIRST_DAY.day) < (born.month, born.day))

    children = [person for person, born in families if born and 6 <= age(born) <= 12]
    if len(children) < 20:  # few children at the apartments: the street's too
        children += [person for person, born in p.people_under(home.path[:20])
                     if born and 6 <= age(born) <= 12 and person not in children]
    children = children[:45]
    created = at(datetime.date(2023, 6, 5), 9)
    activity = p.activity(place=home, organiser=organiser, title="小候鸟暑期托管夏令营", kind=ActivityKind.CAMP,
                          sessions=[(at(day, 8, 30), at(day, 16, 30)) for day in camp_days], capacity=45,
                          audience=Audience.CHILDREN, min_age=6, max_age=12, walk_ins=False, created=created,
                          zone=zones.get("活动及充电区"), description="快递小哥子女暑期托管：作业辅导、阅读、体育、手工与安全教育，共40天。")
    enrolments = p.sign_up(activity, children, created + datetime.timedelta(days=2))
    p.attend(activity, enrolments=enrolments, share=0.9)


def upcoming(p: Programmes, home: Place, zones: dict[str, FacilityZone]) -> int:
    """September 2023, open for sign-up on the demo's today: the demo's users can sign up."""
    hedong = Place.objects.get(name="河东社区")
    xintiandi = p.ctx.business_communities.get(XINTIANDI) or Place.objects.get(name=XINTIANDI)
    plans = [
        (hedong, "河东社区中秋亲子做月饼", ActivityKind.ACTIVITY, datetime.date(2023, 9, 23), 30, None, None),
        (hedong, "河东社区老年人防诈骗讲座", ActivityKind.ACTIVITY, datetime.date(2023, 9, 12), 50, None, None),
        (home, "小哥家庭学堂·秋季育儿课", ActivityKind.COURSE, datetime.date(2023, 9, 7), 38, None, None),
        (home, "小哥子女周末兴趣班", ActivityKind.CAMP, datetime.date(2023, 9, 9), 30, 6, 12),
        (xintiandi, "新天地楼宇青年中秋联谊会", ActivityKind.ACTIVITY, datetime.date(2023, 9, 22), 80, None, None),
    ]
    created = at(datetime.date(2023, 8, 28), 10)
    for place, title, kind, first, capacity, low, high in plans:
        count = 6 if kind == ActivityKind.COURSE else (4 if kind == ActivityKind.CAMP else 1)
        sessions = [(at(first + datetime.timedelta(days=7 * k), 14), at(first + datetime.timedelta(days=7 * k), 16))
                    for k in range(count)]
        organiser = p.organisers.get(place.pk) or p.organisers.get(place.parent_id)
        activity = p.activity(place=place, organiser=organiser, title=title, kind=kind, sessions=sessions,
                              capacity=capacity, walk_ins=False, created=created, min_age=low, max_age=high,
                              audience=Audience.CHILDREN if high else Audience.EVERYONE,
                              zone=zones.get("活动及充电区") if place == home else None)
        assert activity.signup_closes_at > NOW
    return len(plans)


def build(ctx: DemoContext) -> None:
    p = Programmes(ctx)
    home, zones = couriers_home(p)
    families = couriers_families(p, home)
    ctx.add_count("programs_community_activities", community_activities(p))
    ctx.add_count("programs_xintiandi_activities", xintiandi_activities(p))
    ctx.add_count("programs_courses", academy(p, home, zones, families))
    summer_camp(p, home, zones, families)
    ctx.add_count("programs_upcoming", upcoming(p, home, zones))
    ctx.add_count("programs_attendances", p.write_attendance())
    # The academy's certificates, the morning after each course's last session.
    for course in Activity.objects.filter(kind=ActivityKind.COURSE, place=home, last_ends_at__lt=NOW).order_by(
            "last_ends_at"):
        with clock.frozen_at(at(course.last_ends_at.astimezone(TZ).date() + datetime.timedelta(days=1), 10)):
            ctx.add_count("programs_certificates",
                          len(certificates_issue_all(actor=p.actor_for(home), activity=course)))
