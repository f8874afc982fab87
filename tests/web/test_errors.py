"""Error pages: branded, in the user's language, and a 500 never shows a traceback."""

from __future__ import annotations

import pytest


@pytest.fixture
def failing_client(client, settings):
    settings.ROOT_URLCONF = "tests.web.boom_urls"
    client.raise_request_exception = False
    return client


@pytest.mark.parametrize(("language", "heading"), [("zh-hans", "出错了"), ("en", "Something went wrong")])
def test_server_error__branded_page_in_the_users_language(failing_client, db, language, heading):
    response = failing_client.get("/boom/", HTTP_ACCEPT_LANGUAGE=language)
    body = response.content.decode()
    assert response.status_code == 500
    assert heading in body
    assert 'class="brand"' in body
    assert "Traceback" not in body and "RuntimeError" not in body
