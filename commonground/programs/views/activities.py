"""The activities pages: the noticeboard, an activity with its sign-up button (oneself or a child of the
household), my sign-ups with their check-in QR codes, the calendars, and the staff pages: their activities, the
activity form with its sessions, publish and cancel, the sign-up list with its export, and the desk.

Every rule is the services' (`activity_allowed_actions`, `enrolment_allowed_actions`, `sign_up_refusal`); the
views read through the selectors and call the services."""

from __future__ import annotations

from io import BytesIO
from typing import Any

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from commonground.core.forms import apply_service_errors
from commonground.core.models import Organisation, Person, Place
from commonground.core.models.places import within_q
from commonground.core.pagination import CappedPaginator
from commonground.core.people_selectors import filter_places
from commonground.core.permissions import can, scope_paths, visible_to
from commonground.core.tables import table_response

from ..activities_calendar import sessions_calendar
from ..activities_forms import ActivityForm, DeskSearchForm, NoticeboardFilterForm, SessionForm, SignUpForm
from ..activities_selectors import (
    ActivityFilters,
    access_activity,
    access_enrolment,
    activity_enrolments,
    activity_page,
    calendar_token,
    desk_people,
    enrolment_headers,
    enrolment_rows,
    enrolment_table,
    my_enrolments,
    noticeboard,
    noticeboard_places,
    person_sessions,
    place_sessions,
    staff_activities,
    user_of_token,
    waiting_counts,
)
from ..models import ActivitySession, EnrolmentStatus
from ..services.activities import (
    EDITABLE_FIELDS,
    activity_allowed_actions,
    activity_cancel,
    activity_create,
    activity_publish,
    activity_update,
    calendar_token_reset,
    enrolment_allowed_actions,
    enrolment_cancel,
    enrolment_create,
    session_add,
    session_remove,
)

PAGE_SIZE = 30
ORGANISERS_MAX = 300


def _filters(request: HttpRequest, *, staff: bool) -> tuple[NoticeboardFilterForm, ActivityFilters]:
    places = list(filter_places(request.user, "activity.manage")) if staff else noticeboard_places(request.user)
    form = NoticeboardFilterForm(request.GET or None, places=places, staff=staff)
    if not form.is_valid():
        return NoticeboardFilterForm(places=places, staff=staff), ActivityFilters()
    data = form.cleaned_data
    place = next((p for p in places if p.code == data["place"]), None)
    return form, ActivityFilters(kind=data["kind"], audience=data["audience"], place=place,
                                 open_now=data["open_now"], text=data["q"], status=data.get("status", ""))


@require_GET
@login_required
def activities(request: HttpRequest) -> HttpResponse:
    """The noticeboard: published activities not over, the soonest first, with places left."""
    form, filters = _filters(request, staff=False)
    rows = noticeboard(request.user, filters).annotate(waiting=waiting_counts())
    page = CappedPaginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "programs/activities_list.html", {
        "form": form, "page": page, "may_manage": can(request.user, "activity.manage")})


@require_GET
@login_required
def activities_manage(request: HttpRequest) -> HttpResponse:
    """The staff's activities (drafts too), in their scope."""
    if not can(request.user, "activity.manage"):
        raise PermissionDenied
    form, filters = _filters(request, staff=True)
    rows = staff_activities(request.user, filters).annotate(waiting=waiting_counts())
    page = CappedPaginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "programs/activities_manage.html", {"form": form, "page": page})


@login_required
def activity(request: HttpRequest, pk: int) -> HttpResponse:
    """An activity: its sessions, the places left, and the sign-up button for the user or a child."""
    item = access_activity(request.user, pk)
    page = activity_page(request.user, item)
    actions = activity_allowed_actions(request.user, item)
    form = SignUpForm(candidates=page.may_sign_up) if "sign_up" in actions and page.may_sign_up else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        form = SignUpForm(request.POST, candidates=page.may_sign_up)
        if form.is_valid():
            participant = next(c.person for c in page.may_sign_up if c.person.pk == form.cleaned_data["participant"])
            try:
                enrolment = enrolment_create(actor=request.user, activity=item, participant=participant)
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                if enrolment.status == EnrolmentStatus.CONFIRMED:
                    messages.success(request, _("%(name)s has a place.") % {"name": participant.name})
                else:
                    messages.info(request, _("The places are taken: %(name)s is on the waiting list.")
                                  % {"name": participant.name})
                return redirect("programs:activity", pk=item.pk)
    cancellable = {c.enrolment.pk for c in page.signed_up
                   if "cancel" in enrolment_allowed_actions(request.user, c.enrolment)}
    return render(request, "programs/activities_detail.html", {
        "activity": item, "page": page, "actions": actions, "form": form, "cancellable": cancellable},
        status=400 if form is not None and form.is_bound and form.errors else 200)


