"""Reads of the retention warnings (owned by the profile part); the planner asks which firms are at risk."""

from __future__ import annotations

from collections.abc import Iterable


def enterprises_at_risk(enterprise_ids: Iterable[int]) -> set[int]:
    """Of `enterprise_ids`, those whose open risk assessment scores at or above the threshold (visit them as
    soon as possible)."""
    return set()
