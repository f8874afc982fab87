"""The 13 renewal representatives of 浙工新村 (居民自愿有机更新委员会, one per building), chosen in early
2023 before the mobilisation meeting of 22 April: call notice, nominations by the field work group,
registration, joint review by the street (one nominee withdrawn for health and replaced), public notice,
confirmation — every step through the representative services at its date."""

from __future__ import annotations

import datetime

from commonground.core.models import Person

from ..models import NoticeKind, Representative
from ..services.notices import notice_publish
from ..services.representatives import (
    buildings_of,
    representative_confirm,
    representative_nominate,
    representative_register,
    representative_review,
    representatives_publish_notice,
    residents_by_building,
)
from .common import World, local

CALL_ON = datetime.date(2023, 2, 13)
NOMINATED_FROM = datetime.date(2023, 2, 15)
REGISTERED_ON = datetime.date(2023, 2, 24)
REVIEWED_ON = datetime.date(2023, 3, 1)
RENOMINATED_ON = datetime.date(2023, 3, 2)
NOTICE_ON = datetime.date(2023, 3, 8)
CONFIRMED_ON = datetime.date(2023, 3, 14)
REJECTION = "本人因身体原因申请退出，联审同意，由该楼幢另行推荐。"
CALL_TITLE = "浙工新村居民自愿有机更新委员会代表推荐报名公告"
CALL_BODY = (
    "为推进浙工新村危旧房有机更新，按照“居民主体、一楼幢一代表”的原则，组建浙工新村居民自愿有机更新委员会。\n\n"
    "每幢楼推荐代表1名，须在本幢居住或拥有房屋，热心公益、办事公道。报名时间：2023年2月15日至2月22日，"
    "请到现场工作组或社区报名。经社区、街道联合审查后公示，公示期满无异议的为正式代表。"
)


def build_representatives(world: World) -> list[Representative]:
    rng = world.rng
    estate = world.estate("浙工新村")
    renewal, street, community = world.users["renewal"], world.users["street"], world.users["community"]
    world.call(local(CALL_ON, 10, 0), notice_publish, actor=community, place=estate, kind=NoticeKind.OTHER,
               title=CALL_TITLE, body=CALL_BODY, posted_on=CALL_ON, ends_on=NOMINATED_FROM + datetime.timedelta(days=7),
               public=True)
    owner = world.users.get("owner")
    people = world.call(local(REGISTERED_ON, 9, 0), residents_by_building, estate=estate)
    buildings = list(buildings_of(estate))
    persons = {p.pk: p for p in Person.objects.filter(
        pk__in=[pk for rows in people.values() for pk, _name in rows])}
    picks = {}
    for building in buildings:
        pool = [pk for pk, _name in people[building.pk] if owner is None or pk != owner.person_id]
        picks[building.pk] = rng.sample(pool, 2)  # the nominee, and who replaces them if they step down
    withdrawn = rng.choice(buildings).pk
    representatives = []
    for n, building in enumerate(buildings):
        at = local(NOMINATED_FROM + datetime.timedelta(days=n % 8), 9 + n % 7, 5 * n % 60)
        representatives.append(world.call(at, representative_nominate, actor=renewal, building=building,
                                          person=persons[picks[building.pk][0]]))
    for n, representative in enumerate(representatives):
        world.call(local(REGISTERED_ON, 14, n), representative_register, actor=renewal, representative=representative)
    reviewed = local(REVIEWED_ON, 15, 0)
    for representative in representatives:
        keep = representative.building_id != withdrawn
        world.call(reviewed, representative_review, actor=street, representative=representative, approve=keep,
                   reason="" if keep else REJECTION)
    building = next(b for b in buildings if b.pk == withdrawn)
    second = world.call(local(RENOMINATED_ON, 10, 0), representative_nominate, actor=renewal, building=building,
                        person=persons[picks[withdrawn][1]])
    world.call(local(RENOMINATED_ON, 16, 0), representative_register, actor=renewal, representative=second)
    world.call(local(RENOMINATED_ON + datetime.timedelta(days=4), 15, 0), representative_review, actor=street,
               representative=second, approve=True)
    world.call(local(NOTICE_ON, 9, 0), representatives_publish_notice, actor=community, estate=estate)
    confirmed = []
    for representative in Representative.objects.filter(building__parent=estate, status="noticed").order_by(
            "building__path"):
        confirmed.append(world.call(local(CONFIRMED_ON, 10, 0), representative_confirm, actor=community,
                                    representative=representative))
    world.count("representatives", len(confirmed))
    return confirmed
