"""The attendance API: a session's attendance (list it, record the ticked sign-ups, a scanned code, a walk-in),
certificates (list, issue), and the participation figures — the same services and selectors as the pages."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router

from commonground.core.api_pages import Page, PageQuery, paginate
from commonground.core.api_types import ErrorOut, Id
from commonground.core.models import Person, Place
from commonground.core.permissions import can, scope_paths, visible_to

from ..attendance_schemas import (
    ActivityAttendanceCodeIn,
    ActivityAttendanceListIn,
    ActivityAttendanceOut,
    ActivityWalkInIn,
    CourseCertificateIn,
    CourseCertificateOut,
    ParticipationOut,
    ParticipationQuery,
)
from ..attendance_selectors import (
    FigureFilters,
    access_activity,
    access_session,
    default_period,
    participation_figures,
)
from ..models import Attendance, Certificate
from ..services.attendance import (
    attendance_by_code,
    attendance_record,
    attendance_walk_in,
    certificate_issue,
    certificates_issue_all,
)

router = Router()
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut}


@router.get("/sessions/{int:session_id}/attendance", response={200: Page[ActivityAttendanceOut], **ERRORS})
def session_attendance(request: HttpRequest, session_id: Id, pages: PageQuery = Query(...)) -> Any:
    """Who is present at a session (for those who take its attendance)."""
    session = access_session(request.user, session_id)
    return paginate(Attendance.objects.filter(session=session).select_related("person").order_by(
        "recorded_at", "pk"), pages)


@router.post("/sessions/{int:session_id}/attendance", response={200: list[ActivityAttendanceOut], **ERRORS})
def session_attendance_record(request: HttpRequest, session_id: Id, payload: ActivityAttendanceListIn) -> Any:
    """The ticked confirmed sign-ups are present (all or nothing); returns the new records."""
    session = access_session(request.user, session_id)
    rows = attendance_record(actor=request.user, session=session, enrolment_ids=payload.enrolments)
    return list(Attendance.objects.filter(pk__in=[r.pk for r in rows]).select_related("person").order_by("pk"))


@router.post("/attendance/code", response={200: ActivityAttendanceOut, **ERRORS})
def attendance_code(request: HttpRequest, payload: ActivityAttendanceCodeIn) -> Any:
    """A scanned check-in code: present at the given session, or at its activity's session running now."""
    session = access_session(request.user, payload.session) if payload.session else None
    return attendance_by_code(actor=request.user, code=payload.code, session=session)


@router.post("/sessions/{int:session_id}/walk-ins", response={200: ActivityAttendanceOut, **ERRORS})
def session_walk_in(request: HttpRequest, session_id: Id, payload: ActivityWalkInIn) -> Any:
    session = access_session(request.user, session_id)
    person = visible_to(request.user, "person.view", Person.objects.all()).filter(pk=payload.person).first()
    if person is None:
        raise Http404(_("No such person."))
    return attendance_walk_in(actor=request.user, session=session, person=person)


@router.get("/certificates", response=Page[CourseCertificateOut])
def certificate_list(request: HttpRequest, pages: PageQuery = Query(...)) -> dict[str, Any]:
    """Certificates the caller sees: their own, and those of courses in their scope; newest first."""
    rows = visible_to(request.user, "participation.view", Certificate.objects.select_related("activity", "person"))
    return paginate(rows.order_by("-issued_at", "-pk"), pages)


@router.post("/activities/{int:activity_id}/certificates", response={200: list[CourseCertificateOut], **ERRORS})
def certificate_new(request: HttpRequest, activity_id: Id, payload: CourseCertificateIn) -> Any:
    """Issue the certificate of one participant, or of all who qualify, for an ended course."""
    activity = access_activity(request.user, activity_id, "activity.manage")
    if payload.enrolment is None:
        issued = certificates_issue_all(actor=request.user, activity=activity)
    else:
        enrolment = activity.enrolments.filter(pk=payload.enrolment).first()
        if enrolment is None:
            raise Http404(_("No such sign-up."))
        issued = [certificate_issue(actor=request.user, enrolment=enrolment)]
    return list(Certificate.objects.filter(pk__in=[c.pk for c in issued]).select_related("activity", "person")
                .order_by("serial"))


@router.get("/participation", response={200: ParticipationOut, **ERRORS})
def participation(request: HttpRequest, filters: ParticipationQuery = Query(...)) -> Any:
    """Activities held, attendances and distinct participants in the caller's scope: in total, by month, per
    community or business community, per street and per organiser."""
    if not can(request.user, "participation.view"):
        raise Http404(_("No participation figures here."))
    start, end = default_period()
    place = None
    if filters.place:
        paths = scope_paths(request.user, "participation.view")
        place = Place.objects.filter(code=filters.place).first()
        if place is None or (paths is not None and not any(place.path.startswith(p) for p in paths)):
            raise Http404(_("No such place in your area."))
    figure_filters = FigureFilters(start=filters.start or start, end=filters.end or end, place=place)
    if figure_filters.start > figure_filters.end:
        raise ValidationError({"start": [_("The period starts after it ends.")]})
    figures = participation_figures(request.user, figure_filters)

    def scope_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [{"code": row["place"].code, "name": row["place"].name, "kind": row["place"].kind,
                 **{k: row[k] for k in ("activities", "attendances", "participants")}}
                for row in rows if row["place"] is not None]

    return {
        "start": figure_filters.start, "end": figure_filters.end, "total": figures["total"],
        "by_month": [{**row, "month": row["month"].strftime("%Y-%m")} for row in figures["by_month"]],
        "by_scope": scope_rows(figures["scopes"]), "by_street": scope_rows(figures["streets"]),
        "by_organiser": [{"organiser": row["activity__organiser"], "name": row["activity__organiser__name"],
                          **{k: row[k] for k in ("activities", "attendances", "participants")}}
                         for row in figures["organisers"]],
    }
