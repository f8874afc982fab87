"""Builds the demo district in one transaction, step by step, deterministically from a seed.

Apps above core add their own demo records with a `demo` module or package defining
`build_demo_data(ctx: DemoContext) -> None`; it runs after the core steps, in
INSTALLED_APPS order, with `ctx.rng("<its name>")` and `ctx.faker(...)` as its random sources.
"""

from __future__ import annotations

import datetime
import importlib
import importlib.util
import time
import zoneinfo
from collections.abc import Callable

from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.utils import translation
from django.utils.translation import gettext as _
from tqdm import tqdm

from commonground.core.services.accounts import clock_set

from .accounts import build_accounts, build_late_accounts
from .business import build_business
from .context import DemoContext
from .district import build_buildings, build_district, build_estates
from .flats import build_flats
from .organisations import build_organisations
from .residents import build_residents
from .shapes import shape_buildings

DEFAULT_SEED = 20230831
DEMO_TODAY = "2023-08-31"  # the default report period is then 2023-01-01 to 2023-08-31
# The demo's clock starts on its today, late in the afternoon, when the demo is built, and runs on from there.
DEMO_NOW = datetime.datetime(2023, 8, 31, 16, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))

Step = Callable[[DemoContext], None]


def refresh_statistics(ctx: DemoContext) -> None:
    """Let the query planner see the new rows now rather than at the next autovacuum."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    elif connection.vendor == "postgresql":
        # Our tables only: a bare ANALYZE also takes a lock on the cluster's shared catalogs (pg_authid) and holds it
        # to the end of the transaction, so a demo built inside a long transaction (a test's) made every other
        # database's ANALYZE wait for it.
        tables = ", ".join(connection.ops.quote_name(name) for name in connection.introspection.table_names())
        if tables:  # a bare ANALYZE would be the catalogs'
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {tables}")


def start_clock(ctx: DemoContext) -> None:
    clock_set(starts_at=DEMO_NOW)


CORE_STEPS: tuple[tuple[str, Step], ...] = (
    ("district", build_district),
    ("estates", build_estates),
    ("buildings", build_buildings),
    ("flats", build_flats),
    ("business", build_business),
    ("building shapes", shape_buildings),
    ("organisations", build_organisations),
    ("residents", build_residents),
    ("clock", start_clock),
    ("accounts", build_accounts),
)


def extension_steps() -> list[tuple[str, Step]]:
    """`build_demo_data` of every CommonGround app that has a `demo` module or package."""
    steps = []
    for config in apps.get_app_configs():
        if not config.name.startswith("commonground.") or config.name == __package__:
            continue
        module_name = f"{config.name}.demo"
        if importlib.util.find_spec(module_name) is not None:
            steps.append((config.label, importlib.import_module(module_name).build_demo_data))
    return steps


@transaction.atomic
def build_demo(*, seed: int = DEFAULT_SEED, progress: bool = True) -> DemoContext:
    """Build the whole demo district into an empty database and return what was built."""
    ctx = DemoContext(seed=seed)
    # Statistics after the core district too, so the apps' steps query it with sane plans (PostgreSQL
    # otherwise plans over empty-table estimates: one demo query took minutes on a fresh cluster).
    # The clock is set again at the end: the demo opens at 16:00 however long the build took.
    steps = [*CORE_STEPS, ("statistics", refresh_statistics), *extension_steps(),
             ("late accounts", build_late_accounts), ("statistics", refresh_statistics), ("clock", start_clock)]
    # Stored texts (event notes, notices) are written in the district's language, whoever calls the build.
    with translation.override(settings.LANGUAGE_CODE), \
            tqdm(steps, desc=_("Building the demo district"), unit=_("step"), disable=not progress) as bar:
        for name, step in bar:
            bar.set_postfix_str(name)
            started = time.perf_counter()
            step(ctx)
            ctx.seconds[name] = ctx.seconds.get(name, 0.0) + time.perf_counter() - started
    return ctx
