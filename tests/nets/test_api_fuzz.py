"""schemathesis over /api/openapi.json, in-process against the WSGI app, as a resident, a community worker, a
district officer and an anonymous caller: for every operation the schema lists (so a new endpoint is fuzzed
without anyone adding it), generated valid and invalid requests, some aimed at rows that exist, and the edge
cases of edges.py. Every answer must be no 5xx, a status the operation documents, and a body (and content
type) that matches the documented schema."""

from __future__ import annotations

import hypothesis.strategies as st
import pytest
import schemathesis
from hypothesis import given
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from commonground.config.wsgi import application

from .conftest import CSRF_TOKEN, EXAMPLES, Tally, each, fuzz_settings, session_cookies
from .edges import edge_requests

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
pytestmark = pytest.mark.fuzz


def strategies(operation, known: dict[str, list]) -> list:
    """Valid and invalid requests; valid ones again with each path parameter set to a row that exists."""
    path_names = {parameter.name for parameter in operation.path_parameters}
    found = [operation.as_strategy(generation_mode=mode) for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)]
    found += [operation.as_strategy(path_parameters=values)
              for values in each({name: known[name] for name in path_names if name in known})]
    return found


@pytest.mark.parametrize("role", ["resident", "worker", "district", "anonymous"])
def test_api__fuzzed_as_role__no_5xx_and_answers_match_the_schema(world, role):
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)
    cookies, headers = session_cookies(world.users[role]), {"X-CSRFToken": CSRF_TOKEN}
    tally = Tally(f"api as {role}")
    examples = EXAMPLES if role != "anonymous" else max(2, EXAMPLES // 4)  # every answer is the same 401

    for result in schema.get_all_operations():
        operation = result.ok()
        tally.operations.append(operation.label)

        @fuzz_settings(max_examples=examples)
        @given(case=st.one_of(strategies(operation, world.known)))
        def fuzz(case):
            tally.requests += 1
            response = case.call(headers=headers, cookies=cookies)
            case.validate_response(response, checks=CHECKS)

        try:
            fuzz()
        except (Exception, BaseExceptionGroup) as failure:  # noqa: B036 - schemathesis reports a group
            tally.fail(operation.label, failure)
        edges = edge_requests(operation, schema.raw_schema, plausible=world.plausible, known=world.known)
        for case in edges if world.users[role] is not None else ():  # a caller never logged in gets 401 only
            tally.requests += 1
            try:
                case.validate_response(case.call(headers=headers, cookies=cookies), checks=CHECKS)
            except (Exception, BaseExceptionGroup) as failure:  # noqa: B036
                tally.fail(operation.label, failure)

    summary = tally.finish()
    assert len(tally.operations) > 0, summary
    assert tally.failures == {}, tally.report()
