"""Terms and contracts ending (到期提醒): an owners' committee whose filed term ends within `days`, an estate whose
latest property contract ends within `days` (coordination's records, through its selectors)."""

from __future__ import annotations

import datetime

from .. import rules
from . import Finding


def findings(moment: datetime.datetime) -> list[Finding]:
    from django.db.models import Max, OuterRef, Subquery
    from django.utils import timezone
    from django.utils.translation import gettext as _

    from commonground.coordination.models import CommitteeFiling, PropertyContract
    from commonground.coordination.profile_selectors import committees_in_force
    from commonground.core.models import Place, PlaceKind

    today = timezone.localtime(moment).date()
    horizon = today + datetime.timedelta(days=rules.warning_setting("expiry", "days"))
    at = timezone.make_aware(datetime.datetime.combine(today, datetime.time()))
    result = []
    filed = CommitteeFiling.objects.filter(committee=OuterRef("pk")).order_by("-term_from", "-pk").values("term_to")[:1]
    committees = (committees_in_force(Place.objects.filter(kind=PlaceKind.ESTATE), today)
                  .annotate(term_to=Subquery(filed)).filter(term_to__gte=today, term_to__lte=horizon)
                  .select_related("place"))
    for committee in committees:
        result.append(Finding(
            rule="expiry", key=f"expiry:committee:{committee.pk}:{committee.term_to}",
            severity=2 if (committee.term_to - today).days <= 30 else 1,
            title=_("%(committee)s: its term ends on %(day)s") % {"committee": committee.name,
                                                                 "day": committee.term_to.isoformat()},
            place=committee.place, began_at=at, evidence={"kind": "figures", "ends_on": committee.term_to.isoformat()}))
    contracts = (PropertyContract.objects.values("estate_id").annotate(last=Max("ends_on")).order_by()
                 .filter(last__gte=today, last__lte=horizon).values_list("estate_id", "last"))
    contracts = list(contracts)
    estates = Place.objects.in_bulk([estate for estate, _last in contracts])
    for estate_id, last in contracts:
        if estate_id not in estates:
            continue
        estate = estates[estate_id]
        result.append(Finding(
            rule="expiry", key=f"expiry:contract:{estate_id}:{last}", severity=2 if (last - today).days <= 30 else 1,
            title=_("%(estate)s: its property contract ends on %(day)s") % {"estate": estate.name,
                                                                          "day": last.isoformat()},
            place=estate, began_at=at, evidence={"kind": "figures", "ends_on": last.isoformat()}))
    return result
