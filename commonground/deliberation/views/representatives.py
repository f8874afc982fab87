"""The renewal representatives board of an estate (one building, one representative): who stands for each
building, where they are in the process, and the next step this user may take. Each form posts to one
service; a refused step re-renders the board with the message (status 400), a forbidden one answers 403,
and anything outside the user's scope is a 404."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from commonground.core.clock import today
from commonground.core.masking import shown
from commonground.core.models import Person, Place
from commonground.core.permissions import can, visible_to

from ..models import Representative, RepresentativeStatus
from ..selectors import (
    access_representative,
    access_representative_building,
    access_representative_estate,
    representative_estates,
)
from ..services.representatives import (
    representative_allowed_actions,
    representative_board,
    representative_confirm,
    representative_nominate,
    representative_register,
    representative_reject_after_notice,
    representative_review,
    representative_withdraw,
    representatives_publish_notice,
    residents_by_building,
)

S = RepresentativeStatus
PAGE_SIZE = 30


@dataclass
class Row:
    building: Place
    representative: Representative | None
    phone: str = ""
    id_number: str = ""
    actions: list[str] = field(default_factory=list)
    residents: list[tuple[int, str]] = field(default_factory=list)


def _int(value: str | None) -> int:
    try:
        return int(value or "")
    except ValueError as error:
        raise Http404 from error


def _rows(user: Any, estate: Place) -> list[Row]:
    """The board with masked personal data and allowed steps: a constant number of queries."""
    board = representative_board(estate)
    residents = residents_by_building(estate) if can(user, "representative.add", estate) else {}
    ids = [row.representative.person_id for row in board if row.representative]
    cleared = set(visible_to(user, "person.view_personal_data", Person.objects.filter(pk__in=ids))
                  .values_list("pk", flat=True)) if ids else set()
    rows = []
    for entry in board:
        rep = entry.representative
        row = Row(entry.building, rep, actions=representative_allowed_actions(user, entry.building, rep),
                  residents=residents.get(entry.building.pk, []))
        if rep:
            person = rep.person
            row.phone = shown("phone", person.phone, in_full=person.pk in cleared)
            row.id_number = shown("id_number", person.id_number, in_full=person.pk in cleared)
        rows.append(row)
    return rows


def _board(request: HttpRequest, estate: Place, *, status: int = 200) -> HttpResponse:
    user = request.user
    rows = _rows(user, estate)
    statuses = [row.representative.status for row in rows if row.representative]
    context = {
        "estate": estate, "rows": rows, "total": len(rows), "confirmed": statuses.count(S.CONFIRMED),
        "approved": statuses.count(S.APPROVED),
        "may_publish": can(user, "representative.publish", estate) and can(user, "notice.publish", estate),
        "today": today(),
    }
    return render(request, "deliberation/representatives.html", context, status=status)


def _estates(request: HttpRequest) -> HttpResponse:
    """The estates in the user's scope that have buildings, with their progress."""
    page = Paginator(representative_estates(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "deliberation/representatives.html", {"page": page})


@require_GET
@login_required
def representatives(request: HttpRequest) -> HttpResponse:
    """?estate=<pk>: that estate's board; without it, the estates to choose from."""
    if not can(request.user, "representative.view"):
        raise Http404
    if "estate" not in request.GET:
        return _estates(request)
    return _board(request, access_representative_estate(request.user, _int(request.GET.get("estate"))))


def _done(request: HttpRequest, estate: Place, message: str, building: Place | None = None) -> HttpResponse:
    messages.success(request, message)
    anchor = f"#building-{building.pk}" if building else ""
    return redirect(f"{reverse('deliberation:representatives')}?estate={estate.pk}{anchor}")


def _refused(request: HttpRequest, estate: Place, error: ValidationError) -> HttpResponse:
    for message in error.messages:
        messages.error(request, message)
    return _board(request, estate, status=400)


@require_POST
@login_required
def nominate(request: HttpRequest) -> HttpResponse:
    user = request.user
    building = access_representative_building(user, _int(request.POST.get("building")))
    estate = building.parent
    try:
        person = visible_to(user, "person.view", Person.objects.all()).filter(
            pk=_int(request.POST.get("person") or "0")).first()
        if person is None:
            raise ValidationError(_("Choose a person who lives or owns a flat in %(building)s.") % {
                "building": building.name})
        rep = representative_nominate(actor=user, building=building, person=person)
    except ValidationError as error:
        return _refused(request, estate, error)
    return _done(request, estate, _("%(person)s was nominated for %(building)s.") % {
        "person": rep.person.name, "building": building.name}, building)


def _reason(request: HttpRequest) -> str:
    return request.POST.get("reason", "")


STEPS: dict[str, tuple[Callable[[Any, Representative, HttpRequest], Representative], Any]] = {
    "register": (lambda user, rep, req: representative_register(actor=user, representative=rep),
                 gettext_lazy("The registration of %(person)s (%(building)s) was recorded.")),
    "approve": (lambda user, rep, req: representative_review(actor=user, representative=rep, approve=True),
                gettext_lazy("%(person)s (%(building)s) was approved in the joint review.")),
    "reject": (lambda user, rep, req: representative_review(actor=user, representative=rep, approve=False,
                                                            reason=_reason(req)),
               gettext_lazy("%(person)s (%(building)s) was rejected in the joint review.")),
    "confirm": (lambda user, rep, req: representative_confirm(actor=user, representative=rep),
                gettext_lazy("%(person)s is confirmed as the representative of %(building)s.")),
    "object": (lambda user, rep, req: representative_reject_after_notice(actor=user, representative=rep,
                                                                         reason=_reason(req)),
               gettext_lazy("The objection was upheld: %(person)s (%(building)s) is no longer the representative.")),
    "withdraw": (lambda user, rep, req: representative_withdraw(actor=user, representative=rep, reason=_reason(req)),
                 gettext_lazy("%(person)s (%(building)s) withdrew.")),
}


@require_POST
@login_required
def act(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """One step on one representative."""
    if step not in STEPS:
        raise Http404
    rep = access_representative(request.user, pk)
    run, done = STEPS[step]
    try:
        run(request.user, rep, request)
    except ValidationError as error:
        return _refused(request, rep.building.parent, error)
    return _done(request, rep.building.parent, done % {"person": rep.person.name, "building": rep.building.name},
                 rep.building)


@require_POST
@login_required
def publish(request: HttpRequest) -> HttpResponse:
    """Post the notice of every approved representative of the estate."""
    estate = access_representative_estate(request.user, _int(request.POST.get("estate")))
    try:
        notice = representatives_publish_notice(actor=request.user, estate=estate)
    except ValidationError as error:
        return _refused(request, estate, error)
    return _done(request, estate, _("The notice was posted; it runs until %(ends)s.") % {
        "ends": notice.ends_on.isoformat()})
