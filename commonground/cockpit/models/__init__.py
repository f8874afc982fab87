from .signals import (
    AVERAGED_KINDS,
    ROLLUPS,
    BadRows,
    Reading,
    Sensor,
    SensorDay,
    SignalKind,
    SignalSource,
    UnitDay,
    UnitHour,
    unit_path,
)
from .vitality import VitalityDay
from .warnings import OPEN_STATES, Alert, Severity, WarningRule, WarningState

__all__ = ["AVERAGED_KINDS", "OPEN_STATES", "ROLLUPS", "Alert", "BadRows", "Reading", "Sensor", "SensorDay",
           "Severity", "SignalKind", "SignalSource", "UnitDay", "UnitHour", "VitalityDay", "WarningRule",
           "WarningState", "unit_path"]
