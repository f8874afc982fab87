"""Shared fixtures of the business communities tests."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _english(settings):
    """The business tests read messages and pages in English (the msgids); the crawl and the browser tests
    read them in Chinese."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


# Each part's fixtures live in its own module.
from .business_fixtures import business  # noqa: E402, F401
from .planner_fixtures import planning  # noqa: E402, F401
from .policies_fixtures import policies  # noqa: E402, F401
from .profile_fixtures import seeded_categories  # noqa: E402, F401
from .stats_fixtures import stats_data  # noqa: E402, F401
from .visits_fixtures import demand_categories, visit_plan  # noqa: E402, F401
