"""Meeting pages: the list (upcoming and past), planning and editing, the meeting page with the sign-in at the
door, minutes and resolutions that open cases, and the meeting's iCalendar and PDF files."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from commonground.core import clock
from commonground.core.permissions import can, require

from ..calendar import meetings_calendar
from ..meeting_selectors import (
    access_meeting,
    attendance_count,
    calendar_meetings,
    case_categories_for,
    case_progress,
    meeting_list,
)
from ..models import Meeting, MeetingKind, MeetingStatus
from ..pdf import render_pdf
from ..services import meetings as services
from ..services.meetings import agenda_lines, meeting_detail_lines
from .forms_meetings import (
    AgendaItemForm,
    InviteForm,
    MeetingForm,
    MinutesForm,
    OpenCaseForm,
    PlaceFilterForm,
    ResolutionForm,
    SignInForm,
    WalkInForm,
    apply_service_errors,
    meeting_initial,
    parse_agenda,
)

PAGE_SIZE = 20


@require_GET
@login_required
def meetings(request: HttpRequest) -> HttpResponse:
    """Upcoming (soonest first) or past (latest first) meetings in the user's area, optionally under one place."""
    require(request.user, "meeting.view")
    form = PlaceFilterForm(request.GET or None, user=request.user)
    place = form.cleaned_data["place"] if form.is_bound and form.is_valid() else None
    if form.is_bound and not form.is_valid():  # a place outside the user's area: show nothing, say nothing
        page = Paginator(Meeting.objects.none(), PAGE_SIZE).get_page(1)
    else:
        past = request.GET.get("when") == "past"
        page = Paginator(meeting_list(request.user, past=past, place=place), PAGE_SIZE).get_page(
            request.GET.get("page"))
    return render(request, "deliberation/meetings.html", {
        "form": form, "page": page, "past": request.GET.get("when") == "past",
        "place_query": f"&place={place.pk}" if place else "", "may_add": can(request.user, "meeting.add"),
    })


