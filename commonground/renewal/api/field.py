"""The fieldwork API: a household's visits (read and record), the project's fieldwork lists, consent answers, the
survey's standing and the publication of its result. Scoped as the pages: a field group's member reaches their
buildings' households, the office all; an owner sees their household but not its visits (403)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, UploadedFile
from ninja.responses import Status

from commonground.core import clock
from commonground.core.api_pages import Page, PageQuery, paginate
from commonground.core.api_types import ErrorOut, Id
from commonground.core.models import User

from ..field_selectors import (
    consent_by_building,
    consent_standing,
    group_figures,
    may_do_fieldwork,
    planned_visits,
    stale_households,
)
from ..models import Visit
from ..models.visits import ConsentResult
from ..rules import stale_visit_days
from ..schemas_field import (
    ConsentIn,
    ConsentOut,
    ConsentResultOut,
    ConsentStandingOut,
    FieldworkOut,
    VisitIn,
    VisitOut,
)
from ..selectors import access_household, access_project
from ..services.consent import consent_publish, consent_record, survey_state
from ..services.visits import visit_record

router = Router()
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut}
LISTED = 100


def _visits(household_pk: int):
    return (Visit.objects.filter(household_id=household_pk).select_related("recorded_by", "case")
            .prefetch_related("visitors").order_by("-visited_at", "-pk"))


@router.get("/households/{int:household_id}/visits", response={200: Page[VisitOut], **ERRORS})
def visit_list(request: HttpRequest, household_id: Id, pages: PageQuery = Query(...)) -> dict[str, Any]:
    """The household's visits, newest first (for who may visit it)."""
    household = access_household(request.user, household_id, "renewal.visit")
    return paginate(_visits(household.pk), pages)


@router.post("/households/{int:household_id}/visits", response={201: VisitOut, **ERRORS})
def visit_create(request: HttpRequest, household_id: Id, payload: VisitIn):
    """Record a visit; the caller is always among the visitors. `case_category` (a category's code) opens a case
    for another department at the household's flat."""
    household = access_household(request.user, household_id, "renewal.visit")
    visitors = list(User.objects.filter(pk__in=payload.visitors))
    if len(visitors) != len(set(payload.visitors)):
        raise ValidationError({"visitors": _("No such user.")})
    visit = visit_record(actor=request.user, household=household, visited_at=payload.visited_at,
                         outcome=payload.outcome, visitors=visitors, met=payload.met, concerns=payload.concerns,
                         notes=payload.notes, next_step=payload.next_step, next_on=payload.next_on,
                         case_category=payload.case_category or None)
    return Status(201, _visits(household.pk).get(pk=visit.pk))


@router.get("/projects/{int:project_id}/fieldwork", response={200: FieldworkOut, **ERRORS})
def fieldwork(request: HttpRequest, project_id: Id) -> dict[str, Any]:
    """Today's planned visits, households not visited for the stale-visit days (the first 100, and how many),
    and the work groups' figures, over the households the caller reaches."""
    project = access_project(request.user, project_id)
    if not may_do_fieldwork(request.user, project):
        raise PermissionDenied(_("The fieldwork is for the campaign's staff."))
    today = clock.today()
    stale = stale_households(request.user, project)
    return {
        "day": today, "stale_days": stale_visit_days(),
        "planned": list(planned_visits(request.user, project, today)[:LISTED]),
        "stale": list(stale.select_related("flat", "building", "group")[:LISTED]), "stale_count": stale.count(),
        "groups": [{"id": row.group.pk, "name": row.group.name, "leader": str(row.group.leader) if row.group.leader else None,
                    "buildings": [b.name for b in row.group.buildings.all()], "households": row.households,
                    "visited": row.visited, "signed": row.signed, "stale": row.stale,
                    "last_activity": row.last_activity} for row in group_figures(request.user, project)],
    }


@router.post("/households/{int:household_id}/consent", response={201: ConsentOut, **ERRORS})
def consent_create(request: HttpRequest, household_id: Id, payload: Form[ConsentIn],
                   authorisation: File[UploadedFile] = None) -> Status:
    """The household's one answer to the consent survey (form fields; `authorisation`, a scan, when not every
    co-owner answered)."""
    household = access_household(request.user, household_id, "renewal.visit")
    consent = consent_record(actor=request.user, household=household, answer=payload.answer,
                             answered_on=payload.answered_on, by_all_owners=payload.by_all_owners,
                             authorisation=authorisation)
    return Status(201, {"id": consent.pk, "household_id": household.pk, "answer": consent.answer,
                        "answered_on": consent.answered_on, "by_all_owners": consent.by_all_owners,
                        "has_authorisation": bool(consent.authorisation)})


@router.get("/projects/{int:project_id}/consent", response={200: ConsentStandingOut, **ERRORS})
def consent_status(request: HttpRequest, project_id: Id) -> dict[str, Any]:
    """Where the survey stands over the whole project (answered, agree, needed, the live rate), the answers by
    building the caller reaches, and the published result if any."""
    project = access_project(request.user, project_id)
    standing = consent_standing(project)
    result = ConsentResult.objects.filter(project=project).first()
    return {
        "households": standing.households, "answered": standing.answered, "agree": standing.agree,
        "disagree": standing.disagree, "needed": standing.needed, "threshold": standing.threshold,
        "rate": round(standing.rate, 4), "passed": standing.passed, "survey": survey_state(project, clock.today()),
        "survey_from": project.survey_from, "survey_until": project.survey_until,
        "buildings": [vars(row) | {"disagree": row.disagree} for row in consent_by_building(project, request.user)],
        "published_on": result.published_on if result else None, "notice": result.notice_id if result else None,
    }


@router.post("/projects/{int:project_id}/consent/publish", response={201: ConsentResultOut, **ERRORS})
def consent_publish_api(request: HttpRequest, project_id: Id) -> Status:
    """Publish the survey's result as a public notice on the estate's board, once the survey has closed."""
    project = access_project(request.user, project_id, "renewal.manage")
    notice = consent_publish(actor=request.user, project=project)
    result = ConsentResult.objects.get(project=project)
    return Status(201, {"notice": notice.pk, "title": notice.title, "households": result.households,
                        "answered": result.answered, "agree": result.agree, "needed": result.needed,
                        "passed": result.passed, "published_on": result.published_on})
