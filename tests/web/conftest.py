"""The cases' and deliberation's fixtures, for the browser tests that walk every app's pages."""

from __future__ import annotations

from tests.cases.conftest import categories, located  # noqa: F401
from tests.deliberation.conftest import (  # noqa: F401
    clerk,
    meeting_world,
    open_election,
    open_vote,
    owner_user,
    plan_meeting,
    register,
)
