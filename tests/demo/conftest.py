"""The demo district, built once for the whole tests/demo package and rolled back after it (building it
is the slowest thing the suite does). The sample ballot scan goes to a temporary MEDIA_ROOT."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import override_settings

from commonground.core import clock
from commonground.demo.builder import build_demo

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="package")
def demo_built(django_db_setup, django_db_blocker, tmp_path_factory):
    """(the demo context, its MEDIA_ROOT)."""
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS, MEDIA_ROOT=str(media)), \
            transaction.atomic():
        clock.forget()
        yield build_demo(progress=False), media
        transaction.set_rollback(True)
    clock.forget()
