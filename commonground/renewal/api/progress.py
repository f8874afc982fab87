"""A project's progress, its holdouts and its daily briefing, as the caller reaches them: the project's figures
whole for whoever sees the project, the holdouts of the households the caller reaches."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from commonground.core import clock
from commonground.core.api_pages import Page, PageQuery, paginate
from commonground.core.api_types import ErrorOut, Id

from ..progress_schemas import BriefingOut, BriefingQuery, CampaignProgressOut
from ..progress_selectors import Tally, briefing, holdouts, project_progress
from ..progress_text import briefing_paragraphs
from ..schemas import HouseholdOut
from ..selectors import access_project

router = Router()
ERRORS = {403: ErrorOut, 404: ErrorOut}


def _tally(row: Tally, **more: Any) -> dict[str, Any]:
    return {"households": row.households, "signed": row.signed, "rate": row.rate, **more}


def _groups(groups) -> list[dict[str, Any]]:
    return [_tally(g, group_id=g.group_id, name=g.name, buildings=g.buildings) for g in groups]


@router.get("/projects/{int:project_id}/progress", response={200: CampaignProgressOut, **ERRORS})
def progress(request: HttpRequest, project_id: Id) -> dict[str, Any]:
    """Signed / total of the project, by building, by field work group and by day (with the cumulative count),
    and the forecasts of reaching the effect threshold and every household at the last 14 days' pace."""
    project = access_project(request.user, project_id)
    figures = project_progress(project)
    totals = figures.totals
    return {
        "project_id": project.pk, "on": figures.on, "households": totals.households, "signed": totals.signed,
        "signing_rate": totals.rate, "needed": totals.needed, "left": totals.left,
        "needed_pace": figures.needed_pace, "days_left": figures.days_left, "behind": figures.behind,
        "buildings": [_tally(b, building_id=b.building_id, name=b.name, group=b.group) for b in figures.buildings],
        "groups": _groups(figures.groups),
        "days": [{"day": d.day, "signed": d.signed, "cumulative": d.cumulative, "rate": d.rate} for d in figures.days],
        "forecast": {"effect": _forecast(figures.to_effect), "all": _forecast(figures.to_all)},
    }


def _forecast(item) -> dict[str, Any]:
    return {"target": item.target, "remaining": item.remaining, "reached": item.reached, "possible": item.possible,
            "window": item.window, "in_window": item.in_window, "pace": item.pace, "days": item.days,
            "date": item.date, "earliest": item.earliest, "latest": item.latest}


@router.get("/projects/{int:project_id}/holdouts", response={200: Page[HouseholdOut], **ERRORS})
def holdout_list(request: HttpRequest, project_id: Id, pages: PageQuery = Query(...)) -> dict[str, Any]:
    """The unsigned households the caller reaches, least recently visited first (never visited before all)."""
    project = access_project(request.user, project_id)
    return paginate(holdouts(request.user, project), pages)


@router.get("/projects/{int:project_id}/briefing", response={200: BriefingOut, **ERRORS})
def daily_briefing(request: HttpRequest, project_id: Id, query: BriefingQuery = Query(...)) -> dict[str, Any]:
    """The daily briefing (每日通报) of `day` (default today): signed that day and in all by its end, what the
    threshold still needs, the field work groups ranked by rate, buildings completed, visits that day, holdouts."""
    project = access_project(request.user, project_id)
    item = briefing(request.user, project, query.day or clock.today(), holdout_limit=1)
    totals = item.totals
    return {
        "project_id": project.pk, "day": item.day, "households": totals.households,
        "signed_today": item.signed_today, "signed": totals.signed, "signing_rate": totals.rate,
        "needed": totals.needed, "left": totals.left, "groups": _groups(item.groups), "buildings": item.buildings,
        "buildings_completed": item.completed, "buildings_completed_today": [b.name for b in item.completed_today],
        "visits": item.visits, "visited_households": item.visited_households,
        "visits_by_outcome": [{"outcome": o, "label": label, "visits": n} for o, label, n in item.visits_by_outcome],
        "holdouts": item.holdouts_count, "paragraphs": briefing_paragraphs(item),
    }
