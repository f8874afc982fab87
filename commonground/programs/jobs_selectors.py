"""Reads of the job postings: the board, a posting, a job fair with its figures, the organiser's counts by posting
with the interested people (masked as the reader's role requires), one's own interests, and the couriers' home's
postings. Every query's count is fixed whatever the number of rows."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from commonground.core import clock
from commonground.core.masking import personal_flag, shown
from commonground.core.models import Place, PlaceKind, User
from commonground.core.models.places import SEGMENT_WIDTH, within_q
from commonground.core.permissions import access_object, scope_paths, visible_to

from .models import Activity, ActivityKind, JobInterest, JobPosting, PostingAudience, PostingStatus

HOME_AUDIENCES = (PostingAudience.COURIER_FAMILIES, PostingAudience.NEW_EMPLOYMENT)


def open_q(today: datetime.date | None = None, prefix: str = "") -> Q:
    """Published and its closing day not passed."""
    today = today or clock.today()
    return Q(**{f"{prefix}status": PostingStatus.PUBLISHED}) & (
        Q(**{f"{prefix}closes_on__isnull": True}) | Q(**{f"{prefix}closes_on__gte": today}))


def _active_interests() -> Subquery:
    return Subquery(JobInterest.objects.filter(posting=OuterRef("pk"), withdrawn_at__isnull=True)
                    .order_by().values("posting").annotate(n=Count("pk")).values("n"), output_field=IntegerField())


def postings_for(actor: User, action: str = "posting.view") -> QuerySet[JobPosting]:
    """The postings `actor` sees: published and closed ones everyone signed in sees; drafts where the actor holds
    "posting.view" (staff at the place, an enterprise contact at their building)."""
    return visible_to(actor, action, JobPosting.objects.select_related("place", "fair"))


def access_posting(actor: User, pk: int, action: str = "posting.view") -> JobPosting:
    """The posting for `action`: Http404 unless the actor sees it, PermissionDenied when seen but not theirs."""
    return access_object(actor, postings_for(actor), action, view_action="posting.view",
                         missing=_("No such job posting."), pk=pk)


def manages_postings(actor: User) -> bool:
    """Does `actor` post positions anywhere?"""
    paths = scope_paths(actor, "posting.manage")
    return paths is None or bool(paths)


POSTING_KINDS = (PlaceKind.DISTRICT, PlaceKind.STREET, PlaceKind.COMMUNITY, PlaceKind.BUSINESS_COMMUNITY,
                 PlaceKind.OFFICE_BUILDING, PlaceKind.FACILITY)


def posting_places(actor: User) -> QuerySet[Place]:
    """The places where `actor` may post, in tree order: their roles' places holding "posting.manage" and the
    communities, business communities, office buildings and facilities (a couriers' home) under them."""
    paths = scope_paths(actor, "posting.manage")
    places = Place.objects.filter(kind__in=POSTING_KINDS).order_by("path")
    if paths is None:
        return places
    if not paths:
        return places.none()
    return places.filter(within_q("path", paths))


@dataclass
class BoardFilters:
    fair: int | None = None
    audience: str = ""
    place: int | None = None
    text: str = ""


def posting_board(actor: User, filters: BoardFilters | None = None) -> QuerySet[JobPosting]:
    """The board: published postings still open, newest first, by fair, audience, place (posted within it) or
    words in the title, employer, requirements or location."""
    filters = filters or BoardFilters()
    rows = postings_for(actor).filter(open_q())
    if filters.fair:
        rows = rows.filter(fair_id=filters.fair)
    if filters.audience in PostingAudience.values:
        rows = rows.filter(audience=filters.audience)
    if filters.place:
        place = Place.objects.filter(pk=filters.place).only("path").first()
        rows = rows.filter(within_q("place_path", [place.path])) if place else rows.none()
    if text := filters.text.strip()[:100]:
        rows = rows.filter(Q(title__icontains=text) | Q(employer_name__icontains=text)
                           | Q(requirements__icontains=text) | Q(work_location__icontains=text))
    return rows.order_by("-published_at", "-pk")


def postings_for_home(place: Place, limit: int = 5) -> list[JobPosting]:
    """For the couriers' home page: open postings for couriers, riders, drivers and their families posted within
    the home's street, newest first (a noticeboard: what anyone signed in sees)."""
    street = place.path[:2 * SEGMENT_WIDTH]
    return list(JobPosting.objects.filter(open_q(), street_path=street, audience__in=HOME_AUDIENCES)
                .select_related("fair").order_by("-published_at", "-pk")[:limit])


def fairs_for(actor: User) -> QuerySet[Activity]:
    """The job fairs `actor` sees, newest first, with their postings' positions and postings counted (published
    and closed postings: drafts are not on the fair yet)."""
    shown_q = ~Q(job_postings__status=PostingStatus.DRAFT)
    return (visible_to(actor, "activity.view", Activity.objects.filter(kind=ActivityKind.JOB_FAIR))
            .select_related("place", "organiser")
            .annotate(positions_total=Coalesce(Sum("job_postings__positions", filter=shown_q), Value(0)),
                      postings_total=Count("job_postings", filter=shown_q))
            .order_by("-first_starts_at", "-pk"))


def access_fair(actor: User, pk: int) -> Activity:
    """A job fair the actor sees (Http404 otherwise)."""
    return access_object(actor, fairs_for(actor), "activity.view", view_action="activity.view",
                         missing=_("No such job fair."), pk=pk)


@dataclass
class FairFigures:
    postings: int
    positions: int
    employers: int
    interests: int


def fair_postings(actor: User, fair: Activity) -> QuerySet[JobPosting]:
    """The fair's postings the actor sees (drafts only for those who manage them), by employer, with the active
    interests in each."""
    return (postings_for(actor).filter(fair=fair).annotate(interest_count=Coalesce(_active_interests(), 0))
            .order_by("employer_name", "pk"))


def fair_figures(fair: Activity) -> FairFigures:
    """The fair's figures from its postings (published and closed): positions are the postings' positions summed."""
    rows = JobPosting.objects.filter(fair=fair).exclude(status=PostingStatus.DRAFT)
    figures = rows.aggregate(postings=Count("pk"), positions=Coalesce(Sum("positions"), 0),
                             employers=Count("employer_name", distinct=True))
    interests = JobInterest.objects.filter(posting__in=rows, withdrawn_at__isnull=True).count()
    return FairFigures(figures["postings"], figures["positions"], figures["employers"], interests)


def managed_postings(actor: User, *, fair: int | None = None, status: str = "") -> QuerySet[JobPosting]:
    """The organiser's view: the postings `actor` manages, newest first, each with its active interests."""
    rows = postings_for(actor, "posting.manage").annotate(interest_count=Coalesce(_active_interests(), 0))
    if fair:
        rows = rows.filter(fair_id=fair)
    if status in PostingStatus.values:
        rows = rows.filter(status=status)
    return rows.order_by("-created_at", "-pk")


def managed_totals(rows: QuerySet[JobPosting]) -> dict[str, int]:
    """The positions and the active interests of the organiser's postings (`rows`, as filtered), summed."""
    positions = rows.order_by().aggregate(n=Coalesce(Sum("positions"), 0))["n"]
    interests = JobInterest.objects.filter(posting__in=rows.order_by().values("pk"), withdrawn_at__isnull=True).count()
    return {"positions": positions, "interests": interests}


def posting_interests(actor: User, posting: JobPosting) -> list[dict[str, Any]]:
    """The people interested in a posting the actor manages: name (masked unless the actor may see personal data
    there), phone only when the person agreed the employer may call (then in full), note, when."""
    rows = (JobInterest.objects.filter(posting=posting, withdrawn_at__isnull=True)
            .select_related("person").annotate(in_full=personal_flag(actor, "place_path")).order_by("expressed_at", "pk"))
    return [{"pk": row.pk, "name": shown("name", row.person.name, in_full=row.in_full),
             "phone": row.person.phone if row.phone_consent else "", "note": row.note,
             "expressed_at": row.expressed_at} for row in rows]


def my_interests(actor: User) -> QuerySet[JobInterest]:
    """The actor's own interests (active first, newest first)."""
    if not actor.is_authenticated or not actor.person_id:
        return JobInterest.objects.none()
    return (JobInterest.objects.filter(person_id=actor.person_id).select_related("posting", "posting__fair")
            .order_by(F("withdrawn_at").asc(nulls_first=True), "-expressed_at", "-pk"))


def my_interest(actor: User, posting: JobPosting) -> JobInterest | None:
    if not actor.is_authenticated or not actor.person_id:
        return None
    return JobInterest.objects.filter(person_id=actor.person_id, posting=posting).first()


def interested_flags(actor: User, rows: QuerySet[JobPosting]) -> QuerySet[JobPosting]:
    """The rows marked with whether the actor has an active interest in each (`mine`)."""
    person = getattr(actor, "person_id", None)
    return rows.annotate(mine=Exists(JobInterest.objects.filter(posting=OuterRef("pk"), person_id=person,
                                                                withdrawn_at__isnull=True)) if person
                         else Value(False))


def counts_headers() -> list[str]:
    return [_("Employer's name"), _("Unified social credit code"), _("Job title"), _("Positions offered"),
            _("Lowest monthly pay (yuan)"), _("Highest monthly pay (yuan)"), _("Posting open to"),
            _("Posting status"), _("Job fair"), _("Published at"), _("Applications close on"),
            _("People interested")]


def counts_rows(actor: User, rows: QuerySet[JobPosting]):
    """The organiser's counts by posting as export rows (no personal data)."""
    for posting in rows.iterator(chunk_size=500):
        yield [posting.employer_name, posting.employer_credit_code, posting.title, posting.positions,
               posting.pay_min, posting.pay_max, posting.get_audience_display(), posting.get_status_display(),
               posting.fair.title if posting.fair else "", posting.published_at, posting.closes_on,
               posting.interest_count]
