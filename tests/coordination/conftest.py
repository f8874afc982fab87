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


# Estate profiles: the `estates` fixture (tests/coordination/profile_fixtures.py).
from .profile_fixtures import estates  # noqa: E402, F401
# Property-service evaluation: its fixture lives in evaluation_fixtures.py.
from .evaluation_fixtures import evaluation  # noqa: E402, F401
# The micro-governance fund's fixtures (fund part).
from tests.coordination.fund_fixtures import fund_world  # noqa: E402, F401
