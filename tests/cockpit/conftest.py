"""Shared fixtures of the cockpit tests."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _english(settings):
    """The cockpit tests read messages and pages in English (the msgids); the crawl and the browser tests read
    them in Chinese."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


# Each part's fixtures live in its own module.
from .dashboards_fixtures import business, dash  # noqa: E402, F401
from .signals_fixtures import signals  # noqa: E402, F401
from .warnings_fixtures import warnings  # noqa: E402, F401
