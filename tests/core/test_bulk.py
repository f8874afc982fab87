"""Bulk writes prepared outside the write lock: reserved keys, the audit rows, the clock's timestamps."""

from __future__ import annotations

import datetime
import zoneinfo

from django.db import transaction

from commonground.core import bulk, clock
from commonground.core.models import Person, Place, PlaceKind
from commonground.core.services.people import person_create
from commonground.core.services.places import place_create

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
AT = datetime.datetime(2023, 8, 31, 16, 0, tzinfo=SHANGHAI)


def test_reserve_ids__rows_written_meanwhile__take_keys_above_the_reserved_ones(db):
    first = person_create(name="先来")
    reserved = bulk.reserve_ids(Person, 3)
    meanwhile = person_create(name="后到")

    assert reserved == [reserved[0], reserved[0] + 1, reserved[0] + 2] and reserved[0] > first.pk
    assert meanwhile.pk > reserved[-1]
    people = [Person(pk=pk, name=f"导入{pk}") for pk in reserved]
    with transaction.atomic():
        bulk.run(bulk.insert(Person, people))
    assert Person.objects.count() == 5


def test_insert__rows_and_audit_rows_at_the_audit_moment(db, make_user):
    user = make_user()
    district = place_create(code="330105", name="拱墅区", kind=PlaceKind.DISTRICT)
    people = [Person(name="张三", phone="13800000001", phone_tail="0001", registered_place_id=district.pk),
              Person(name="李四")]

    statements = bulk.insert(Person, people, audit=bulk.Audit(user.pk, AT, "roster import: people"))
    with transaction.atomic():
        bulk.run(statements)

    stored = {p.name: p for p in Person.objects.all()}
    assert {name: (p.phone, p.registered_place_id, p.created_at, p.updated_at) for name, p in stored.items()} == {
        "张三": ("13800000001", district.pk, AT, AT), "李四": ("", None, AT, AT)}
    audit = list(Person.history.filter(id__in=[p.pk for p in people]).values_list(
        "name", "history_type", "history_date", "history_user_id", "history_change_reason").order_by("name"))
    assert audit == [("张三", "+", AT, user.pk, "roster import: people"), ("李四", "+", AT, user.pk,
                                                                             "roster import: people")]


def test_update__changed_fields_updated_at_and_a_change_row(db):
    with clock.frozen_at(AT - datetime.timedelta(days=1)):
        place = place_create(code="330105", name="拱墅区", kind=PlaceKind.DISTRICT)
    place.name = "拱墅区（新）"

    with transaction.atomic():
        bulk.run(bulk.update(Place, [place], ["name"], audit=bulk.Audit(None, AT, "roster import: places")))

    stored = Place.objects.get(pk=place.pk)
    assert (stored.name, stored.updated_at, stored.created_at) == ("拱墅区（新）", AT, AT - datetime.timedelta(days=1))
    assert list(stored.history.order_by("history_date").values_list("history_type", "name")) == [
        ("+", "拱墅区"), ("~", "拱墅区（新）")]


def test_run__progress_counts_every_row(db):
    counted: list[int] = []
    with transaction.atomic():
        bulk.run(bulk.insert(Person, [Person(name=f"居民{i}") for i in range(5)]), counted.append)
    assert sum(counted) == 5
