"""The public notices board (公示栏): the notices a user may see, one notice, and its PDF."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from commonground.core.clock import today
from commonground.core.models import Place
from commonground.core.models.places import within_q
from commonground.core.permissions import visible_to

from .. import rules
from ..models import Notice, NoticeKind, VoteStatus
from ..notice_selectors import public_notice_or_none
from ..pdf import render_pdf
from ..presentation import result_bars
from ..selectors import access_notice, may_see_vote, notices_for
from .forms_owner import NoticeFilterForm

PAGE_SIZE = 20


def display_state(notice: Notice, on: datetime.date) -> str:
    """"posted" while on the board, "ended" after ends_on, "scheduled" before posted_on."""
    if on < notice.posted_on:
        return "scheduled"
    if notice.ends_on is not None and on > notice.ends_on:
        return "ended"
    return "posted"


def _board(user: Any, pk: int | None) -> Place | None:
    """The chosen board, if the user may see notices there (otherwise the list is simply empty)."""
    if pk is None:
        return None
    return visible_to(user, "notice.view", Place.objects.filter(pk=pk)).first()


@login_required
@require_GET
def notices(request: HttpRequest) -> HttpResponse:
    """Notices newest first, on one board (?place=) or every board the user may see, by kind (?kind=)."""
    user = request.user
    visible = notices_for(user)
    places = list(Place.objects.filter(pk__in=visible.values("place_id")).order_by("path").values_list("pk", "name"))
    raw_place = request.GET.get("place", "")
    place_pk = int(raw_place) if raw_place.isdigit() else None
    board = _board(user, place_pk)
    if board is not None and board.pk not in {pk for pk, _name in places}:
        places.append((board.pk, board.name))
    qs = visible
    if raw_place:
        qs = qs.filter(within_q("place__path", [board.path])) if board is not None else qs.none()
    kind = request.GET.get("kind", "")
    if kind in NoticeKind.values:
        qs = qs.filter(kind=kind)
    form = NoticeFilterForm(initial={"place": board.pk if board else "", "kind": kind}, places=places)
    page = Paginator(qs.order_by("-posted_on", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    on = today()
    for notice in page.object_list:
        notice.display_state = display_state(notice, on)
    return render(request, "deliberation/notices.html", {"page": page, "form": form, "board": board,
                                                          "unknown_board": bool(raw_place) and board is None})


def public_url(request: HttpRequest, path: str) -> str:
    """The absolute address of `path` as a passer-by reaches it (`CG_PUBLIC_BASE_URL`, or this request's)."""
    base = rules.public_base_url()
    return f"{base}{path}" if base else request.build_absolute_uri(path)


def notice_public_path(notice: Notice) -> str:
    """The stable public address of a public notice: /gongshi/<place code>/<id>/."""
    return reverse("gongshi:notice", args=[notice.place.code, notice.pk])


def _public_or_denied(request: HttpRequest, pk: int, *, pdf: bool = False) -> HttpResponse:
    """For a notice the user may not see here: its public page if it is public (a visitor following a shared
    link); otherwise the login page for a visitor and 404 for a user, as for a notice that does not exist."""
    public = public_notice_or_none(pk)
    if public is not None:
        name = "gongshi:notice-pdf" if pdf else "gongshi:notice"
        return redirect(name, code=public.place.code, pk=public.pk)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise Http404(_("No such notice."))


def _seen(request: HttpRequest, pk: int) -> Notice | None:
    try:
        return access_notice(request.user, pk)
    except Http404:
        return None


@require_GET
def notice(request: HttpRequest, pk: int) -> HttpResponse:
    """The notice as posted: title, text with its line breaks, the table (first row the header), issuer and
    date; for a public notice, its public address and QR code."""
    item = _seen(request, pk)
    if item is None:
        return _public_or_denied(request, pk)
    user = request.user
    vote = item.vote
    show_vote = vote is not None and may_see_vote(user, vote)
    table = item.table or []
    # A result notice states the shares in its text already: the bars draw them, whoever reads the notice.
    is_result = item.kind == NoticeKind.RESULT and vote is not None and vote.status == VoteStatus.CLOSED
    return render(request, "deliberation/notice.html", {
        "notice": item, "display_state": display_state(item, today()), "header": table[:1], "rows": table[1:],
        "vote": vote if show_vote else None, "bars": result_bars(vote) if is_result else None,
        "public_path": notice_public_path(item) if item.public else "",
    })


def notice_pdf_bytes(item: Notice, *, link: str = "") -> bytes:
    """The notice as an official notice on A4: title, text, table, issuer and date over a place for the seal;
    with `link` (a public notice's address) its QR code at the bottom left."""
    return render_pdf(title=item.title, paragraphs=item.body.split("\n\n"), table=item.table or [],
                      issuer=item.issued_by, dated=date_format(item.posted_on, "DATE_FORMAT"), seal=True, link=link,
                      link_caption=_("Scan to read this notice online") if link else "")


@require_GET
def notice_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The notice as an A4 PDF to print and post (a public one with the QR code of its public page)."""
    item = _seen(request, pk)
    if item is None:
        return _public_or_denied(request, pk, pdf=True)
    link = public_url(request, notice_public_path(item)) if item.public else ""
    response = HttpResponse(notice_pdf_bytes(item, link=link), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="notice-{item.pk}.pdf"'
    return response
