"""The JSON API under /api/: one NinjaAPI, each app adds its router.

Every answer is JSON, errors included: `{"detail": message}` or `{"detail": {field: [messages]}}` (core's
ErrorOut) for a refused request (400: the services said no; 422: the request does not fit the schema),
401/403/404, a malformed body (400) and an unexpected failure (500, logged, no traceback in the body). The
OpenAPI schema documents these answers on every operation, so a new endpoint is documented without anyone
adding it.
"""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, UnreadablePostError
from django.http.multipartparser import MultiPartParserError
from django.utils.log import log_response
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import ValidationError as SchemaError
from ninja.openapi.schema import OpenAPISchema
from ninja.parser import Parser
from ninja.security import django_auth

from commonground.business.api import router as business_router
from commonground.cases.api import router as cases_router
from commonground.cockpit.api import cockpit_router, signals_router
from commonground.coordination.api import router as coordination_router
from commonground.core.api import router as core_router
from commonground.core.api_types import ErrorOut
from commonground.core.text import clean_text, has_unwanted
from commonground.deliberation.api import router as deliberation_router
from commonground.programs.api import router as programs_router
from commonground.renewal.api import router as renewal_router

ERROR_SCHEMA = "ErrorOut"
ERROR_RESPONSES = {
    400: "The request was refused: `detail` says why, by field where one is at fault.",
    403: "The caller may see this but may not do it.",
    404: "There is no such thing, or the caller may not see it.",
    422: "The request does not fit this schema: `detail` names each parameter or field at fault.",
}
UNAUTHENTICATED = {401: "Log in first (a session cookie)."}


def _cleaned(value: Any) -> Any:
    """Every string of a parsed body or query without what no person types (control characters, lone
    surrogates, U+FFFE/U+FFFF): they break the database (NUL, surrogates) and every feed that echoes them."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list):
        return [_cleaned(item) for item in value]
    if isinstance(value, dict):
        return {_cleaned(key): _cleaned(item) for key, item in value.items()}
    return value


# A JSON escape that may decode to a character clean_text drops (some harmless ones too, e.g. \u000a).
ESCAPED_UNWANTED = re.compile(r"\\u(?:00[01]|007f|00[89]|d[89a-f]|fff[ef])", re.IGNORECASE)


def may_hold_unwanted(body: bytes) -> bool:
    """Whether a JSON body may decode to text holding a character clean_text drops: one regex scan of the
    raw text, so that a large clean batch (a sensor's readings) is not walked string by string."""
    try:
        text = body.decode()
    except UnicodeDecodeError:
        return True
    return has_unwanted(text) or ESCAPED_UNWANTED.search(text) is not None


class CleanParser(Parser):
    """JSON bodies and query strings, cleaned at the edge so no handler sees a character it cannot store."""

    def parse_body(self, request: HttpRequest) -> Any:
        parsed = super().parse_body(request)
        return _cleaned(parsed) if may_hold_unwanted(request.body) else parsed

    def parse_querydict(self, data: Any, list_fields: list[str], request: HttpRequest) -> Any:
        return _cleaned(super().parse_querydict(data, list_fields, request))


class CommonGroundAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix: str | None = None,
                           path_params: dict[str, Any] | None = None) -> OpenAPISchema:
        return document_errors(super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params))


def document_errors(schema: OpenAPISchema) -> OpenAPISchema:
    """Add the error answers, with the one error schema, to every operation that does not name its own."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components[ERROR_SCHEMA] = ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
    content = {"application/json": {"schema": {"$ref": f"#/components/schemas/{ERROR_SCHEMA}"}}}
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            errors = {**ERROR_RESPONSES, **(UNAUTHENTICATED if operation.get("security") else {})}
            responses = operation.setdefault("responses", {})
            for status, description in errors.items():
                if status not in responses and str(status) not in responses:
                    responses[status] = {"description": description, "content": content}
    return schema


api = CommonGroundAPI(title="CommonGround API", version="1", auth=django_auth, urls_namespace="api",
                      parser=CleanParser())
api.add_router("/", core_router)
api.add_router("/", cases_router)
api.add_router("/", deliberation_router)
api.add_router("/renewal/", renewal_router)
api.add_router("/coordination/", coordination_router)
api.add_router("/programs/", programs_router)
api.add_router("/business/", business_router)
api.add_router("/signals/", signals_router)
api.add_router("/cockpit/", cockpit_router)


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    detail = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return api.create_response(request, {"detail": detail}, status=400)


def _field(location: tuple[Any, ...] | list[Any]) -> str:
    """("body", "payload", "contact", "phone") → "contact.phone"; ("query", "page") → "page"."""
    parts = [str(part) for part in location]
    parts = parts[2:] if parts[:1] == ["body"] else parts[1:]
    return ".".join(parts) or "__all__"


@api.exception_handler(SchemaError)
def on_schema_error(request: HttpRequest, exc: SchemaError) -> HttpResponse:
    """The request does not fit the schema: 422 with messages by field, in the shape of every other error."""
    detail: dict[str, list[str]] = {}
    for error in exc.errors:
        message = str(error.get("msg", "")).removeprefix("Value error, ")
        detail.setdefault(_field(error.get("loc", ())), []).append(message)
    return api.create_response(request, {"detail": detail}, status=422)


@api.exception_handler(PermissionDenied)
def on_permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc) or "forbidden"}, status=403)


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    """Our 404 messages are written for people ("No such vote."); ninja's default hides them unless DEBUG."""
    return api.create_response(request, {"detail": str(exc) or "Not Found"}, status=404)


def on_malformed_request(request: HttpRequest, exc: Exception) -> HttpResponse:
    """A body Django cannot read (multipart without a boundary, too many fields, too large)."""
    return api.create_response(request, {"detail": _("The request body cannot be read.")}, status=400)


for malformed in (MultiPartParserError, UnreadablePostError, BadRequest, SuspiciousOperation):
    api.add_exception_handler(malformed, on_malformed_request)


@api.exception_handler(Exception)
def on_server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    """A defect: logged once with its traceback as Django logs any 500, answered in JSON without it."""
    response = api.create_response(request, {"detail": _("Something went wrong on our side; it has been logged.")},
                                   status=500)
    log_response("Internal Server Error: %s", request.path, response=response, request=request, exception=exc)
    return response


def not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    """Any path under /api/ that names no operation."""
    return JsonResponse({"detail": _("There is no such API path.")}, status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 of a failure outside the API's handlers (a middleware), in JSON for /api/ paths."""
    return JsonResponse({"detail": _("Something went wrong on our side; it has been logged.")}, status=500)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    return JsonResponse({"detail": _("The request cannot be read.")}, status=400)
