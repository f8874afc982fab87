"""Shared fixtures of the coordination tests."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _english(settings):
    """The coordination tests read messages and pages in English (the msgids); the crawl and the browser tests
    read them in Chinese."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


# Each part's fixtures live in its own module.
from .evaluation_fixtures import evaluation  # noqa: E402, F401
from .fund_fixtures import fund_world  # noqa: E402, F401
from .profile_fixtures import estates  # noqa: E402, F401
