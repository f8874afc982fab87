"""Early warnings (预警): raised by the rules engine from signals and records, de-duplicated by a key with a
cool-down, and then acknowledged, assigned, closed or turned into a case."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from commonground.core.models import Place, TimeStampedModel


class WarningRule(models.TextChoices):
    CROWDING = "crowding", _("crowding above capacity")
    ANOMALY = "anomaly", _("unusual against the usual hour of the week")
    CASE_SURGE = "case_surge", _("surge of a case category")
    OVERDUE_PILEUP = "overdue_pileup", _("overdue cases piling up")
    ENTERPRISE_RISK = "enterprise_risk", _("enterprise at risk of leaving")
    EXPIRY = "expiry", _("term or contract ending")


class Severity(models.IntegerChoices):
    NOTICE = 1, _("notice")
    WARNING = 2, _("warning")
    SERIOUS = 3, _("serious")


class WarningState(models.TextChoices):
    OPEN = "open", _("new")
    ACKNOWLEDGED = "acknowledged", _("acknowledged")
    ASSIGNED = "assigned", _("assigned")
    CASE = "case", _("turned into a case")
    CLOSED = "closed", _("closed")


OPEN_STATES = (WarningState.OPEN, WarningState.ACKNOWLEDGED, WarningState.ASSIGNED)


class Alert(TimeStampedModel):
    """One warning. `key` names what it is about (rule, sensor or place, category…): while a warning with the same
    key is open, or closed less than the rule's cool-down ago, the engine raises no other."""

    rule = models.CharField(_("warning rule"), max_length=20, choices=WarningRule.choices)
    key = models.CharField(max_length=200)
    severity = models.PositiveSmallIntegerField(_("severity"), choices=Severity.choices)
    title = models.CharField(_("warning title"), max_length=200)
    place = models.ForeignKey(Place, verbose_name=_("where the warning is"), on_delete=models.PROTECT,
                              related_name="alerts")
    place_path = models.CharField(max_length=255, editable=False)
    street_path = models.CharField(max_length=255, editable=False, default="")
    sensor = models.ForeignKey("cockpit.Sensor", on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="alerts")
    began_at = models.DateTimeField(_("began at"))  # when what it is about began (the first anomalous hour)
    last_seen_at = models.DateTimeField(_("last seen at"))
    evidence = models.JSONField(default=dict, blank=True)  # the series with the anomaly marked, the figures
    state = models.CharField(_("warning state"), max_length=16, choices=WarningState.choices,
                             default=WarningState.OPEN)
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="assigned_alerts")
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="handled_alerts")
    closed_at = models.DateTimeField(null=True, blank=True)
    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="alert")

    scope_path = "place_path"
    place_path_fields = ("place_path",)
    scope_prefixes = {"street_path": 2}

    class Meta:
        verbose_name = _("early warning")
        ordering = ["-began_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["key"], condition=Q(state__in=OPEN_STATES), name="alert_one_open_per_key"),
        ]
        indexes = [
            models.Index(fields=["place_path", "-began_at"], name="alert_place_began"),
            models.Index(fields=["key", "-closed_at"], name="alert_key_closed"),
            models.Index(fields=["place_path"], condition=Q(state__in=OPEN_STATES), name="alert_open_place"),
        ]

    def __str__(self) -> str:
        return self.title
