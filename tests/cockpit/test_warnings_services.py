"""The warning services: raising (dedupe by key, cool-down, notifications), acknowledge, assign, close, turn into a
case, their permissions, and the scan task."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import translation

from commonground.cases.models import Notification, NotificationKind
from commonground.cockpit.models import Alert, VitalityDay, WarningState
from commonground.cockpit.services.warnings import (
    alert_acknowledge,
    alert_assign,
    alert_close,
    alert_raise,
    alert_to_case,
    default_category,
    warnings_scan,
)
from commonground.cockpit.tasks import scan_warnings_task
from commonground.core import clock
from commonground.core.models import RoleKind

from .signals_fixtures import NOW
from .warnings_fixtures import feed, finding


def test_alert_raise__new_key__open_warning_and_the_street_and_community_told(warnings):
    s = warnings.s
    alert = warnings.alert
    assert (alert.state, alert.rule, alert.street_path, alert.sensor) == (
        WarningState.OPEN, "anomaly", s.tree.street.path, s.gate)
    told = set(Notification.objects.filter(kind=NotificationKind.WARNING).values_list("user_id", flat=True))
    assert told == {s.staff.pk, s.worker.pk, s.far_staff.pk}  # far_staff: told of the far warning
    assert Notification.objects.filter(kind=NotificationKind.WARNING, user=s.far_staff).count() == 1


def test_alert_raise__key_open__same_warning_last_seen_moves_no_new_notice(warnings):
    s = warnings.s
    with clock.frozen_at(NOW + datetime.timedelta(hours=3)):
        alert, created = alert_raise(finding=finding(s.gate.place, key=f"anomaly:{s.gate.pk}", severity=3))
    assert (alert.pk, created, alert.severity) == (warnings.alert.pk, False, 3)
    assert alert.last_seen_at == NOW + datetime.timedelta(hours=3)
    assert Alert.objects.count() == 2
    assert Notification.objects.filter(user=s.staff, kind=NotificationKind.WARNING).count() == 1


def test_alert_raise__within_cool_down_after_close__nothing_then_after__a_new_one(warnings):
    s = warnings.s
    with clock.frozen_at(NOW):
        alert_close(actor=s.staff, alert=warnings.alert)
    key = f"anomaly:{s.gate.pk}"
    with clock.frozen_at(NOW + datetime.timedelta(hours=23)):
        assert alert_raise(finding=finding(s.gate.place, key=key)) == (None, False)
    assert Alert.objects.filter(key=key).count() == 1
    with clock.frozen_at(NOW + datetime.timedelta(hours=25)):
        alert, created = alert_raise(finding=finding(s.gate.place, key=key))
    assert created and alert.pk != warnings.alert.pk
    assert Alert.objects.filter(key=key, state=WarningState.OPEN).count() == 1


def test_alert_acknowledge__staff__acknowledged(warnings):
    alert = alert_acknowledge(actor=warnings.s.worker, alert=warnings.alert)
    assert (alert.state, alert.handled_by) == (WarningState.ACKNOWLEDGED, warnings.s.worker)


def test_alert_acknowledge__other_streets_staff__refused_nothing_written(warnings, nothing_written):
    with nothing_written(), pytest.raises(PermissionDenied):
        alert_acknowledge(actor=warnings.s.far_staff, alert=warnings.alert)


def test_alert_assign__colleague_of_the_street__assigned_and_told(warnings):
    s = warnings.s
    alert = alert_assign(actor=s.staff, alert=warnings.alert, assignee=s.worker)
    assert (alert.state, alert.assignee) == (WarningState.ASSIGNED, s.worker)
    assert Notification.objects.filter(user=s.worker, kind=NotificationKind.WARNING).count() == 2


def test_alert_assign__someone_of_another_street__refused_nothing_written(warnings, nothing_written):
    with nothing_written(), pytest.raises(ValidationError) as error:
        alert_assign(actor=warnings.s.staff, alert=warnings.alert, assignee=warnings.s.far_staff)
    assert list(error.value.message_dict) == ["assignee"]


def test_alert_close__closed_twice__refused(warnings, nothing_written):
    with clock.frozen_at(NOW):
        alert = alert_close(actor=warnings.s.staff, alert=warnings.alert)
    assert (alert.state, alert.closed_at) == (WarningState.CLOSED, NOW)
    with nothing_written(), pytest.raises(ValidationError):
        alert_close(actor=warnings.s.staff, alert=warnings.alert)


def test_alert_to_case__staff__case_at_the_place_linked_back(warnings):
    s = warnings.s
    assert default_category(warnings.alert) == warnings.category
    case = alert_to_case(actor=s.staff, alert=warnings.alert, category=warnings.category)
    alert = Alert.objects.get(pk=warnings.alert.pk)
    assert (alert.state, alert.case, case.place, case.category) == (
        WarningState.CASE, case, s.gate.place, warnings.category)
    assert case.alert == alert
    assert "小区大门" in case.description


def test_alert_to_case__grid_worker__refused_nothing_written(warnings, make_user, nothing_written):
    grid = make_user(RoleKind.GRID_WORKER, warnings.s.tree.community)
    with nothing_written(), pytest.raises(PermissionDenied):
        alert_to_case(actor=grid, alert=warnings.alert, category=warnings.category)


def test_warnings_scan__twice_at_the_same_moment__raises_once(signals):
    feed(signals, signals.gate, [300, 520, 480])
    first = warnings_scan(moment=clock.now())
    second = warnings_scan(moment=clock.now())
    assert (first.raised, second.raised, second.kept) == (1, 0, 1)
    assert Alert.objects.filter(rule="crowding").count() == 1


def test_scan_warnings_task__runs_every_rule__counts(signals):
    feed(signals, signals.gate, [300, 520, 480])
    assert scan_warnings_task() == {"found": 1, "raised": 1, "kept": 0, "quiet": 0}
    assert scan_warnings_task() == {"found": 1, "raised": 0, "kept": 1, "quiet": 0}


def test_tick__without_a_broker__scans_once_then_the_daily_run_computes_the_index(signals, capsys):
    feed(signals, signals.gate, [300, 520, 480])
    with translation.override("en"):
        call_command("tick")
        assert "Early warnings: 1 raised." in capsys.readouterr().out
        assert Alert.objects.filter(rule="crowding").count() == 1
        assert not VitalityDay.objects.exists()
        call_command("tick", "--digests")
        assert "Vitality index:" in capsys.readouterr().out
        assert VitalityDay.objects.filter(day=clock.today()).exists()
        computed = list(VitalityDay.objects.values_list("pk", "computed_at"))
        call_command("tick", "--digests")
        assert "Early warnings" not in capsys.readouterr().out
        assert list(VitalityDay.objects.values_list("pk", "computed_at")) == computed  # unchanged: not rewritten
    assert Alert.objects.filter(rule="crowding").count() == 1
