"""Writes of the retention warnings (安商稳商): assess firms' retention risk and open commissioner tasks.

A run computes the score of every operating firm in its scope from its signals (`risk_selectors.risk_signals`: a
handful of queries for any number of firms) and the rule of `business/risk.py`. A firm at or above the threshold
gets (or keeps, updated) its current warning, and a warning without a task opens one: a case of the staff-only
category `enterprise-retention` at the firm's building, with the category's time limit. A warning whose task is
closed becomes handled (no new task while the firm stays at risk). A firm below the threshold, or no longer
operating, has its current warning cleared (the task stays in the case engine).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from commonground.core import clock
from commonground.core.models import Place, User
from commonground.core.models.places import scope_columns
from commonground.core.permissions import require

from .. import risk, rules
from ..models import Enterprise, EnterpriseStatus, RiskAssessment, RiskStatus
from ..risk_selectors import CURRENT, risk_signals

RETENTION_CATEGORY = "enterprise-retention"


@dataclass
class RiskRun:
    assessed: int = 0
    opened: int = 0  # new warnings
    updated: int = 0
    cleared: int = 0
    handled: int = 0
    tasks: list[int] = field(default_factory=list)  # ids of the cases opened


def system_actor() -> User | None:
    """The account under which the nightly run opens tasks: the setting's, else the first active superuser."""
    name = rules.risk_account()
    users = User.objects.filter(is_active=True)
    if name:
        return users.filter(username=name).first()
    return users.filter(is_superuser=True).order_by("pk").first()


def risk_assess(*, actor: User, enterprise: Enterprise) -> RiskAssessment | None:
    """Assess one firm now; its current warning afterwards (None when it is below the threshold)."""
    require(actor, "risk.manage", enterprise)
    _run(actor, Enterprise.objects.filter(pk=enterprise.pk))
    return RiskAssessment.objects.filter(enterprise=enterprise, status__in=CURRENT).first()


def risk_assess_all(*, actor: User | None, scope: Place | None = None) -> RiskRun:
    """Assess every firm of `scope` (all, for the nightly run with actor None): see the module docstring."""
    if actor is not None:
        if scope is None:
            require(actor, "risk.manage")
        else:
            require(actor, "risk.manage", scope)
    firms = Enterprise.objects.all()
    if scope is not None:
        firms = firms.filter(place_path__startswith=scope.path)
    return _run(actor, firms)


@transaction.atomic
def _run(actor: User | None, firms) -> RiskRun:
    from commonground.cases.models import OPEN_STAGES, Category

    today = clock.today()
    weights = rules.risk_weights()
    threshold = rules.risk_threshold()
    run = RiskRun()
    current = {row.enterprise_id: row for row in RiskAssessment.objects.select_for_update(of=("self",)).filter(
        enterprise__in=firms.values("pk"), status__in=CURRENT).select_related("case")}
    operating = firms.filter(status=EnterpriseStatus.ACTIVE)
    signals = risk_signals(operating, today)
    scopes = dict(operating.values_list("pk", "place_path"))
    to_update: list[RiskAssessment] = []
    to_create: list[RiskAssessment] = []
    for enterprise_id, firm_signals in signals.items():
        run.assessed += 1
        score, reasons = risk.assess(firm_signals, weights)
        row = current.get(enterprise_id)
        if score < threshold:
            if row is not None:
                row.status, row.score, row.reasons, row.assessed_on = RiskStatus.CLEARED, score, reasons, today
                to_update.append(row)
                run.cleared += 1
            continue
        if row is None:
            to_create.append(RiskAssessment(enterprise_id=enterprise_id, assessed_on=today, score=score,
                                            reasons=reasons, status=RiskStatus.OPEN,
                                            **scope_columns(RiskAssessment, scopes[enterprise_id])))
            run.opened += 1
            continue
        row.score, row.reasons, row.assessed_on = score, reasons, today
        row.place_path, row.street_path, row.community_path = scope_columns(
            RiskAssessment, scopes[enterprise_id]).values()
        if row.status == RiskStatus.OPEN and row.case is not None and row.case.stage not in OPEN_STAGES:
            row.status = RiskStatus.HANDLED
            run.handled += 1
        to_update.append(row)
        run.updated += 1
    for enterprise_id, row in current.items():  # no longer operating
        if enterprise_id not in signals:
            row.status, row.assessed_on = RiskStatus.CLEARED, today
            to_update.append(row)
            run.cleared += 1
    if to_update:
        RiskAssessment.objects.bulk_update(to_update, ["status", "score", "reasons", "assessed_on", "place_path",
                                                       "street_path", "community_path", "updated_at"])
    if to_create:
        RiskAssessment.objects.bulk_create(to_create)
    # tasks for the open warnings that have none
    needing = list(RiskAssessment.objects.filter(enterprise__in=firms.values("pk"), status=RiskStatus.OPEN,
                                                 case__isnull=True)
                   .select_related("enterprise", "enterprise__building", "enterprise__registered_building")
                   .order_by("-score", "enterprise_id"))
    author = actor or system_actor()
    if needing and author is not None:
        category = Category.objects.filter(code=RETENTION_CATEGORY, is_active=True).first()
        if category is not None:
            for row in needing:
                row.case = _open_task(author, category, row, threshold)
                run.tasks.append(row.case.pk)
            RiskAssessment.objects.bulk_update(needing, ["case", "updated_at"])
    return run


def _open_task(author: User, category, assessment: RiskAssessment, threshold: int):
    from commonground.cases.models import Channel
    from commonground.cases.services.intake import case_report

    enterprise = assessment.enterprise
    place = enterprise.building or enterprise.registered_building
    description = _("Retention warning (安商稳商) for %(name)s (%(code)s): risk score %(score)d, threshold "
                    "%(threshold)d. %(reasons)s Visit the firm, learn what it needs and record the visit.") % {
        "name": enterprise.name, "code": enterprise.credit_code, "score": assessment.score,
        "threshold": threshold,
        "reasons": " ".join(risk.reason_text(reason) for reason in assessment.reasons)}
    return case_report(actor=author, category=category, description=description[:2000], place=place,
                       channel=Channel.STAFF)
