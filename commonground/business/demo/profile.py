"""The profile part of the business demo step: the retention signals the ledgers do not hold (leases, announced
registration moves) and the nightly assessment at the demo's today, which opens the commissioner tasks.

About a third of the operating firms present in a building get a lease end (most of them more than half a year
away); among the firms whose tax fell year on year or that are registered elsewhere, a few dozen have a lease
ending within three months and announced a move of their registration, so the assessment at 2023-08-31 16:00
(through `risk_assess_all`, as the district's clerk) finds them at or above the threshold and opens their tasks.
The two new ledger fields are written with one bulk update (the service would write the same values, plus a history
row per firm that the demo leaves out for speed).
"""

from __future__ import annotations

import datetime
import zoneinfo
from typing import TYPE_CHECKING

from commonground.core.clock import frozen_at
from commonground.core.models import User

from .. import risk, rules
from ..models import Enterprise, EnterpriseStatus
from ..risk_selectors import risk_signals
from ..services.risk import risk_assess_all

if TYPE_CHECKING:
    from commonground.demo.context import DemoContext

TODAY = datetime.date(2023, 8, 31)
NOW = datetime.datetime(2023, 8, 31, 16, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))
LEASE_SHARE = 0.33
AT_RISK = 48  # firms made to cross the threshold


def build(ctx: DemoContext) -> None:
    rng = ctx.rng("business.profile")
    firms = list(Enterprise.objects.filter(status=EnterpriseStatus.ACTIVE, building__isnull=False)
                 .order_by("pk").only("pk", "lease_ends_on", "registration_move_announced_on"))
    if not firms:
        return
    changed: dict[int, Enterprise] = {}
    for firm in firms:
        if rng.random() < LEASE_SHARE:
            firm.lease_ends_on = TODAY + datetime.timedelta(days=rng.randint(30, 3 * 365))
            changed[firm.pk] = firm
    with frozen_at(NOW):
        signals = risk_signals(Enterprise.objects.filter(pk__in=[firm.pk for firm in firms]), TODAY)
    weights = rules.risk_weights()
    leaning = [pk for pk, firm_signals in sorted(signals.items())
               if {r["code"] for r in risk.reasons(firm_signals, weights)} & {"tax_fall", "registered_elsewhere"}]
    by_pk = {firm.pk: firm for firm in firms}
    for pk in rng.sample(leaning, min(AT_RISK, len(leaning))):
        firm = by_pk[pk]
        firm.lease_ends_on = TODAY + datetime.timedelta(days=rng.randint(20, 90))
        firm.registration_move_announced_on = TODAY - datetime.timedelta(days=rng.randint(3, 60))
        changed[pk] = firm
    Enterprise.objects.bulk_update(list(changed.values()), ["lease_ends_on", "registration_move_announced_on"],
                                   batch_size=1000)
    clerk = User.objects.get(username="district")
    with frozen_at(NOW):
        run = risk_assess_all(actor=clerk)
    ctx.add_count("business retention warnings", run.opened)
    ctx.add_count("business retention tasks", len(run.tasks))
