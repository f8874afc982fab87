"""Attendance pages: the sessions to take attendance for, a session's sheet (tick the list, type or scan a check-in
code, a walk-in), certificates of a course (and the printable certificate, HTML or PDF), a person's participation
record (their own, and staff's view within their scope), and the participation figures with their export."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from commonground.core.models import Person
from commonground.core.permissions import can, visible_to
from commonground.core.tables import table_response

from ..attendance_forms import FiguresForm, WalkInForm
from ..attendance_selectors import (
    FigureFilters,
    access_activity,
    access_certificate,
    access_session,
    certificate_rows,
    default_period,
    figure_table,
    own_record,
    participation_figures,
    places_by_path,
    sessions_to_take,
    sheet,
    staff_record,
)
from ..certificate_pdf import certificate_pdf
from ..models import Attendance
from ..services.attendance import (
    attendance_allowed,
    attendance_by_code,
    attendance_record,
    attendance_remove,
    attendance_walk_in,
    certificate_issue,
    certificate_refusal,
    certificates_issue_all,
)


def _errors(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@login_required
def sessions(request: HttpRequest) -> HttpResponse:
    """The sessions of the last week and the next two days where the user takes attendance."""
    if not can(request.user, "attendance.record"):
        raise Http404(_("No attendance to take here."))
    page = Paginator(sessions_to_take(request.user), 30).get_page(request.GET.get("page"))
    return render(request, "programs/attendance_sessions.html", {"page": page})


@login_required
def session_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    """A session's attendance sheet; POST `present` (the ticked sign-ups) records the list at once."""
    session = access_session(request.user, pk)
    if request.method == "POST":
        try:
            rows = attendance_record(actor=request.user, session=session,
                                     enrolment_ids=[int(v) for v in request.POST.getlist("present") if v.isdigit()])
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(request, _("Attendance saved: %(count)s more present.") % {"count": len(rows)})
        return redirect("programs:attendance_sheet", pk=session.pk)
    rows, walk_ins = sheet(session)
    return render(request, "programs/attendance_sheet.html", {
        "session": session, "activity": session.activity, "rows": rows, "walk_ins": walk_ins,
        "present": sum(1 for row in rows if row.attendance_id) + len(walk_ins),
        "may_take": attendance_allowed(request.user, session), "walk_in_form": WalkInForm()})


@login_required
@require_POST
def session_code(request: HttpRequest, pk: int) -> HttpResponse:
    """A check-in code typed or scanned (a QR scanner types it and presses Enter)."""
    session = access_session(request.user, pk)
    try:
        row = attendance_by_code(actor=request.user, code=request.POST.get("code", ""), session=session)
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("%(name)s is present.") % {"name": row.person.name})
    return redirect("programs:attendance_sheet", pk=session.pk)


@login_required
@require_POST
def session_walk_in(request: HttpRequest, pk: int) -> HttpResponse:
    """Someone at the door, found by their ID number or mobile number among the people the user sees."""
    session = access_session(request.user, pk)
    form = WalkInForm(request.POST)
    if form.is_valid():
        person = visible_to(request.user, "person.view", Person.objects.all()).filter(
            form.lookup()).order_by("pk").first()
        if person is None:
            messages.error(request, _("Nobody with this ID number or mobile number is on record in your area."))
        else:
            try:
                row = attendance_walk_in(actor=request.user, session=session, person=person)
            except ValidationError as error:
                _errors(request, error)
            else:
                messages.success(request, _("%(name)s is present.") % {"name": row.person.name})
    else:
        messages.error(request, _("Enter an ID number or a mobile number."))
    return redirect("programs:attendance_sheet", pk=session.pk)


@login_required
@require_POST
def attendance_undo(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        attendance = Attendance.objects.select_related("session").get(pk=pk)
    except Attendance.DoesNotExist:
        raise Http404(_("No such attendance.")) from None
    session = access_session(request.user, attendance.session_id)
    try:
        attendance_remove(actor=request.user, attendance=attendance)
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("The attendance was removed."))
    return redirect("programs:attendance_sheet", pk=session.pk)


@login_required
def certificates(request: HttpRequest, pk: int) -> HttpResponse:
    """A course's participants with their attendance and certificates; POST issues (one, or all who qualify)."""
    activity = access_activity(request.user, pk, "activity.manage")
    if request.method == "POST":
        try:
            if request.POST.get("enrolment", "").isdigit():
                enrolment = activity.enrolments.filter(pk=int(request.POST["enrolment"])).first()
                if enrolment is None:
                    raise Http404(_("No such sign-up."))
                issued = [certificate_issue(actor=request.user, enrolment=enrolment)]
            else:
                issued = certificates_issue_all(actor=request.user, activity=activity)
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(request, _("%(count)s certificates issued.") % {"count": len(issued)})
        return redirect("programs:certificates", pk=activity.pk)
    return render(request, "programs/attendance_certificates.html", {
        "activity": activity, "rows": certificate_rows(activity), "refusal": certificate_refusal(activity)})


