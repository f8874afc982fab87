"""Helpers the `import` and `export` management commands share."""

from __future__ import annotations

from typing import IO, Any

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from tqdm import tqdm

from .results import ProgressFactory


def find_user(username: str | None) -> Any:
    """The user to act as, or None (the system) when no name is given."""
    if not username:
        return None
    try:
        return get_user_model().objects.get(username=username)
    except get_user_model().DoesNotExist:
        raise CommandError(_("No user is called “%(name)s”.") % {"name": username}) from None


def tqdm_progress(stream: IO[str]) -> ProgressFactory:
    """Progress bars on `stream` (standard error), one per stage."""

    def progress(*, desc: str, total: int) -> tqdm:
        return tqdm(desc=desc, total=total, file=stream, unit=_("row"), leave=False)

    return progress
