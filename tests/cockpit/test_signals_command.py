"""`commonground signals --check | --rebuild`."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from commonground.cockpit.models import SensorDay
from commonground.cockpit.services.signals import readings_ingest

from .signals_fixtures import hour


def test_signals_check__rollups_agree__says_so(signals, capsys):
    readings_ingest(source=signals.source, rows=[(1, "G-1", hour(5, 8), 3)])
    call_command("signals", "--check")
    assert capsys.readouterr().out.strip() == "The signal roll-ups equal a recount of the readings."


def test_signals_check__rollup_off__fails_and_rebuild_repairs(signals, capsys):
    readings_ingest(source=signals.source, rows=[(1, "G-1", hour(5, 8), 3), (2, "F-1", hour(5, 8), 4)])
    SensorDay.objects.filter(sensor=signals.gate).update(total=99)
    with pytest.raises(CommandError, match="sensorday 1, unithour 0, unitday 0"):
        call_command("signals", "--check")
    call_command("signals", "--rebuild")
    assert SensorDay.objects.get(sensor=signals.gate).total == 3
    call_command("signals")
