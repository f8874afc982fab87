"""What deliberation shows in the shell: its nav entry and tab bar, and its work cards on the home (staff: votes
to run, meetings this week, notices to publish; owners: a card per vote to cast, the notice board, meetings)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from commonground.core import clock
from commonground.core.permissions import can
from commonground.web.registry import (
    NORMAL,
    QUIET,
    URGENT,
    HomeCard,
    NavEntry,
    QuickAction,
    Tab,
    WorkCard,
    WorkItem,
    WorkLink,
    first_rows,
)

from .home_selectors import (
    meetings_ahead,
    meetings_to_announce,
    notices_posted,
    votes_to_cast,
    votes_to_manage,
)
from .models import Meeting, Vote, VoteStatus

# (label, permission or "own" for owners with a person record, URL name)
TABS: list[tuple[Any, str, str]] = [
    (_("My votes"), "own", "deliberation:my-votes"),
    (_("Votes and elections"), "vote.manage", "deliberation:votes"),
    (_("Notices"), "notice.view", "deliberation:notices"),
    (_("Meetings"), "meeting.view", "deliberation:meetings"),
    (_("Renewal representatives"), "representative.view", "deliberation:representatives"),
]


def tabs_for(user: Any, path: str) -> list[Tab]:
    """The deliberation pages this user may open; the tab whose address is the longest prefix of the
    current path is current (a meeting's page keeps "Meetings" lit)."""
    allowed = []
    for label, permission, name in TABS:
        if bool(getattr(user, "person_id", None)) if permission == "own" else can(user, permission):
            allowed.append((str(label), reverse(name)))
    current = max((url for _label, url in allowed if path.startswith(url)), key=len, default=None)
    return [Tab(label, url, url == current) for label, url in allowed]


NAV = NavEntry("deliberation", _("Deliberation"), order=60, active_prefix="/deliberation/", tabs=tabs_for,
               icon="people", primary=True)


GROUP = _("Deliberation")
LISTED = 3  # rows a list card shows; the rest are one click away
STAFF_DAYS = 7  # "this week" for those who run meetings: the next seven days


def _when(moment: Any) -> str:
    return date_format(timezone.localtime(moment), str(_("M j, H:i")))


def _meeting_item(meeting: Meeting) -> WorkItem:
    return WorkItem(meeting.title, reverse("deliberation:meeting", args=[meeting.pk]), detail=meeting.place.name,
                    meta=_when(meeting.starts_at))


def staff_cards(user: Any) -> list[WorkCard]:
    """Votes to run (drafts, under way), meetings in the next seven days, meeting notices not posted yet."""
    cards = []
    if can(user, "vote.manage"):
        counts = votes_to_manage(user)
        votes = reverse("deliberation:votes")
        for order, status, label in ((40, VoteStatus.DRAFT, _("Votes in preparation")),
                                     (41, VoteStatus.ANNOUNCED, _("Votes under way"))):
            cards.append(WorkCard(f"deliberation.votes-{status}", label, group=GROUP,
                                  url=f"{votes}?{urlencode({'status': status})}", count=counts[status],
                                  tone=NORMAL if counts[status] else QUIET, order=order))
    if can(user, "meeting.change"):
        meetings, total = first_rows(meetings_ahead(user, days=STAFF_DAYS), LISTED)
        cards.append(WorkCard("deliberation.meetings-week", _("Meetings in the next 7 days"), group=GROUP,
                              url=reverse("deliberation:meetings"), count=total,
                              items=tuple(_meeting_item(m) for m in meetings), tone=NORMAL if total else QUIET,
                              order=60))
    if can(user, "meeting.change") and can(user, "notice.publish"):
        meetings, total = first_rows(meetings_to_announce(user), LISTED)
        cards.append(WorkCard("deliberation.notices-to-publish", _("Notices to publish"), group=GROUP,
                              url=reverse("deliberation:meetings"), count=total,
                              items=tuple(WorkItem(m.title, reverse("deliberation:meeting", args=[m.pk]),
                                                   detail=str(_("The meeting notice is not posted yet.")),
                                                   meta=_when(m.starts_at)) for m in meetings),
                              tone=URGENT if total else QUIET, order=61))
    return cards


def _where_it_stands(vote: Vote) -> str:
    if not vote.has_voted:
        return str(_("Voting opens %(when)s") % {"when": _when(vote.opens_at)})
    if vote.allow_change:
        return str(_("You have voted; you may change your ballot until %(when)s.") % {"when": _when(vote.closes_at)})
    return str(_("You have voted."))


def ballot_cards(user: Any) -> list[WorkCard]:
    """A card per open vote the user may still cast a ballot in, leading to the ballot; votes announced but not
    open yet, and those already cast, are listed on one card."""
    votes = votes_to_cast(user)
    if not votes:
        return []
    now = clock.now()
    cards = [
        WorkCard(f"deliberation.vote-{vote.pk}", vote.title, count=None, tone=URGENT, order=5,
                 detail=str(_("%(estate)s · voting closes %(when)s") % {"estate": vote.estate.name,
                                                                        "when": _when(vote.closes_at)}),
                 action=WorkLink(str(_("Vote now")), reverse("deliberation:vote", args=[vote.pk])))
        for vote in votes if vote.opens_at <= now and not vote.has_voted]
    others = [vote for vote in votes if vote.opens_at > now or vote.has_voted]
    if others:
        items = tuple(WorkItem(vote.title, reverse("deliberation:vote", args=[vote.pk]), detail=vote.estate.name,
                               meta=_where_it_stands(vote)) for vote in others)
        cards.append(WorkCard("deliberation.my-votes", _("My votes"), reverse("deliberation:my-votes"),
                              items=items, order=6))
    return cards


def resident_cards(user: Any) -> list[WorkCard]:
    """What is on the notice board and the meetings coming up, for those who read the board and attend (those
    who post and run them have the staff cards)."""
    cards = []
    if can(user, "notice.view") and not can(user, "notice.publish"):
        notices, total = first_rows(notices_posted(user), LISTED)
        if notices:
            cards.append(WorkCard("deliberation.notices", _("On the notice board"), reverse("deliberation:notices"),
                                  count=total, order=70, items=tuple(
                                      WorkItem(n.title, reverse("deliberation:notice", args=[n.pk]),
                                               detail=n.place.name, meta=date_format(n.posted_on, "SHORT_DATE_FORMAT"))
                                      for n in notices)))
    if can(user, "meeting.view") and not can(user, "meeting.change"):
        meetings, total = first_rows(meetings_ahead(user), LISTED)
        if meetings:
            cards.append(WorkCard("deliberation.meetings", _("Meetings coming up"), reverse("deliberation:meetings"),
                                  count=total, items=tuple(_meeting_item(m) for m in meetings), order=71))
    return cards


WORK_CARDS = (ballot_cards, staff_cards, resident_cards)
QUICK_ACTIONS = (QuickAction("notice.view", _("Notice board"), ("deliberation:notices",), order=20),)
HOME_CARDS = (
    HomeCard("vote.manage", _("Run owners' votes and elections"), ("deliberation:votes",), order=240),
    HomeCard("notice.view", _("Read the public notices"), ("deliberation:notices",), order=250),
    HomeCard("meeting.view", _("See the deliberation meetings"), ("deliberation:meetings",), order=260),
)
