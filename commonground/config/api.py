"""The JSON API under /api/: one NinjaAPI, each app adds its router."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.security import django_auth

from commonground.cases.api import router as cases_router
from commonground.core.api import router as core_router
from commonground.deliberation.api import router as deliberation_router

api = NinjaAPI(title="CommonGround API", version="1", auth=django_auth, urls_namespace="api")
api.add_router("/", core_router)
api.add_router("/", cases_router)
api.add_router("/", deliberation_router)


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    detail = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return api.create_response(request, {"detail": detail}, status=400)


@api.exception_handler(PermissionDenied)
def on_permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc) or "forbidden"}, status=403)


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    """Our 404 messages are written for people ("No such vote."); ninja's default hides them unless DEBUG."""
    return api.create_response(request, {"detail": str(exc) or "Not Found"}, status=404)
