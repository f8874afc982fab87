"""A property-based fuzzer for Open311 GeoReport v2 (it has no OpenAPI schema to give schemathesis): every route of
open311/urls.py (so a new resource is fuzzed without anyone adding it), in both formats and a few wrong ones,
by GET and POST, with the spec's parameters drawn from values that exist, values at the edges and random text,
anonymously and through clients acting as the public, as a community worker, with a retired key or a stolen one.

Every answer must be: no 5xx; a status the spec uses (200, 400, 403, 404, 405, and 429 for a locked-out
address); the format's content type; a well-formed body; and every error in the spec's list shape, its code
equal to the status."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import hypothesis.strategies as st
import pytest
from django.test import Client
from django.urls import URLPattern, reverse
from hypothesis import given

from commonground.cases.models import ApiClient
from commonground.cases.open311 import urls as open311_urls

from .conftest import EXAMPLES, Tally, fuzz_settings

pytestmark = pytest.mark.fuzz
STATUSES = {200, 400, 403, 404, 405, 429}
CONTENT_TYPES = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}
ROUTES = [pattern for pattern in open311_urls.urlpatterns if isinstance(pattern, URLPattern) and pattern.name]
# Values at the edges of what each parameter means: calendar ends, overflowing numbers, what XML forbids.
EDGES = ["", "0", "-1", "1e16", "-1.4469813660243294e16", "NaN", "Infinity", "0001-01-01", "9999-12-31",
         "0001-01-01T00:00:00+12:00", "9999-12-31T23:00:00-12:00", "2024-02-30", "\x00", "\uffff", "\ufffe",
         "x" * 5000, "a,b,,c", "open,closed"]
PARAMETERS = ["jurisdiction_id", "api_key", "service_code", "service_request_id", "start_date", "end_date", "status",
              "lat", "long", "address_string", "address_id", "description", "first_name", "last_name", "phone",
              "email", "media_url", "device_id", "account_id", "attribute[lift_number]", "attribute[people_trapped]"]
# Text a URL or a form can carry (a lone surrogate cannot be encoded in UTF-8).
TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=40)
Request = tuple[str, str, str, dict[str, str]]  # method, path, format asked, parameters


@pytest.fixture
def open311_world(world, tree, categories, settings):
    """The API fuzzers' world, plus the clients an api_key can name. The fuzzer guesses keys all the time: the
    lockout for guessing (tested on its own) would soon answer nothing but 429, so it is off here."""
    settings.AXES_ENABLED = False
    ApiClient.objects.create(name="市民App", api_key="key-public")
    ApiClient.objects.create(name="社区工作台", api_key="key-worker", user=world.users["worker"])
    ApiClient.objects.create(name="旧系统", api_key="key-retired", is_active=False)
    return {
        "path": {"code": [c.code for c in categories.values()], "number": world.known["number"],
                 "token": world.known["number"]},
        "parameters": {
            "jurisdiction_id": [tree.district.code, "310000"],
            "api_key": ["key-public", "key-worker", "key-retired", "stolen"],
            "service_code": [c.code for c in categories.values()], "service_request_id": world.known["number"],
            "start_date": ["2024-01-01", "2024-01-01T08:00:00+08:00"], "end_date": ["2024-03-01"],
            "status": ["open", "closed"], "lat": ["30.280090"], "long": ["120.160090"],
            "address_id": [tree.building.code], "address_string": [tree.building.name],
            "description": ["楼道口垃圾三天没人清理"], "phone": ["13900000009"], "email": ["a@example.org"],
            "attribute[lift_number]": ["1号梯"], "attribute[people_trapped]": ["false"],
        },
    }


def values_for(known: list[Any]) -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from([str(v) for v in known] or [""]), st.sampled_from(EDGES), TEXT)


@st.composite
def open311_requests(draw, route: URLPattern, known: dict[str, Any]) -> Request:
    """One request to `route`, anything from plausible to junk."""
    fmt = draw(st.sampled_from(["json", "xml", "json", "xml", "csv", "JSON"]))
    kwargs = {"fmt": fmt}
    for group in route.pattern.regex.groupindex:
        if group != "fmt":
            kwargs[group] = draw(st.one_of(st.sampled_from(known["path"].get(group) or ["x"]),
                                           st.from_regex(r"[-\w]{1,30}", fullmatch=True)))
    names = draw(st.lists(st.sampled_from(PARAMETERS), max_size=8, unique=True))
    parameters = {name: draw(values_for(known["parameters"].get(name, []))) for name in names}
    method = draw(st.sampled_from(["GET", "POST"]))
    return method, reverse(f"open311:{route.name}", kwargs=kwargs), fmt, parameters


def first_path(route: URLPattern, known: dict[str, Any]) -> dict[str, str]:
    """The route's path arguments: rows that exist, in JSON."""
    return {**{group: (known["path"].get(group) or ["x"])[0] for group in route.pattern.regex.groupindex},
            "fmt": "json"}


