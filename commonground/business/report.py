"""The report's `business` section: each part registers its keys in its own `<part>_report.py`, imported here."""

from __future__ import annotations

from . import stats_report  # noqa: E402, F401
