"""iCalendar (RFC 5545) feeds of activity sessions, written by `icalendar` as the meetings' feed is
(deliberation/calendar.py): times in the local zone with its VTIMEZONE, single-line properties on one line, a
cancelled activity's sessions marked cancelled so calendar apps drop them."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable

from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from commonground.core.text import clean_text
from commonground.core.validators import in_calendar_range

from .models import ActivitySession, ActivityStatus

PRODID = "-//CommonGround//Activities//ZH"


def _line(text: str) -> str:
    return clean_text(text, multiline=False)


def session_uid(session: ActivitySession) -> str:
    """Stable across downloads, so a calendar app updates the event instead of adding a copy."""
    return f"activity-session-{session.pk}@commonground"


def session_event(session: ActivitySession, *, url: str = "") -> Event:
    activity = session.activity
    where = f"{session.venue}（{activity.place.name}）" if session.venue else activity.place.name
    event = Event.new(
        uid=session_uid(session), summary=_line(activity.title),
        description=clean_text(activity.description or str(activity.get_kind_display())),
        start=timezone.localtime(session.starts_at), end=timezone.localtime(session.ends_at),
        location=_line(where), stamp=max(session.updated_at, activity.updated_at), url=url or None,
        categories=[str(activity.get_kind_display())],
    )
    event.add("status", "CANCELLED" if activity.status == ActivityStatus.CANCELLED else "CONFIRMED")
    event.add("last-modified", max(session.updated_at, activity.updated_at))
    return event


def sessions_calendar(sessions: Iterable[ActivitySession], *, name: str,
                      url_of: Callable[[ActivitySession], str] = lambda session: "") -> bytes:
    """A VCALENDAR with one event per session and the time zones they use."""
    calendar = Calendar.new(prodid=PRODID, name=_line(name or _("Activities and courses")),
                            uid="commonground-activities")
    sessions = [s for s in sessions if in_calendar_range(s.starts_at) and in_calendar_range(s.ends_at)]
    for session in sessions:
        calendar.add_component(session_event(session, url=url_of(session)))
    if sessions:
        first = min(timezone.localtime(s.starts_at).date() for s in sessions)
        last = max(timezone.localtime(s.ends_at).date() for s in sessions)
        calendar.add_missing_timezones(first_date=first - datetime.timedelta(days=1),
                                       last_date=last + datetime.timedelta(days=1))
    return calendar.to_ical()
