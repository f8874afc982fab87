"""Enterprises at risk of leaving (企业外迁风险): per business community, the open retention-risk assessments
(business RiskAssessment) scoring at or above the business rules' threshold."""

from __future__ import annotations

import datetime

from . import Finding


def findings(moment: datetime.datetime) -> list[Finding]:
    from django.db.models import Count, Max
    from django.utils.translation import gettext as _

    from commonground.business import rules as business_rules
    from commonground.business.models import RiskAssessment, RiskStatus
    from commonground.core.models import Place

    rows = list(RiskAssessment.objects.filter(status=RiskStatus.OPEN, score__gte=business_rules.risk_threshold())
                .values("community_path").annotate(n=Count("pk"), top=Max("score")).order_by()
                .values_list("community_path", "n", "top"))
    if not rows:
        return []
    places = {place.path: place for place in Place.objects.filter(path__in=[row[0] for row in rows])}
    result = []
    for path, n, top in rows:
        if path not in places:
            continue
        place = places[path]
        result.append(Finding(
            rule="enterprise_risk", key=f"enterprise_risk:{path}", severity=3 if top >= 80 else 2,
            title=_("%(place)s: %(count)d enterprises at risk of leaving (highest score %(score)d)") % {
                "place": place.name, "count": n, "score": top},
            place=place, began_at=moment, evidence={"kind": "figures", "enterprises": n, "top_score": top}))
    return result
