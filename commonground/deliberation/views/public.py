"""The public board (公示栏): notices meant for everyone, readable without logging in at a stable address per
place, printable, with a QR code of that address to post in the corridor. Only what is marked public shows;
any other key answers 404, whoever asks."""

from __future__ import annotations

from io import BytesIO

import segno
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from commonground.core.clock import today

from ..notice_selectors import access_public_notice, board_chain, board_notices, public_board, public_boards
from .notices import display_state, notice_pdf_bytes, notice_public_path, public_url

PAGE_SIZE = 20
QR_FORMATS = {"svg": "image/svg+xml", "png": "image/png"}


def _board_or_404(code: str):
    board = public_board(code)
    if board is None:
        raise Http404(_("There is no notice board here."))
    return board


@require_GET
def boards(request: HttpRequest) -> HttpResponse:
    """Every board with public notices, in tree order."""
    page = Paginator(public_boards(), PAGE_SIZE * 5).get_page(request.GET.get("page"))
    return render(request, "deliberation/public/boards.html", {"page": page})


@require_GET
def board(request: HttpRequest, code: str) -> HttpResponse:
    """One place's public notices, newest first, with the boards above and below it."""
    place = _board_or_404(code)
    page = Paginator(board_notices(place), PAGE_SIZE).get_page(request.GET.get("page"))
    on = today()
    for item in page.object_list:
        item.display_state = display_state(item, on)
    return render(request, "deliberation/public/board.html", {
        "board": place, "chain": board_chain(place), "page": page, "below": public_boards(under=place)[:50],
        "board_url": public_url(request, reverse("gongshi:board", args=[place.code])),
    })


@require_GET
def notice(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """One public notice as posted, laid out to print on A4, with the QR code of this page."""
    place = _board_or_404(code)
    item = access_public_notice(place, pk)
    table = item.table or []
    return render(request, "deliberation/public/notice.html", {
        "board": place, "chain": board_chain(place), "notice": item, "display_state": display_state(item, today()),
        "header": table[:1], "rows": table[1:], "notice_url": public_url(request, notice_public_path(item)),
    })


@require_GET
def notice_pdf(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """The public notice as an A4 PDF, with the QR code of its page."""
    item = access_public_notice(_board_or_404(code), pk)
    response = HttpResponse(notice_pdf_bytes(item, link=public_url(request, notice_public_path(item))),
                            content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="gongshi-{item.pk}.pdf"'
    return response


def qr_response(data: str, fmt: str, *, filename: str) -> HttpResponse:
    """The QR code of `data` as SVG (for pages and print) or PNG (to download and lay out on a poster)."""
    if fmt not in QR_FORMATS:
        raise Http404
    buffer = BytesIO()
    code = segno.make(data, error="m")
    if fmt == "svg":
        code.save(buffer, kind="svg", scale=4, border=2, xmldecl=False, svgns=True, title=data)
    else:
        code.save(buffer, kind="png", scale=10, border=2)
    response = HttpResponse(buffer.getvalue(), content_type=QR_FORMATS[fmt])
    response["Cache-Control"] = "public, max-age=86400"
    if fmt == "png":
        response["Content-Disposition"] = f'attachment; filename="{filename}.png"'
    return response


@require_GET
def board_qr(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    """The QR code of a board's public address."""
    place = _board_or_404(code)
    return qr_response(public_url(request, reverse("gongshi:board", args=[place.code])), fmt,
                       filename=f"gongshi-{place.code}")


@require_GET
def notice_qr(request: HttpRequest, code: str, pk: int, fmt: str) -> HttpResponse:
    """The QR code of a public notice's address."""
    item = access_public_notice(_board_or_404(code), pk)
    return qr_response(public_url(request, notice_public_path(item)), fmt, filename=f"gongshi-{item.pk}")