@require_POST
@login_required
def enrolment_cancel_view(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = access_enrolment(request.user, pk)
    if "cancel" not in enrolment_allowed_actions(request.user, enrolment):
        raise PermissionDenied
    try:
        enrolment_cancel(actor=request.user, enrolment=enrolment)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The sign-up of %(name)s is cancelled.") % {"name": enrolment.participant.name})
    back = request.POST.get("next", "")
    if back in ("my", "list"):
        return redirect("programs:my_activities" if back == "my" else "programs:activity_enrolments",
                        *([] if back == "my" else [enrolment.activity_id]))
    return redirect("programs:activity", pk=enrolment.activity_id)


@require_GET
@login_required
def my_activities(request: HttpRequest) -> HttpResponse:
    """The user's sign-ups and those they made for their children, with their check-in codes."""
    rows = list(my_enrolments(request.user, include_past=request.GET.get("past") == "1")[:200])
    cancellable = {e.pk for e in rows if "cancel" in enrolment_allowed_actions(request.user, e)}
    token = calendar_token(request.user)
    feed = request.build_absolute_uri(reverse("programs:my_calendar", args=[token.token])) if token else ""
    return render(request, "programs/activities_mine.html", {
        "rows": rows, "cancellable": cancellable, "feed": feed, "past": request.GET.get("past") == "1"})


@require_GET
@login_required
def enrolment_qr(request: HttpRequest, pk: int) -> HttpResponse:
    """The check-in code of a sign-up as a QR code (SVG) for staff to scan."""
    enrolment = access_enrolment(request.user, pk)
    buffer = BytesIO()
    segno.make(enrolment.code, error="m").save(buffer, kind="svg", scale=6, border=2, xmldecl=False, svgns=True,
                                                title=enrolment.code)
    response = HttpResponse(buffer.getvalue(), content_type="image/svg+xml")
    response["Cache-Control"] = "private, max-age=3600"
    return response


@require_POST
@login_required
def calendar_reset(request: HttpRequest) -> HttpResponse:
    calendar_token_reset(actor=request.user)
    messages.success(request, _("Your calendar link is ready; an old link no longer works."))
    return redirect(reverse("programs:my_activities") + "#calendar")


def _ics(request: HttpRequest, sessions: Any, *, name: str, filename: str) -> HttpResponse:
    body = sessions_calendar(sessions, name=name, url_of=lambda s: request.build_absolute_uri(
        reverse("programs:activity", args=[s.activity_id])))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
@login_required
def place_calendar(request: HttpRequest, code: str) -> HttpResponse:
    """The published sessions of the activities at or under a place (by code or id), as the meetings' feed:
    for users signed in."""
    place = Place.objects.filter(code=code).first() or (
        Place.objects.filter(pk=int(code)).first() if code.isdigit() and len(code) < 18 else None)
    if place is None:
        raise Http404
    return _ics(request, place_sessions(request.user, place), name=_("Activities at %(place)s") %
                {"place": place.name}, filename=f"activities-{place.code}.ics")


@require_GET
def my_calendar(request: HttpRequest, token: str) -> HttpResponse:
    """The sessions of a user's confirmed sign-ups and their children's; the secret in the address is the key
    (calendar apps cannot log in)."""
    user = user_of_token(token)
    if user is None:
        raise Http404
    return _ics(request, person_sessions(user), name=_("My activities"), filename="my-activities.ics")


# Staff pages


def _organisers(request: HttpRequest) -> list[Organisation]:
    """Organisations that may organise the user's activities: at, above or below the places they run."""
    paths = scope_paths(request.user, "activity.manage")
    rows = Organisation.objects.select_related("place")
    if paths is not None:
        above = {path[:n] for path in paths for n in range(1, len(path) + 1)}
        rows = rows.filter(within_q("place__path", paths) | Q(place__path__in=above))
    found = list(rows.order_by("place__path", "name")[:ORGANISERS_MAX])
    if paths is None:
        return found
    # The organisations at the places the user runs first (the residents' committee of their community), then
    # those below them, then those above.
    return sorted(found, key=lambda o: (0 if o.place.path in paths else 2 if o.place.path in above else 1,
                                        o.place.path, o.name))


def _activity_values(data: dict[str, Any], organisers: list[Organisation]) -> dict[str, Any]:
    values = {field: data[field] for field in EDITABLE_FIELDS if field in data and field != "organiser"}
    values["organiser"] = next(o for o in organisers if str(o.pk) == data["organiser"])
    values["fee"] = data["fee"] if data["fee"] is not None else 0
    return values


@login_required
def activity_new(request: HttpRequest) -> HttpResponse:
    places = list(filter_places(request.user, "activity.manage"))
    if not places:
        raise PermissionDenied
    organisers = _organisers(request)
    form = ActivityForm(request.POST or None, places=places, organisers=organisers)
    session_form = SessionForm(request.POST or None, prefix="session")
    if request.method == "POST" and form.is_valid() and session_form.is_valid():
        data = form.cleaned_data
        place = next(p for p in places if str(p.pk) == data["place"])
        try:
            with transaction.atomic():
                created = activity_create(actor=request.user, place=place, **_activity_values(data, organisers))
                session_add(actor=request.user, activity=created, **session_form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
            apply_service_errors(session_form, error)
        else:
            messages.success(request, _("The draft is saved. Add more sessions or publish it."))
            return redirect("programs:activity_edit", pk=created.pk)
    return render(request, "programs/activities_form.html", {
        "form": form, "session_form": session_form, "item": None},
        status=400 if form.is_bound and (form.errors or session_form.errors) else 200)


@login_required
def activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = access_activity(request.user, pk, "activity.manage")
    if "manage" not in activity_allowed_actions(request.user, item):
        raise PermissionDenied
    organisers = _organisers(request)
    if item.organiser not in organisers:
        organisers.insert(0, item.organiser)
    initial = {field: getattr(item, field) for field in EDITABLE_FIELDS if field != "organiser"}
    initial["organiser"] = str(item.organiser_id)
    posted = request.POST if request.method == "POST" and "save" in request.POST else None
    form = ActivityForm(posted, initial=initial, organisers=organisers, editing=True)
    session_form = SessionForm(request.POST if request.method == "POST" and "add_session" in request.POST else None,
                               prefix="session")
    if posted is not None and form.is_valid():
        try:
            activity_update(actor=request.user, activity=item, **_activity_values(form.cleaned_data, organisers))
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The activity is saved."))
            return redirect("programs:activity_edit", pk=item.pk)
    if session_form.is_bound and session_form.is_valid():
        try:
            session_add(actor=request.user, activity=item, **session_form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(session_form, error)
        else:
            messages.success(request, _("The session is added."))
            return redirect("programs:activity_edit", pk=item.pk)
    bad = (form.is_bound and form.errors) or (session_form.is_bound and session_form.errors)
    return render(request, "programs/activities_form.html", {
        "form": form, "session_form": session_form, "item": item,
        "sessions": list(item.sessions.order_by("starts_at", "pk")),
        "actions": activity_allowed_actions(request.user, item)}, status=400 if bad else 200)


@require_POST
@login_required
def session_remove_view(request: HttpRequest, pk: int, session: int) -> HttpResponse:
    item = access_activity(request.user, pk, "activity.manage")
    found = ActivitySession.objects.filter(activity=item, pk=session).first()
    if found is None:
        raise Http404
    try:
        session_remove(actor=request.user, session=found)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The session is removed."))
    return redirect("programs:activity_edit", pk=item.pk)


@require_POST
@login_required
def activity_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """Publish or cancel."""
    item = access_activity(request.user, pk, "activity.manage")
    service = {"publish": activity_publish, "cancel": activity_cancel}.get(step)
    if service is None:
        raise Http404
    try:
        service(actor=request.user, activity=item)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The activity is open for sign-up.") if step == "publish"
                         else _("The activity is cancelled."))
    return redirect("programs:activity", pk=item.pk)


@require_GET
@login_required
def activity_enrolments_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The sign-ups: confirmed, the waiting list in order, the cancelled (names and phones as the user may see)."""
    item = access_activity(request.user, pk, "enrolment.manage")
    status = request.GET.get("status", "")
    status = status if status in EnrolmentStatus.values else ""
    rows = activity_enrolments(request.user, item, status)
    page = CappedPaginator(rows, 100).get_page(request.GET.get("page"))
    return render(request, "programs/activities_enrolments.html", {
        "activity": item, "page": page, "rows": enrolment_rows(list(page.object_list)), "status": status,
        "statuses": EnrolmentStatus.choices, "actions": activity_allowed_actions(request.user, item)})


@require_GET
@login_required
def activity_enrolments_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    if fmt not in ("csv", "xlsx"):
        raise Http404
    item = access_activity(request.user, pk, "enrolment.manage")
    return table_response(fmt, enrolment_headers(), enrolment_table(request.user, item),
                          filename=f"activity-{item.pk}-sign-ups", title=_("Activity sign-ups"),
                          widths=(14, 16, 14, 10, 18, 18, 18, 20))


@login_required
def activity_desk(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff sign someone up at the desk: search a person by name or phone tail in their scope, then sign up."""
    item = access_activity(request.user, pk, "enrolment.manage")
    if "desk" not in activity_allowed_actions(request.user, item):
        raise PermissionDenied
    search = DeskSearchForm(request.GET or None)
    found = desk_people(request.user, search.cleaned_data["q"]) if search.is_valid() else []
    error = ""
    if request.method == "POST":
        person_id = request.POST.get("person", "")
        person = visible_to(request.user, "person.view", Person.objects.all()).filter(
            pk=int(person_id)).first() if person_id.isdigit() and len(person_id) < 18 else None
        if person is None:
            raise Http404
        try:
            enrolment = enrolment_create(actor=request.user, activity=item, participant=person)
        except ValidationError as refused:
            error = " ".join(refused.messages)
        else:
            messages.success(request, _("%(name)s is signed up (%(status)s).") % {
                "name": person.name, "status": enrolment.get_status_display()})
            return redirect("programs:activity_desk", pk=item.pk)
    return render(request, "programs/activities_desk.html", {
        "activity": item, "search": search, "found": found, "error": error}, status=400 if error else 200)


urlpatterns = [
    path("activities/", activities, name="activities"),
    path("activities/manage/", activities_manage, name="activities_manage"),
    path("activities/new/", activity_new, name="activity_new"),
    path("activities/<int:pk>/", activity, name="activity"),
    path("activities/<int:pk>/edit/", activity_edit, name="activity_edit"),
    path("activities/<int:pk>/sessions/<int:session>/remove/", session_remove_view, name="session_remove"),
    path("activities/<int:pk>/publish/", activity_step, {"step": "publish"}, name="activity_publish"),
    path("activities/<int:pk>/cancel/", activity_step, {"step": "cancel"}, name="activity_cancel"),
    path("activities/<int:pk>/sign-ups/", activity_enrolments_view, name="activity_enrolments"),
    path("activities/<int:pk>/sign-ups.<str:fmt>", activity_enrolments_export, name="activity_enrolments_export"),
    path("activities/<int:pk>/desk/", activity_desk, name="activity_desk"),
    path("sign-ups/<int:pk>/cancel/", enrolment_cancel_view, name="enrolment_cancel"),
    path("sign-ups/<int:pk>/qr.svg", enrolment_qr, name="enrolment_qr"),
    path("my-activities/", my_activities, name="my_activities"),
    path("my-activities/calendar/reset/", calendar_reset, name="my_calendar_reset"),
    path("calendar/place/<str:code>.ics", place_calendar, name="place_calendar"),
    path("calendar/me/<str:token>.ics", my_calendar, name="my_calendar"),
]
