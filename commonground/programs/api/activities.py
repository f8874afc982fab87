"""The activities API: the noticeboard and an activity with its sessions, signing up (oneself, a child, or at the
desk) and cancelling, one's sign-ups; for staff their activities (drafts too), create, update, sessions, publish,
cancel and the sign-up list. The same services and selectors as the pages."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router

from commonground.core.api_pages import Page, PageQuery, paginate
from commonground.core.api_types import ErrorOut, Id
from commonground.core.masking import shown
from commonground.core.models import Organisation, Person, Place
from commonground.core.permissions import can, visible_to

from ..activities_schemas import (
    ActivityDetailOut,
    ActivityIn,
    ActivityOut,
    ActivityQuery,
    ActivitySessionIn,
    ActivitySessionOut,
    ActivityStaffQuery,
    ActivityUpdateIn,
    EnrolmentIn,
    EnrolmentOut,
    EnrolmentStaffOut,
)
from ..activities_selectors import (
    ActivityFilters,
    access_activity,
    access_enrolment,
    activity_enrolments,
    my_enrolments,
    noticeboard,
    staff_activities,
    waiting_position,
)
from ..models import Enrolment, EnrolmentStatus
from ..services.activities import (
    activity_cancel,
    activity_create,
    activity_publish,
    activity_update,
    enrolment_cancel,
    enrolment_create,
    session_add,
)

router = Router()
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut}


def _filters(request: HttpRequest, query: ActivityQuery, action: str) -> ActivityFilters:
    place = None
    if query.place:
        place = visible_to(request.user, action, Place.objects.filter(code=query.place)).first()
        if place is None:
            raise Http404
    return ActivityFilters(kind=query.kind or "", audience=query.audience or "", place=place,
                           open_now=query.open_now, text=query.q, status=getattr(query, "status", None) or "")


@router.get("/activities", response=Page[ActivityOut])
def activity_list(request: HttpRequest, filters: ActivityQuery = Query(...),
                  pages: PageQuery = Query(...)) -> dict[str, Any]:
    """The noticeboard: published activities not over, the soonest first."""
    return paginate(noticeboard(request.user, _filters(request, filters, "place.view")), pages)


@router.get("/activities/managed", response={200: Page[ActivityOut], 403: ErrorOut})
def activity_managed(request: HttpRequest, filters: ActivityStaffQuery = Query(...),
                     pages: PageQuery = Query(...)):
    """The activities the caller runs, drafts too."""
    if not can(request.user, "activity.manage"):
        raise PermissionDenied
    return paginate(staff_activities(request.user, _filters(request, filters, "activity.manage")), pages)


def _detail(activity) -> Any:
    activity.sessions_list = list(activity.sessions.order_by("starts_at", "pk"))
    activity.waiting = Enrolment.objects.filter(activity=activity, status=EnrolmentStatus.WAITING).count()
    return activity


@router.get("/activities/{int:activity_id}", response={200: ActivityDetailOut, **ERRORS})
def activity_detail(request: HttpRequest, activity_id: Id):
    """An activity with its sessions, places left and the waiting list's length."""
    return _detail(access_activity(request.user, activity_id))


@router.post("/activities", response={200: ActivityOut, **ERRORS})
def activity_new(request: HttpRequest, payload: ActivityIn):
    """A draft activity at a place the caller runs."""
    place = get_object_or_404(visible_to(request.user, "activity.manage", Place.objects.all()), pk=payload.place)
    organiser = get_object_or_404(Organisation.objects.select_related("place"), pk=payload.organiser)
    data = payload.dict(exclude={"place", "organiser"})
    return activity_create(actor=request.user, place=place, organiser=organiser, **data)


