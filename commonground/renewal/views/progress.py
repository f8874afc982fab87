"""The progress page (signed / total by building, group and day, the curve, the forecast, the holdouts) and the
daily briefing (每日通报) as a page, a PDF and a workbook."""

from __future__ import annotations

import datetime

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from commonground.core import clock
from commonground.core.pagination import CappedPaginator
from commonground.core.tables import CONTENT_TYPES

from ..briefing_docs import briefing_pdf, briefing_xlsx
from ..home import project_tabs
from ..progress_selectors import Progress, holdouts, project_progress
from ..progress_selectors import briefing as briefing_of
from ..progress_text import all_name, briefing_paragraphs, effect_name, forecast_sentence, pace_text
from ..selectors import access_project

HOLDOUTS_PAGE = 30
BUILDINGS_SHOWN = 100  # a larger estate shows the buildings with the most households left, unless asked for all


def chart_data(figures: Progress, deadline: datetime.date | None) -> dict:
    """The curve's data for progress.js: the days, signings per day, the cumulative count, the threshold line and
    the deadline marker; days after the last one counted run empty to the deadline, so it always shows."""
    days = [row.day for row in figures.days]
    ahead: list[datetime.date] = []
    if days and deadline and deadline > days[-1]:
        ahead = [days[-1] + datetime.timedelta(days=n) for n in range(1, (deadline - days[-1]).days + 1)]
    labels = [day.isoformat() for day in days + ahead]
    return {
        "days": labels,
        "daily": [row.signed for row in figures.days] + [None] * len(ahead),
        "cumulative": [row.cumulative for row in figures.days] + [None] * len(ahead),
        "threshold": figures.totals.needed, "total": figures.totals.households,
        "deadline": deadline.isoformat() if deadline and deadline.isoformat() in labels else None,
        "names": {"cumulative": _("Signed in all"), "daily": _("Signed that day"),
                  "threshold": _("Needed for effect"), "deadline": _("End of the signing period")},
    }


@login_required
def progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The project's progress: its figures whole for whoever sees the project; the holdouts those the user
    reaches."""
    item = access_project(request.user, pk)
    figures = project_progress(item)
    chart = chart_data(figures, item.signing_until)
    buildings = figures.buildings
    if len(buildings) > BUILDINGS_SHOWN and request.GET.get("buildings") != "all":
        kept = {row.building_id for row in sorted(buildings, key=lambda row: -row.unsigned)[:BUILDINGS_SHOWN]}
        buildings = [row for row in buildings if row.building_id in kept]
    page = CappedPaginator(holdouts(request.user, item), HOLDOUTS_PAGE).get_page(request.GET.get("page"))
    households = reverse("renewal:households", args=[item.pk])
    return render(request, "renewal/progress.html", {
        "project": item, "tabs": project_tabs(item.pk, request.path, request.user), "progress": figures, "chart": chart,
        "households_url": households, "page": page, "buildings": buildings,
        "briefing_url": reverse("renewal:briefing", args=[item.pk]),
        "household_url": reverse("renewal:household", args=[0]).removesuffix("0/"),
        "effect_sentence": forecast_sentence(figures.to_effect, what=effect_name()),
        "all_sentence": forecast_sentence(figures.to_all, what=all_name()),
        "needed_pace": pace_text(figures.needed_pace) if figures.needed_pace else None,
        "recent_pace": pace_text(figures.to_effect.pace),
    })


def requested_day(request: HttpRequest) -> datetime.date:
    """?day=YYYY-MM-DD, today on the clock when absent or not a date."""
    try:
        day = parse_date(request.GET.get("day", "").strip())
    except ValueError:
        day = None
    return day or clock.today()


@login_required
def briefing(request: HttpRequest, pk: int) -> HttpResponse:
    """The briefing of a day (?day=, default today) as a page, or ?format=pdf|xlsx as a download."""
    item = access_project(request.user, pk)
    day = requested_day(request)
    bulletin = briefing_of(request.user, item, day)
    fmt = request.GET.get("format", "")
    if fmt in ("pdf", "xlsx"):
        body = briefing_pdf(bulletin) if fmt == "pdf" else briefing_xlsx(bulletin)
        response = HttpResponse(body, content_type="application/pdf" if fmt == "pdf" else CONTENT_TYPES["xlsx"])
        disposition = "inline" if fmt == "pdf" else "attachment"
        response["Content-Disposition"] = f'{disposition}; filename="briefing-{item.pk}-{day.isoformat()}.{fmt}"'
        return response
    return render(request, "renewal/briefing.html", {
        "project": item, "tabs": project_tabs(item.pk, request.path, request.user), "briefing": bulletin,
        "paragraphs": briefing_paragraphs(bulletin), "day": day,
        "previous": day - datetime.timedelta(days=1), "next": day + datetime.timedelta(days=1),
        "households_url": reverse("renewal:households", args=[item.pk]),
    })
