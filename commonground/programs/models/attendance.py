"""Placeholder: the attendance part's models."""

__all__: list[str] = []
