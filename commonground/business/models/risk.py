"""Retention warnings (安商稳商): risk assessments with their reasons. Owned by the profile part."""

__all__: list[str] = []
