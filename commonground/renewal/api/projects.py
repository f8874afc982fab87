"""Projects and their households, as the caller reaches them."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from commonground.core import clock
from commonground.core.api_pages import Page, PageQuery, paginate
from commonground.core.api_types import ErrorOut, Id

from ..rules import stale_visit_days
from ..schemas import HouseholdOut, HouseholdQuery, ProjectOut
from ..selectors import HouseholdFilters, access_household, access_project, household_list, projects_for

router = Router()
ERRORS = {403: ErrorOut, 404: ErrorOut}


@router.get("/projects", response=Page[ProjectOut])
def project_list(request: HttpRequest, pages: PageQuery = Query(...)) -> dict[str, Any]:
    """The renewal projects the caller sees."""
    return paginate(projects_for(request.user).order_by("pk"), pages)


@router.get("/projects/{int:project_id}", response={200: ProjectOut, **ERRORS})
def project_detail(request: HttpRequest, project_id: Id):
    return access_project(request.user, project_id)


@router.get("/projects/{int:project_id}/households", response={200: Page[HouseholdOut], **ERRORS})
def household_index(request: HttpRequest, project_id: Id, filters: HouseholdQuery = Query(...),
                    pages: PageQuery = Query(...)) -> dict[str, Any]:
    """The project's households the caller reaches (a field group's member: their buildings'; an owner: their
    own), by building, work group, state (signed, unsigned, stale: not visited for the stale-visit days) or a
    search of flat and owner names."""
    project = access_project(request.user, project_id)
    stale_before = clock.now() - datetime.timedelta(days=stale_visit_days())
    rows = household_list(request.user, project, HouseholdFilters(
        building=filters.building, group=filters.group, state=filters.state, q=filters.q.strip(),
        stale_before=stale_before))
    return paginate(rows, pages)


@router.get("/households/{int:household_id}", response={200: HouseholdOut, **ERRORS})
def household_detail(request: HttpRequest, household_id: Id):
    return access_household(request.user, household_id)
