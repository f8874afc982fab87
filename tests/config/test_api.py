"""The JSON API as a whole: every answer JSON (errors, an unknown path, a failure), one error shape, and the
error answers documented on every operation without anyone adding them."""

from __future__ import annotations

import logging

import pytest
from django.test import Client, RequestFactory
from ninja import Router

from commonground.cases import api as cases_api
from commonground.config import urls
from commonground.config.api import CommonGroundAPI
from commonground.core.models import RoleKind

ERROR = {"$ref": "#/components/schemas/ErrorOut"}


@pytest.fixture
def worker_client(tree, make_user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en", raise_request_exception=False)
    client.force_login(make_user(RoleKind.COMMUNITY_WORKER, tree.community))
    return client


def test_openapi__every_operation__documents_its_errors_with_one_schema(client):
    schema = client.get("/api/openapi.json").json()
    operations = [operation for path in schema["paths"].values() for operation in path.values()]
    assert len(operations) > 30
    for operation in operations:
        errors = {status: answer["content"]["application/json"]["schema"]
                  for status, answer in operation["responses"].items() if int(status) >= 400}
        assert {"400", "401", "403", "404", "422"} <= set(errors), operation["operationId"]
        assert all(answer == ERROR for answer in errors.values()), operation["operationId"]
    assert schema["components"]["schemas"]["ErrorOut"]["required"] == ["detail"]


def test_openapi__a_new_endpoint__documented_without_anyone_adding_it():
    router = Router()

    @router.get("/ping")
    def ping(request) -> str:
        return "pong"

    api = CommonGroundAPI(urls_namespace="test-new-endpoint")
    api.add_router("/", router)
    responses = api.get_openapi_schema(path_prefix="")["paths"]["/ping"]["get"]["responses"]
    assert sorted(responses) == [200, 400, 403, 404, 422]  # no auth on this api, so no 401


def test_openapi__report__has_a_response_schema(client):
    ok = client.get("/api/openapi.json").json()["paths"]["/api/report"]["get"]["responses"]["200"]
    assert ok["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ReportOut"}


def test_schema_error__422_messages_by_field(worker_client):
    response = worker_client.get("/api/votes", {"page": "0", "page_size": "1000"})
    assert response.status_code == 422
    assert response.json() == {"detail": {"page": ["Input should be greater than or equal to 1"],
                                          "page_size": ["Input should be less than or equal to 200"]}}


def test_unknown_api_path__json_404(worker_client):
    for path in ("/api/nothing", "/api/votes/abc", "/api/votes/-1"):
        response = worker_client.get(path)
        assert (response.status_code, response.json()) == (404, {"detail": "There is no such API path."}), path


def test_unexpected_failure__json_500_logged_no_traceback(worker_client, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("the queue is broken")

    monkeypatch.setattr(cases_api, "case_queue", broken)
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = worker_client.get("/api/cases")
    assert (response.status_code, response["Content-Type"]) == (500, "application/json; charset=utf-8")
    assert response.json() == {"detail": "Something went wrong on our side; it has been logged."}
    assert "Traceback" not in response.content.decode() and "RuntimeError" not in response.content.decode()
    [record] = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert (record.getMessage(), record.exc_info[0]) == ("Internal Server Error: /api/cases", RuntimeError)


@pytest.mark.parametrize(("path", "content_type"), [("/api/votes", "application/json"),
                                                    ("/places/", "text/html; charset=utf-8")])
def test_server_error_outside_the_api_handlers__json_under_api_only(db, path, content_type):
    response = urls.server_error(RequestFactory().get(path))
    assert (response.status_code, response["Content-Type"]) == (500, content_type)
