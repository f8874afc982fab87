"""The case engine's demo step (found by commonground/demo/builder.py): a year of cases in 拱墅区
(2022-09-01 to the demo's today, 2023-08-31 16:00) and the first year of the 新天地 business community
(2022-06-01 to 2023-05-31: 286 disputes resolved, 123 needs met).

Every case row is written by the case services, at the moment of its step on the one clock (see engine.py):
case_report and the workflow services, the mediation services, the deadline tick's services for warnings,
escalations and overdue marks, notifications as those services send them, and `mark_read` for what the logins
have read. Nothing is bulk-inserted. The accounts the services need to act where no demo login works (two staff
per street, residents who report on the web) are saved as the demo's logins are (there is no service that opens
an account) and get their role through `role_assign`; the demo's Open311 client is saved directly too.
Deterministic: every choice comes from the demo's seeded random sources (plans.py).
"""

from __future__ import annotations

import datetime
import itertools
from typing import TYPE_CHECKING

from django.utils import timezone

from commonground.core import clock
from commonground.core.models import User
from commonground.core.services.accounts import setting_set

from ..models import ApiClient, Case, Mediation, Notification
from ..services.categories import category_seed
from ..services.notifications import mark_read
from ..services.tallies import tallies_deferred
from .engine import Engine
from .life import Life
from .plans import XINTIANDI_FIRST_YEAR, district_year, hedong_inbox, owner_cases, repeats, xintiandi_year
from .world import NOW, TZ, XINTIANDI, World

if TYPE_CHECKING:
    from commonground.demo.context import DemoContext

FIRST_YEAR_SETTING = "xintiandi_first_year"
DEMO_API_CLIENT = ("12345政务服务热线", "demo-12345-hotline-2023")  # a published demo key, like the passwords
UNREAD_DAYS = 3  # what came in the last three days is still unread
READ_AT = datetime.time(8, 40)  # the staff read yesterday's notifications first thing in the morning


def build_demo_data(ctx: DemoContext) -> None:
    logins = list(User.objects.all())  # before this step opens accounts of its own
    category_seed()
    name, key = DEMO_API_CLIENT
    ApiClient.objects.create(name=name, api_key=key)
    world = World(ctx, ctx.rng("cases"))
    world.open_street_accounts()
    engine = Engine(until=NOW)
    district = [Life(world, engine, plan) for plan in district_year(world) + owner_cases(world) + hedong_inbox(world)]
    xintiandi = [Life(world, engine, plan) for plan in xintiandi_year(world)]
    again = [Life(world, engine, plan) for plan in repeats(world, district)]  # not in 新天地: its figures are exact
    for life in district + xintiandi + again:
        engine.start(life.run())
    with tallies_deferred():  # nothing in the year reads a roll-up
        engine.run()
    read_by_morning(logins)
    setting_set(key=FIRST_YEAR_SETTING, value={
        "place": world.xintiandi.code, "name": XINTIANDI, "from": XINTIANDI_FIRST_YEAR[0].isoformat(),
        "to": XINTIANDI_FIRST_YEAR[1].isoformat()})
    ctx.add_count("cases", Case.objects.count())
    ctx.add_count("mediations", Mediation.objects.count())
    ctx.add_count("notifications", Notification.objects.count())


def read_by_morning(logins: list[User]) -> None:
    """The demo logins read the day's notifications the next morning, except those of the last days (nobody
    logs in as the accounts without a password: what they were told stays unread)."""
    users = {user.pk: user for user in logins}
    cutoff = NOW - datetime.timedelta(days=UNREAD_DAYS)
    unread = (Notification.objects.filter(user__in=list(users), read_at__isnull=True, created_at__lt=cutoff)
              .order_by("user", "created_at", "pk").values_list("user", "created_at", "pk"))
    days = itertools.groupby(unread, key=lambda row: (row[0], timezone.localtime(row[1]).date()))
    for (user, day), rows in days:
        morning = datetime.datetime.combine(day + datetime.timedelta(days=1), READ_AT, TZ)
        with clock.frozen_at(morning):
            mark_read(actor=users[user], ids=[pk for _user, _at, pk in rows])