@login_required
def certificate(request: HttpRequest, pk: int) -> HttpResponse:
    """The printable certificate (its holder's own, or staff's of their scope)."""
    item = access_certificate(request.user, pk)
    return render(request, "programs/attendance_certificate.html", {"certificate": item})


@login_required
def certificate_download(request: HttpRequest, pk: int) -> HttpResponse:
    item = access_certificate(request.user, pk)
    response = HttpResponse(certificate_pdf(item), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="certificate-{item.number}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def my_record(request: HttpRequest) -> HttpResponse:
    """What the user took part in: activities attended, courses completed, certificates."""
    return render(request, "programs/attendance_record.html", {"record": own_record(request.user), "own": True})


@login_required
def person_record(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff's view of a person's participation within their scope (404 when they took no part there)."""
    if not can(request.user, "participation.view"):
        raise Http404(_("No such person."))
    return render(request, "programs/attendance_record.html", {"record": staff_record(request.user, pk),
                                                               "own": False})


def _filters(request: HttpRequest) -> tuple[FiguresForm, FigureFilters]:
    start, end = default_period()
    form = FiguresForm(request.GET or None, user=request.user, initial={"start": start, "end": end})
    place = None
    if form.is_valid():
        start = form.cleaned_data.get("start") or start
        end = form.cleaned_data.get("end") or end
        place = form.cleaned_data.get("place")
    return form, FigureFilters(start=start, end=end, place=place)


def _chart(figures: dict[str, Any]) -> dict[str, Any]:
    return {"months": [row["month"].strftime("%Y-%m") for row in figures["by_month"]],
            "series": [{"name": _("Activities held"), "data": [row["activities"] for row in figures["by_month"]]},
                       {"name": _("Attendances recorded"), "data": [row["attendances"] for row in figures["by_month"]]},
                       {"name": _("Distinct participants"),
                        "data": [row["participants"] for row in figures["by_month"]]}]}


@login_required
def participation(request: HttpRequest) -> HttpResponse:
    """Staff's figures: activities held, attendances, distinct participants; by month, organiser and scope."""
    if not can(request.user, "participation.view"):
        raise Http404(_("No participation figures here."))
    form, filters = _filters(request)
    figures = participation_figures(request.user, filters)
    return render(request, "programs/attendance_participation.html", {
        "form": form, "filters": filters, "figures": figures, "chart": _chart(figures),
        "may_take": can(request.user, "attendance.record")})


@login_required
def participation_export(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in ("csv", "xlsx"):
        raise Http404(_("No such format."))
    if not can(request.user, "participation.view"):
        raise Http404(_("No participation figures here."))
    _form, filters = _filters(request)
    rows = list(figure_table(request.user, filters))
    places = places_by_path({r["street_path"] for r in rows} | {r["community_path"] for r in rows})

    def name(path: str) -> str:
        return places[path].name if path in places else ""

    def month(value: Any) -> str:
        return (value.date() if isinstance(value, datetime.datetime) else value).strftime("%Y-%m")

    table = ([name(r["street_path"]), name(r["community_path"]), month(r["month"]), r["activities"],
              r["attendances"], r["participants"]] for r in rows)
    headers = [_("Street of the activities"), _("Community or business community"), _("Month of the sessions"),
               _("Activities held"),
               _("Attendances recorded"), _("Distinct participants")]
    return table_response(fmt, headers, table, filename=f"participation-{filters.start}-{filters.end}",
                          title=_("Participation figures"), widths=[16, 24, 10, 12, 12, 14])


urlpatterns: list[URLPattern] = [
    path("attendance/", sessions, name="attendance_sessions"),
    path("sessions/<int:pk>/attendance/", session_sheet, name="attendance_sheet"),
    path("sessions/<int:pk>/attendance/code/", session_code, name="attendance_code"),
    path("sessions/<int:pk>/attendance/walk-in/", session_walk_in, name="attendance_walk_in"),
    path("attendance/<int:pk>/remove/", attendance_undo, name="attendance_remove"),
    path("activities/<int:pk>/certificates/", certificates, name="certificates"),
    path("certificates/<int:pk>/", certificate, name="certificate"),
    path("certificates/<int:pk>.pdf", certificate_download, name="certificate_pdf"),
    path("my-record/", my_record, name="my_record"),
    path("people/<int:pk>/record/", person_record, name="person_record"),
    path("participation/", participation, name="participation"),
    path("participation/export.<str:fmt>", participation_export, name="participation_export"),
]


