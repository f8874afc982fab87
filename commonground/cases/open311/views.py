"""GeoReport v2 endpoints: plain Django views, each thin over the selectors and the intake service.

Reads: anyone may call them; an api_key (optional, but must be valid when sent) lets a client read
what the user it acts as may view. Without one (or with a client acting as nobody), services are the
active categories open to the public, requests are those in categories open to the public, and
free-text handling notes and uploaded photos are left out. Contact data is never sent.
POST requests needs an api_key; the case is reported as the client's user, or as the public.
device_id is accepted and not kept; account_id is echoed back.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation, ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict, UnreadablePostError
from django.http.multipartparser import MultiPartParserError
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from commonground.core.place_cache import top_place
from commonground.core.text import clean_text
from commonground.core.throttle import API_KEY_LABEL, secret_allowed, secret_failed

from ..models import ApiClient, Channel
from ..services.intake import case_report_once
from . import serializers
from .params import error_descriptions, report_arguments, request_filters
from .render import FORMATS, Open311Error, render, render_errors
from .selectors import client_for, filter_requests, requests_for, services_for

View = Callable[..., HttpResponse]
MALFORMED = (MultiPartParserError, UnreadablePostError, BadRequest, SuspiciousOperation)


def _cleaned(data: QueryDict) -> QueryDict:
    """Parameters without what no person types: NUL breaks PostgreSQL queries, U+FFFF the XML we echo it in."""
    cleaned = QueryDict(mutable=True)
    for key, values in data.lists():
        cleaned.setlist(clean_text(key), [clean_text(value) for value in values])
    cleaned._mutable = False
    return cleaned


def endpoint(*methods: str) -> Callable[[View], View]:
    """Checks the format (unknown → 404), the method and jurisdiction_id, cleans the parameters, and turns
    Open311Error (and a body Django cannot read) into the spec's error list. API-key clients send no cookies,
    so there is no CSRF to check."""

    def decorate(view: View) -> View:
        @csrf_exempt
        @wraps(view)
        def wrapper(request: HttpRequest, *args, fmt: str, **kwargs) -> HttpResponse:
            if fmt not in FORMATS:
                return render_errors("json", 404, [_("Unknown format %(format)s; use json or xml.")
                                                   % {"format": fmt}])
            if request.method not in methods:
                response = render_errors(fmt, 405, [_("Use %(methods)s here.") % {"methods": " or ".join(methods)}])
                response["Allow"] = ", ".join(methods)
                return response
            try:
                _check_jurisdiction(request)  # on the parameter as sent: U+FFFF is not our jurisdiction either
                request.GET = _cleaned(request.GET)
                if request.method == "POST":
                    request.POST = _cleaned(request.POST)
            except MALFORMED:
                return render_errors(fmt, 400, [_("The request body cannot be read.")])
            except Open311Error as error:
                return render_errors(fmt, error.status, error.descriptions)
            try:
                return view(request, fmt, *args, **kwargs)
            except Open311Error as error:
                return render_errors(fmt, error.status, error.descriptions)

        return wrapper

    return decorate


def _param(request: HttpRequest, name: str) -> str:
    data = request.POST if request.method == "POST" else request.GET
    return data.get(name, "").strip()


def _check_jurisdiction(request: HttpRequest) -> None:
    """One jurisdiction (the district, by its code); naming another is the spec's 404."""
    jurisdiction = _param(request, "jurisdiction_id")
    if jurisdiction and jurisdiction != top_place().code:
        raise Open311Error(404, _("jurisdiction_id %(id)s was not found.") % {"id": jurisdiction})


def _client(request: HttpRequest, *, required: bool = False) -> ApiClient | None:
    api_key = _param(request, "api_key")
    if not api_key and not required:
        return None
    if not secret_allowed(request, API_KEY_LABEL):
        raise Open311Error(429, _("Too many invalid api_keys from this address; try again later."))
    client = client_for(api_key)
    if client is None:
        secret_failed(request, API_KEY_LABEL)
        raise Open311Error(403, _("api_key was not provided or is invalid.") if not api_key
                           else _("api_key is invalid."))
    return client


def not_found(request: HttpRequest, path: str = "") -> HttpResponse:
    """Any other path under /open311/v2/ (discovery.json.json, an unknown resource): the spec's error list,
    in XML when the path asks for it."""
    fmt = "xml" if path.endswith(".xml") else "json"
    return render_errors(fmt, 404, [_("There is no such resource; see discovery.%(format)s.") % {"format": fmt}])


@endpoint("GET")
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    base = request.build_absolute_uri(reverse("open311:discovery", kwargs={"fmt": fmt})).rsplit("/", 1)[0] + "/"
    return render(serializers.discovery_document(base), fmt, root="discovery")


@endpoint("GET")
def service_list(request: HttpRequest, fmt: str) -> HttpResponse:
    services = [serializers.service_document(c) for c in services_for(_client(request))]
    return render(services, fmt, root="services", item="service")


@endpoint("GET")
def service_definition(request: HttpRequest, fmt: str, code: str) -> HttpResponse:
    category = next((c for c in services_for(_client(request)) if c.code == code), None)
    if category is None:
        raise Open311Error(404, _("service_code %(code)s was not found.") % {"code": code})
    return render(serializers.service_definition(category), fmt, root="service_definition")


@endpoint("GET", "POST")
def requests(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return _create(request, fmt)
    client = _client(request)
    cases = filter_requests(requests_for(client), **request_filters(request.GET))
    return _request_list(request, fmt, cases, client)


def _create(request: HttpRequest, fmt: str) -> HttpResponse:
    """POST requests: the case is created at once, so the answer carries its id (no token needed)."""
    client = _client(request, required=True)
    reporter = client.user if client.user_id else AnonymousUser()
    key = request.headers.get("Idempotency-Key", "").strip()[:100]
    try:
        case = case_report_once(client=f"open311:{client.pk}", key=key, actor=reporter, channel=Channel.OPEN311,
                                **report_arguments(request.POST)).case
    except ValidationError as error:
        raise Open311Error(400, *error_descriptions(error)) from error
    except PermissionDenied as error:
        raise Open311Error(403, str(error) or _("This client may not report cases.")) from error
    document = serializers.created_document(case, account_id=_param(request, "account_id"))
    return render([document], fmt, root="service_requests", item="request")


def _request_list(request: HttpRequest, fmt: str, cases: list, client: ApiClient | None) -> HttpResponse:
    full = client is not None and client.user_id is not None
    documents = [serializers.request_document(case, full=full, absolute=request.build_absolute_uri)
                 for case in cases]
    return render(documents, fmt, root="service_requests", item="request")


@endpoint("GET")
def request_detail(request: HttpRequest, fmt: str, number: str) -> HttpResponse:
    client = _client(request)
    cases = filter_requests(requests_for(client), numbers=[number])
    if not cases:
        raise Open311Error(404, _("service_request_id %(id)s was not found.") % {"id": number})
    return _request_list(request, fmt, cases, client)


@endpoint("GET")
def token(request: HttpRequest, fmt: str, token: str) -> HttpResponse:
    """Our tokens are case numbers; a token the caller may not read is not found."""
    case = requests_for(_client(request)).filter(number=token).first()
    if case is None:
        raise Open311Error(404, _("token %(token)s was not found.") % {"token": token})
    return render([serializers.token_document(case)], fmt, root="service_requests", item="request")
