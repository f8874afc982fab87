"""Placeholder: the jobs part's models."""

__all__: list[str] = []
