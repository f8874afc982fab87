"""Reads behind the Open311 views: the client behind an api_key, the services a client may use,
the service requests it may read, and the place an address names."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext as _

from commonground.core.models import Place
from commonground.core.place_cache import top_place

from ..geo import PIN_KINDS
from ..models import OPEN_STAGES, ApiClient, Case, CaseEvent, Category, Channel, ReporterKind, Stage
from ..selectors import categories_open_to, is_open_to, visible_cases
from ..services.intake import reporter_kind

MAX_REQUESTS = 1000
REQUEST_RELATED = ("category", "place", "handling_place", "handler", "merged_into", "merged_into__handler",
                   "merged_into__handling_place")


def client_for(api_key: str) -> ApiClient | None:
    """The active client holding `api_key`, with the user it acts as."""
    if not api_key:
        return None
    return ApiClient.objects.filter(api_key=api_key, is_active=True).select_related("user").first()


def client_kind(client: ApiClient | None) -> str:
    """Which reporters a client stands for: the public, unless it acts as a user."""
    if client is None or client.user_id is None:
        return ReporterKind.PUBLIC
    return reporter_kind(client.user, Channel.OPEN311)


def services_for(client: ApiClient | None) -> list[Category]:
    """Active categories open to the client's kind of reporter (anonymous callers: the public)."""
    return categories_open_to(client_kind(client))


def requests_for(client: ApiClient | None) -> QuerySet[Case]:
    """Service requests the caller may read. A client acting as a user reads what that user may view
    (the resolver, in SQL); anyone else reads cases of categories open to the public."""
    if client is not None and client.user_id is not None:
        cases = visible_cases(client.user)
    else:
        public = [c.pk for c in Category.objects.only("pk", "open_to") if is_open_to(c, ReporterKind.PUBLIC)]
        cases = Case.objects.filter(category_id__in=public)
    latest_note = (CaseEvent.objects.filter(case=OuterRef("pk")).exclude(note="")
                   .order_by("-at", "-pk").values("note")[:1])
    return (cases.select_related(*REQUEST_RELATED).prefetch_related("attachments")
            .annotate(latest_note=Subquery(latest_note)))


def filter_requests(cases: QuerySet[Case], *, numbers: list[str] | None = None, codes: list[str] | None = None,
                    start: datetime.datetime | None = None, end: datetime.datetime | None = None,
                    statuses: list[str] | None = None) -> list[Case]:
    """GET requests: by ids (overriding everything else), or by codes, period and open/closed; newest
    first, at most 1000."""
    if numbers:
        return list(cases.filter(number__in=numbers).order_by("-created_at", "-pk")[:MAX_REQUESTS])
    if codes:
        cases = cases.filter(category__code__in=codes)
    if start:
        cases = cases.filter(created_at__gte=start)
    if end:
        cases = cases.filter(created_at__lte=end)
    if statuses and set(statuses) != {"open", "closed"}:
        is_open = Q(stage__in=OPEN_STAGES) | Q(stage=Stage.MERGED, merged_into__stage__in=OPEN_STAGES)
        cases = cases.filter(is_open) if "open" in statuses else cases.exclude(is_open)
    return list(cases.order_by("-created_at", "-pk")[:MAX_REQUESTS])


def place_for_address(*, address_id: str = "", address_string: str = "") -> Place:
    """The place an address_id (a place code) or an address_string (a place's exact name or address)
    names inside the district; ValidationError when none or several do."""
    places = Place.objects.within(top_place())
    if address_id:
        place = places.filter(code=address_id).first()
        if place is None:
            raise ValidationError({"address_id": _("No place has this address_id.")})
        return place
    text = address_string.strip()
    matches = list(places.of_kind(*PIN_KINDS).filter(name=text)[:2]) or list(places.filter(address=text)[:2])
    if len(matches) != 1:
        raise ValidationError({"address_string": _("No single place has this name or address; send lat and "
                                                   "long instead.") if matches else
                               _("No place has this name or address; send lat and long instead.")})
    return matches[0]