def edge_requests(route: URLPattern, known: dict[str, Any], *, posts: bool) -> Iterator[Request]:
    """Every parameter at every edge, once: alone by GET (nothing else to mask it, such as a start_date next to an
    end_date), and by POST next to values that exist (so intake gets as far as the edge); in XML, the edges of
    what a document echoes."""
    kwargs = first_path(route, known)
    json_path = reverse(f"open311:{route.name}", kwargs=kwargs)
    xml_path = reverse(f"open311:{route.name}", kwargs={**kwargs, "fmt": "xml"})
    plausible = {name: str(values[0]) for name, values in known["parameters"].items()
                 if name not in ("api_key", "service_request_id", "jurisdiction_id")}
    yield "GET", json_path, "json", {}
    for name in PARAMETERS:
        for edge in EDGES:
            yield "GET", json_path, "json", {name: edge}
            if posts:
                yield "POST", json_path, "json", {**plausible, "api_key": "key-worker", name: edge}
    for name in ("jurisdiction_id", "service_request_id", "service_code"):
        for edge in EDGES:
            yield "GET", xml_path, "xml", {name: edge}


def check(client: Client, method: str, path: str, fmt: str, parameters: dict[str, str]) -> None:
    if method == "GET":
        response = client.get(path + ("?" + urlencode(parameters) if parameters else ""))
    else:
        response = client.post(path, urlencode(parameters), content_type="application/x-www-form-urlencoded")
    where = f"{method} {path} {parameters!r}"
    assert response.status_code < 500, f"{response.status_code} for {where}"
    assert response.status_code in STATUSES, f"{response.status_code} (not in the spec) for {where}"
    answered = fmt if fmt in CONTENT_TYPES else "json"
    assert response["Content-Type"] == CONTENT_TYPES[answered], f"{response['Content-Type']} for {where}"
    if answered == "json":
        body = json.loads(response.content)
        if response.status_code >= 400:
            assert body and all(set(e) == {"code", "description"} and e["code"] == response.status_code
                                for e in body), f"{body!r} is not the spec's error list, for {where}"
    else:
        try:
            root = ET.fromstring(response.content)
        except ET.ParseError as error:
            raise AssertionError(f"XML not well-formed ({error}) for {where}") from None
        if response.status_code >= 400:
            assert root.tag == "errors" and all(
                e.findtext("code") == str(response.status_code) for e in root.findall("error")), where
        else:
            assert root.tag != "errors", where


def test_open311__fuzzed__no_5xx_and_answers_in_the_spec(open311_world):
    client = Client(HTTP_ACCEPT_LANGUAGE="en", raise_request_exception=False)
    tally = Tally("open311")
    for route in ROUTES:
        tally.operations.append(route.name)

        @fuzz_settings(max_examples=EXAMPLES * 3)
        @given(request=open311_requests(route, open311_world))
        def fuzz(request):
            tally.requests += 1
            check(client, *request)

        try:
            fuzz()
        except (Exception, BaseExceptionGroup) as failure:  # noqa: B036
            tally.fail(route.name, failure)
        posts = client.post(reverse(f"open311:{route.name}", kwargs=first_path(route, open311_world))).status_code
        for request in edge_requests(route, open311_world, posts=posts != 405):
            tally.requests += 1
            try:
                check(client, *request)
            except Exception as failure:  # noqa: BLE001 - keep going: report every edge that fails
                tally.fail(route.name, failure)

    summary = tally.finish()
    assert len(tally.operations) > 0, summary
    assert tally.failures == {}, tally.report()
