"""Reads for the home's work cards: votes to run and to cast, meetings coming up, meetings whose notice is not
posted yet, notices on the board. Each starts from the rule of its model (`votes_for`, `meetings_for`,
`notices_for`, the resolver's `visible_to`), so a card holds nothing its lists would not show."""

from __future__ import annotations

import datetime

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from commonground.core import clock
from commonground.core.models import User
from commonground.core.permissions import visible_to

from .models import Ballot, ElectorMember, Meeting, MeetingStatus, Notice, Vote, VoteStatus
from .selectors import meetings_for, notices_for, votes_for

MANAGED_STATUSES = (VoteStatus.DRAFT, VoteStatus.ANNOUNCED)


def votes_to_manage(actor: User) -> dict[str, int]:
    """How many votes the actor runs are drafts and how many are announced (under way): one query."""
    counts = dict(visible_to(actor, "vote.manage", Vote.objects.filter(status__in=MANAGED_STATUSES))
                  .order_by().values_list("status").annotate(n=Count("pk")))
    return {status: counts.get(status, 0) for status in MANAGED_STATUSES}


def votes_to_cast(actor: User) -> list[Vote]:
    """Announced votes not yet closed on whose register the actor's person stands, soonest closing first, each
    with `has_voted`: whether a ballot of theirs is in. One query."""
    person_id = getattr(actor, "person_id", None)
    if not person_id:
        return []
    on_register = ElectorMember.objects.filter(person_id=person_id).values("elector__vote")
    theirs = Ballot.objects.filter(vote=OuterRef("pk"), elector__memberships__person_id=person_id)
    return list(votes_for(actor).filter(pk__in=on_register, status=VoteStatus.ANNOUNCED, closes_at__gt=clock.now())
                .annotate(has_voted=Exists(theirs)).order_by("closes_at", "pk"))


def meetings_ahead(actor: User, *, days: int | None = None) -> QuerySet[Meeting]:
    """Planned meetings the actor may see that are not over yet (within `days` from now when given), soonest
    first."""
    now = clock.now()
    meetings = meetings_for(actor).filter(status=MeetingStatus.PLANNED, ends_at__gte=now)
    if days is not None:
        meetings = meetings.filter(starts_at__lt=now + datetime.timedelta(days=days))
    return meetings.order_by("starts_at", "pk")


def meetings_to_announce(actor: User) -> QuerySet[Meeting]:
    """Planned meetings, today or later, that the actor runs and may post on the board, with no notice posted
    yet: the notices waiting to be published. Soonest first."""
    start = timezone.make_aware(datetime.datetime.combine(clock.today(), datetime.time.min))
    meetings = visible_to(actor, "meeting.change", Meeting.objects.select_related("place"))
    meetings = visible_to(actor, "notice.publish", meetings)
    posted = Notice.objects.filter(meeting=OuterRef("pk"))
    return (meetings.filter(status=MeetingStatus.PLANNED, starts_at__gte=start).filter(~Exists(posted))
            .order_by("starts_at", "pk"))


def notices_posted(actor: User) -> QuerySet[Notice]:
    """Notices the actor may see that are on the board today (posted, not ended), newest first."""
    today = clock.today()
    return (notices_for(actor).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today), posted_on__lte=today)
            .order_by("-posted_on", "-pk"))