@router.patch("/activities/{int:activity_id}", response={200: ActivityOut, **ERRORS})
def activity_change(request: HttpRequest, activity_id: Id, payload: ActivityUpdateIn):
    """Change the fields given; more places promote the waiting list."""
    activity = access_activity(request.user, activity_id, "activity.manage")
    changes = payload.dict(exclude_unset=True)
    if "organiser" in changes:
        changes["organiser"] = get_object_or_404(Organisation.objects.select_related("place"),
                                                 pk=changes["organiser"])
    for field in ("title", "kind", "description", "audience", "capacity", "signup_opens_at", "signup_closes_at",
                  "fee", "allow_walk_ins"):
        if field in changes and changes[field] is None:
            del changes[field]
    return activity_update(actor=request.user, activity=activity, **changes)


@router.post("/activities/{int:activity_id}/sessions", response={200: ActivitySessionOut, **ERRORS})
def activity_session_new(request: HttpRequest, activity_id: Id, payload: ActivitySessionIn):
    activity = access_activity(request.user, activity_id, "activity.manage")
    return session_add(actor=request.user, activity=activity, **payload.dict())


@router.post("/activities/{int:activity_id}/publish", response={200: ActivityOut, **ERRORS})
def activity_open(request: HttpRequest, activity_id: Id):
    return activity_publish(actor=request.user, activity=access_activity(request.user, activity_id,
                                                                          "activity.manage"))


@router.post("/activities/{int:activity_id}/cancel", response={200: ActivityOut, **ERRORS})
def activity_stop(request: HttpRequest, activity_id: Id):
    return activity_cancel(actor=request.user, activity=access_activity(request.user, activity_id,
                                                                         "activity.manage"))


@router.post("/activities/{int:activity_id}/sign-ups", response={200: EnrolmentOut, **ERRORS})
def activity_sign_up(request: HttpRequest, activity_id: Id, payload: EnrolmentIn):
    """Sign up oneself (no participant), a child of one's household, or (staff) a person they see."""
    activity = access_activity(request.user, activity_id)
    participant = None
    if payload.participant is not None:
        from ..audience import household_people

        own = Person(pk=request.user.person_id) if request.user.person_id else None
        reachable = visible_to(request.user, "person.view", Person.objects.all())
        if own is not None:
            reachable = Person.objects.filter(Q(pk__in=reachable.values("pk")) | household_people(own))
        participant = get_object_or_404(reachable, pk=payload.participant)
    enrolment = enrolment_create(actor=request.user, activity=activity, participant=participant)
    return my_enrolments(request.user, include_past=True).filter(pk=enrolment.pk).first() or \
        Enrolment.objects.annotate(position=waiting_position()).select_related("activity", "participant").get(
            pk=enrolment.pk)


@router.get("/activities/{int:activity_id}/sign-ups", response={200: Page[EnrolmentStaffOut], **ERRORS})
def activity_sign_up_list(request: HttpRequest, activity_id: Id, status: EnrolmentStatus | None = None,
                          pages: PageQuery = Query(...)):
    """The sign-ups (staff): confirmed, the waiting list in order, the cancelled; names and phones masked where
    the caller may not see them in full."""
    activity = access_activity(request.user, activity_id, "enrolment.manage")
    page = paginate(activity_enrolments(request.user, activity, status or ""), pages)
    page["items"] = [{"id": e.pk, "name": shown("name", e.participant.name, in_full=e.in_full),
                      "phone": shown("phone", e.participant.phone, in_full=e.in_full), "status": e.status,
                      "waiting_position": e.position, "signed_up_at": e.created_at} for e in page["items"]]
    return page


@router.get("/my-sign-ups", response=Page[EnrolmentOut])
def my_sign_ups(request: HttpRequest, past: bool = False, pages: PageQuery = Query(...)) -> dict[str, Any]:
    """The caller's sign-ups and those they made for their children, with their check-in codes."""
    return paginate(my_enrolments(request.user, include_past=past), pages)


@router.post("/sign-ups/{int:enrolment_id}/cancel", response={200: EnrolmentOut, **ERRORS})
def sign_up_cancel(request: HttpRequest, enrolment_id: Id):
    enrolment = enrolment_cancel(actor=request.user, enrolment=access_enrolment(request.user, enrolment_id))
    return Enrolment.objects.annotate(position=waiting_position()).select_related("activity", "participant").get(
        pk=enrolment.pk)