@login_required
def meeting_create(request: HttpRequest) -> HttpResponse:
    """Plan a meeting: place, convener, kind, time, venue, agenda lines and (optionally) invitees."""
    require(request.user, "meeting.add")
    kind = request.GET.get("kind", "")  # a link may preselect the kind (coordination's joint-meeting register)
    form = MeetingForm(request.POST or None, user=request.user,
                       initial={"kind": kind} if kind in MeetingKind.values else None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_create(actor=request.user, **form.service_fields(),
                                              agenda=parse_agenda(form.cleaned_data["agenda"]),
                                              invitees=list(form.cleaned_data["invitees"]))
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The meeting is planned. Sign people in at the door from this page."))
            return redirect("deliberation:meeting", pk=meeting.pk)
    return render(request, "deliberation/meeting_form.html", {"form": form, "meeting": None},
                  status=400 if form.errors else 200)


@login_required
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a planned meeting's details."""
    meeting = access_meeting(request.user, pk, "meeting.change")
    if "edit" not in services.meeting_allowed_actions(request.user, meeting):
        messages.error(request, _("Only a planned meeting's details can be changed."))
        return redirect("deliberation:meeting", pk=meeting.pk)
    form = MeetingForm(request.POST or None, user=request.user, action="meeting.change", meeting=meeting,
                       initial=meeting_initial(meeting))
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_update(actor=request.user, meeting=meeting, **form.service_fields())
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The meeting's details are saved."))
            return redirect("deliberation:meeting", pk=meeting.pk)
    return render(request, "deliberation/meeting_form.html", {"form": form, "meeting": meeting},
                  status=400 if form.errors else 200)


@require_GET
@login_required
def meeting_place_fields(request: HttpRequest) -> HttpResponse:
    """The convener and invitee choices for the place picked on the form (swapped in by htmx)."""
    require(request.user, "meeting.add")
    form = MeetingForm(initial={"place": request.GET.get("place", "")}, user=request.user)
    return render(request, "deliberation/_meeting_place_fields.html", {"form": form})


def page_context(request: HttpRequest, meeting: Meeting) -> dict[str, Any]:
    """The meeting as loaded by `access_meeting(details=True)`, and the steps `meeting_allowed_actions` offers."""
    user = request.user
    actions = services.meeting_allowed_actions(user, meeting)
    resolutions = list(meeting.resolutions.all())
    for resolution in resolutions:
        for case in resolution.cases.all():
            case.linked = can(user, "case.view", case)
    return {
        "meeting": meeting, "agenda": list(meeting.agenda.all()), "attendees": list(meeting.attendees.all()),
        "count": attendance_count(meeting), "resolutions": resolutions, "progress": case_progress(meeting),
        "notices": list(meeting.notices.all()), "held": meeting.status == MeetingStatus.HELD,
        "cancelled": meeting.status == MeetingStatus.CANCELLED, "started": meeting.starts_at <= clock.now(),
        "actions": actions, "categories": case_categories_for(user) if "open-case" in actions else [],
        "invite_form": InviteForm(user=user, place=meeting.place, prefix="invite") if "invite" in actions else None,
        "walk_in_form": WalkInForm(prefix="walkin"), "agenda_form": AgendaItemForm(prefix="agenda"),
        "minutes_form": MinutesForm(initial={"minutes": meeting.minutes}), "resolution_form": ResolutionForm(),
    }


@require_GET
@login_required
def meeting(request: HttpRequest, pk: int) -> HttpResponse:
    """Details, agenda, attendance (sign-in at the door), minutes, resolutions and their cases."""
    found = access_meeting(request.user, pk, details=True)
    return render(request, "deliberation/meeting.html", page_context(request, found))


def _sign_in(request: HttpRequest, meeting: Meeting) -> str:
    form = SignInForm(request.POST)
    if not form.is_valid():
        raise ValidationError(_("Choose who signs in."))
    attendee = meeting.attendees.filter(pk=form.cleaned_data["attendee"]).first()
    if attendee is None:
        raise ValidationError(_("This person is not on this meeting's list."))
    attendee = services.attendee_sign_in(actor=request.user, meeting=meeting, attendee=attendee)
    return _("%(name)s is signed in.") % {"name": attendee.name}


def _walk_in(request: HttpRequest, meeting: Meeting) -> str:
    form = WalkInForm(request.POST, prefix="walkin")
    if not form.is_valid():
        raise ValidationError(_("Give the name of the person signing in."))
    attendee = services.attendee_sign_in(actor=request.user, meeting=meeting, **form.cleaned_data)
    return _("%(name)s is signed in.") % {"name": attendee.name}


def _invite(request: HttpRequest, meeting: Meeting) -> str:
    form = InviteForm(request.POST, user=request.user, place=meeting.place, prefix="invite")
    if not form.is_valid():
        raise ValidationError(_("Choose a person on record or type a name."))
    attendee = services.attendee_invite(actor=request.user, meeting=meeting, **form.cleaned_data)
    return _("%(name)s is invited.") % {"name": attendee.name}


def _agenda(request: HttpRequest, meeting: Meeting) -> str:
    form = AgendaItemForm(request.POST, prefix="agenda")
    if not form.is_valid():
        raise ValidationError(_("Give the agenda item."))
    services.agenda_item_add(actor=request.user, meeting=meeting, **form.cleaned_data)
    return _("The item is added to the agenda.")


def _minutes(request: HttpRequest, meeting: Meeting) -> str:
    form = MinutesForm(request.POST)
    if not form.is_valid():
        raise ValidationError(_("Write the minutes."))
    services.meeting_record_minutes(actor=request.user, meeting=meeting, minutes=form.cleaned_data["minutes"])
    return _("The minutes are saved; the meeting is recorded as held.")


def _resolution(request: HttpRequest, meeting: Meeting) -> str:
    form = ResolutionForm(request.POST)
    if not form.is_valid():
        raise ValidationError(_("Write what the meeting resolved."))
    services.resolution_add(actor=request.user, meeting=meeting, text=form.cleaned_data["text"])
    return _("The resolution is recorded.")


def _open_case(request: HttpRequest, meeting: Meeting) -> str:
    form = OpenCaseForm(request.POST, categories=case_categories_for(request.user))
    if not form.is_valid():
        raise ValidationError(_("Choose the category of the case."))
    resolution = meeting.resolutions.filter(pk=form.cleaned_data["resolution"]).first()
    if resolution is None:
        raise ValidationError(_("This resolution is not part of this meeting."))
    case = services.resolution_open_case(actor=request.user, resolution=resolution,
                                         category=form.cleaned_data["category"],
                                         description=form.cleaned_data["description"])
    return _("Case %(number)s is opened; its progress shows here.") % {"number": case.number}


def _publish(request: HttpRequest, meeting: Meeting) -> str:
    public = request.POST.get("public") == "1"
    services.meeting_publish_notice(actor=request.user, meeting=meeting, public=public)
    if public:
        return _("The meeting notice is posted on the notice board and on the public board.")
    return _("The meeting notice is posted on the notice board.")


def _cancel(request: HttpRequest, meeting: Meeting) -> str:
    services.meeting_cancel(actor=request.user, meeting=meeting)
    return _("The meeting is cancelled.")


ACTIONS: dict[str, Callable[[HttpRequest, Meeting], str]] = {
    "sign-in": _sign_in, "walk-in": _walk_in, "invite": _invite, "agenda": _agenda, "minutes": _minutes,
    "resolution": _resolution, "open-case": _open_case, "publish": _publish, "cancel": _cancel,
}
# Where the page scrolls back to after each action.
ANCHORS = {"sign-in": "attendance", "walk-in": "attendance", "invite": "attendance", "agenda": "agenda",
           "minutes": "minutes", "resolution": "resolutions", "open-case": "resolutions"}


@require_POST
@login_required
def meeting_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Run one action of the meeting page; the services check permissions and rules. Sign-ins through htmx
    answer with the attendance panel only (a grid worker at the door stays on the list)."""
    handler = ACTIONS.get(action)
    if handler is None:
        raise Http404
    meeting = access_meeting(request.user, pk)
    try:
        done, failed = handler(request, meeting), False
    except ValidationError as error:
        done, failed = " ".join(error.messages), True
    if getattr(request, "htmx", False) and action in {"sign-in", "walk-in"}:
        context = page_context(request, access_meeting(request.user, pk, details=True))
        return render(request, "deliberation/_meeting_attendance.html",
                      {**context, "flash": done, "flash_error": failed})
    (messages.error if failed else messages.success)(request, done)
    anchor = ANCHORS.get(action)
    return redirect(reverse("deliberation:meeting", args=[pk]) + (f"#{anchor}" if anchor else ""))


@require_GET
@login_required
def meeting_ics(request: HttpRequest, pk: int) -> HttpResponse:
    """One meeting as an iCalendar file."""
    meeting = access_meeting(request.user, pk)
    return _calendar_response(request, [meeting], name=meeting.title, filename=f"meeting-{meeting.pk}.ics")


@require_GET
@login_required
def meetings_ics(request: HttpRequest) -> HttpResponse:
    """A calendar of the meetings the user may see, from 30 days back to 90 days ahead."""
    require(request.user, "meeting.view")
    return _calendar_response(request, calendar_meetings(request.user), name=_("Meetings"),
                              filename="meetings.ics")


def _calendar_response(request: HttpRequest, meetings: Any, *, name: str, filename: str) -> HttpResponse:
    body = meetings_calendar(meetings, name=name, url_of=lambda m: request.build_absolute_uri(
        reverse("deliberation:meeting", args=[m.pk])))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
@login_required
def meeting_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The agenda (before the meeting is held) or the minutes with attendance and resolutions (after)."""
    found = access_meeting(request.user, pk, details=True)
    response = HttpResponse(meeting_pdf_bytes(found), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="meeting-{found.pk}.pdf"'
    return response


def meeting_pdf_bytes(meeting: Meeting) -> bytes:
    """Before it is held: the notice text and the agenda as a table. Once held: the agenda, the attendance,
    the minutes and the resolutions with their cases. Needs the meeting as `access_meeting(details=True)` loads it."""
    held = meeting.status == MeetingStatus.HELD
    paragraphs = [_("Place: %(place)s") % {"place": meeting.place.name}]
    if meeting.status == MeetingStatus.CANCELLED:
        paragraphs.append(_("This meeting was cancelled."))
    agenda = list(meeting.agenda.all())
    table: list[list[str]] = []
    paragraphs.append("\n".join(meeting_detail_lines(meeting)))
    if not held:
        if agenda:
            table = [[_("No."), _("Agenda item"), _("Presented by")]] + [
                [str(n), item.title, item.presenter] for n, item in enumerate(agenda, start=1)]
    else:
        paragraphs.append("\n".join(agenda_lines(meeting)))
        count = attendance_count(meeting)
        paragraphs.append(_("Attendance: %(present)d signed in (%(invited_present)d of %(invited)d invited, "
                            "%(walk_ins)d without invitation).") % count.__dict__)
        paragraphs.append(_("Minutes:") + "\n" + meeting.minutes)
        resolutions = list(meeting.resolutions.all())
        if resolutions:
            table = [[_("No."), _("Resolution"), _("Cases")]] + [
                [str(n), resolution.text, "\n".join(f"{case.number} {case.get_stage_display()}"
                                                    for case in resolution.cases.all()) or "—"]
                for n, resolution in enumerate(resolutions, start=1)]
    title = (_("Minutes: %(title)s") if held else _("Agenda: %(title)s")) % {"title": meeting.title}
    return render_pdf(title=title, paragraphs=paragraphs, table=table, issuer=meeting.convener.name,
                      dated=date_format(clock.today(), "DATE_FORMAT"))
