"""Shared fixtures of the programmes tests."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _english(settings):
    """The programmes tests read messages and pages in English (the msgids); the crawl and the browser tests
    read them in Chinese."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


# Each part's fixtures live in its own module.
from .activities_fixtures import family  # noqa: E402, F401
from .activity_fixtures import programme  # noqa: E402, F401
from .attendance_fixtures import course  # noqa: E402, F401
from .groups_fixtures import couriers  # noqa: E402, F401
from .jobs_fixtures import jobs  # noqa: E402, F401
