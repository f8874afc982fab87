"""Writing warnings: raising one (de-duplicated by key, with the rule's cool-down), acknowledging, assigning,
closing, turning one into a case through the case engine's intake, and the scan that runs every rule.

A key has at most one open warning (constraint alert_one_open_per_key); raising a finding whose key is open moves
that warning's last_seen_at (and its evidence) on; a finding whose key's last warning closed less than the rule's
cool-down ago raises nothing. A new warning notifies the street staff of its street and the community workers of
its community (cases' Notification, kind `warning`)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from commonground.cases.models import Case, Category, Channel, NotificationKind
from commonground.cases.services.intake import case_report
from commonground.cases.services.notifications import notify
from commonground.core import clock
from commonground.core.models import RoleAssignment, RoleKind, User
from commonground.core.models.places import scope_columns
from commonground.core.permissions import can, require

from .. import rules
from ..models import Alert, WarningRule, WarningState
from ..models.warnings import OPEN_STATES
from ..warnings import Finding

NOTIFIED_ROLES = {RoleKind.STREET_STAFF: 2, RoleKind.COMMUNITY_WORKER: 3}  # role → path segments of its scope
SEGMENT = 10


def _recipients(place_path: str) -> list[int]:
    """Street staff of the place's street and community workers of its community, in force today."""
    scopes = [(role, place_path[:segments * SEGMENT]) for role, segments in NOTIFIED_ROLES.items()
              if len(place_path) >= segments * SEGMENT]
    if not scopes:
        return []
    condition = Q(pk__in=[])
    for role, path in scopes:
        condition |= Q(role=role, scope__path=path)
    return sorted(set(RoleAssignment.objects.active().filter(condition, user__is_active=True)
                      .values_list("user_id", flat=True)))


@transaction.atomic
def alert_raise(*, finding: Finding) -> tuple[Alert | None, bool]:
    """Raise `finding` (the engine's; no actor): (the warning, True) when new, (the open one, False) when its key
    is open, (None, False) within the cool-down after the key's last warning closed."""
    now = clock.now()
    open_alert = Alert.objects.select_for_update().filter(key=finding.key, state__in=OPEN_STATES).first()
    if open_alert is not None:
        open_alert.last_seen_at = max(open_alert.last_seen_at, now)
        open_alert.evidence = finding.evidence or open_alert.evidence
        if finding.severity > open_alert.severity:
            open_alert.severity = finding.severity
        open_alert.save(update_fields=["last_seen_at", "evidence", "severity", "updated_at"])
        return open_alert, False
    last_closed = (Alert.objects.filter(key=finding.key, closed_at__isnull=False).order_by("-closed_at")
                   .values_list("closed_at", flat=True).first())
    if last_closed is not None and now - last_closed < rules.cooldown(finding.rule):
        return None, False
    try:
        with transaction.atomic():
            alert = Alert.objects.create(
                rule=finding.rule, key=finding.key, severity=finding.severity, title=finding.title[:200],
                place=finding.place, sensor=finding.sensor, began_at=finding.began_at, last_seen_at=now,
                evidence=finding.evidence, **scope_columns(Alert, finding.place.path))
    except IntegrityError:  # another scan raised it meanwhile
        return Alert.objects.get(key=finding.key, state__in=OPEN_STATES), False
    notify(_recipients(alert.place_path), None, NotificationKind.WARNING,
           _("Early warning: %(title)s") % {"title": alert.title})
    return alert, True


def _locked(alert: Alert) -> Alert:
    return Alert.objects.select_for_update(of=("self",)).select_related("place", "case").get(pk=alert.pk)


def _must_be_open(alert: Alert) -> None:
    if alert.state not in OPEN_STATES:
        raise ValidationError({"state": _("This warning is closed or turned into a case already.")})


@transaction.atomic
def alert_acknowledge(*, actor: User, alert: Alert) -> Alert:
    """The actor has seen the warning and looks into it."""
    require(actor, "warning.manage", alert)
    alert = _locked(alert)
    _must_be_open(alert)
    if alert.state == WarningState.OPEN:
        alert.state = WarningState.ACKNOWLEDGED
    alert.handled_by = actor
    alert.save(update_fields=["state", "handled_by", "updated_at"])
    return alert


