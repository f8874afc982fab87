"""Sensors and a year of hourly readings for the demo."""

from __future__ import annotations


def build(ctx) -> None:
    """(filled by the signals part)"""