@transaction.atomic
def alert_assign(*, actor: User, alert: Alert, assignee: User) -> Alert:
    """Give the warning to a colleague who may see and handle it."""
    require(actor, "warning.manage", alert)
    alert = _locked(alert)
    _must_be_open(alert)
    if not assignee.is_active or not can(assignee, "warning.manage", alert):
        raise ValidationError({"assignee": _("Choose someone who may handle warnings at this place.")})
    alert.state, alert.assignee, alert.handled_by = WarningState.ASSIGNED, assignee, actor
    alert.save(update_fields=["state", "assignee", "handled_by", "updated_at"])
    if assignee.pk != actor.pk:
        notify([assignee], None, NotificationKind.WARNING,
               _("A warning was given to you: %(title)s") % {"title": alert.title})
    return alert


@transaction.atomic
def alert_close(*, actor: User, alert: Alert) -> Alert:
    """Nothing more to do: closed (the rule's cool-down starts now)."""
    require(actor, "warning.manage", alert)
    alert = _locked(alert)
    _must_be_open(alert)
    alert.state, alert.closed_at, alert.handled_by = WarningState.CLOSED, clock.now(), actor
    alert.save(update_fields=["state", "closed_at", "handled_by", "updated_at"])
    return alert


DEFAULT_CATEGORY = "early-warning"  # the seed's 驾驶舱预警 / 预警事件, open to staff only
RULE_CATEGORY = {WarningRule.ENTERPRISE_RISK: "enterprise-retention"}


def default_category(alert: Alert) -> Category | None:
    active = Category.objects.filter(is_active=True)
    return (active.filter(code=RULE_CATEGORY.get(alert.rule, DEFAULT_CATEGORY)).first()
            or active.filter(code=DEFAULT_CATEGORY).first())


@transaction.atomic
def alert_to_case(*, actor: User, alert: Alert, category: Category, description: str = "") -> Case:
    """Turn the warning into a case of `category` (the clerk's choice) at the warning's place, recorded by the
    actor; the warning links to the case and is closed by it."""
    require(actor, "warning.manage", alert)
    alert = _locked(alert)
    _must_be_open(alert)
    description = description.strip() or _("From the early warning “%(title)s” (%(rule)s), which began at "
                                           "%(began)s.") % {"title": alert.title, "rule": alert.get_rule_display(),
                                                            "began": timezone.localtime(alert.began_at)
                                                            .strftime("%Y-%m-%d %H:%M")}
    try:
        case = case_report(actor=actor, category=category, description=description, place=alert.place,
                           channel=Channel.STAFF)
    except ValidationError as error:
        raise ValidationError({name if name in ("category", "description") else "category": messages
                               for name, messages in error.message_dict.items()}) from None
    alert.state, alert.case, alert.handled_by, alert.closed_at = WarningState.CASE, case, actor, clock.now()
    alert.save(update_fields=["state", "case", "handled_by", "closed_at", "updated_at"])
    return case


@dataclass
class ScanResult:
    found: int = 0
    raised: int = 0
    kept: int = 0  # open already: last seen moved on
    quiet: int = 0  # within a cool-down
    by_rule: dict[str, int] = field(default_factory=dict)


def rule_modules():
    from ..warnings import anomaly, case_surge, crowding, enterprise_risk, expiry, overdue

    return {WarningRule.CROWDING: crowding, WarningRule.ANOMALY: anomaly, WarningRule.CASE_SURGE: case_surge,
            WarningRule.OVERDUE_PILEUP: overdue, WarningRule.ENTERPRISE_RISK: enterprise_risk,
            WarningRule.EXPIRY: expiry}


def warnings_scan(*, moment: datetime.datetime | None = None, rules_run: list[str] | None = None) -> ScanResult:
    """Run the rules at `moment` (now) and raise what they find. Idempotent: a second run at the same moment
    raises nothing new."""
    moment = moment or clock.now()
    result = ScanResult()
    for rule, module in rule_modules().items():
        if rules_run is not None and rule not in rules_run:
            continue
        findings = module.findings(moment)
        result.by_rule[rule] = len(findings)
        for finding in findings:
            result.found += 1
            alert, created = alert_raise(finding=finding)
            if created:
                result.raised += 1
            elif alert is None:
                result.quiet += 1
            else:
                result.kept += 1
    return result
