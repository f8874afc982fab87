"""iCalendar (RFC 5545) files of meetings for phones' and desktops' calendar apps, written by `icalendar`.

Times are written in the local zone with its VTIMEZONE (Asia/Shanghai), so a meeting at 14:00 shows at 14:00.
Single-line properties (the calendar's name, a summary, a location) are written on one line whatever a row holds,
and a meeting stored with a time outside the platform's years (before the services refused them) is left out
rather than taking the feed down.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable

from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from commonground.core.text import clean_text
from commonground.core.validators import in_calendar_range

from .models import Meeting, MeetingStatus
from .services.meetings import agenda_lines

PRODID = "-//CommonGround//Meetings//ZH"
STATUS = {MeetingStatus.PLANNED: "CONFIRMED", MeetingStatus.HELD: "CONFIRMED", MeetingStatus.CANCELLED: "CANCELLED"}


def meeting_uid(meeting: Meeting) -> str:
    """Stable across downloads, so a calendar app updates the event instead of adding a copy."""
    return f"meeting-{meeting.pk}@commonground"


def meeting_description(meeting: Meeting) -> str:
    return "\n".join([_("Convened by: %(convener)s") % {"convener": meeting.convener.name}, *agenda_lines(meeting)])


def _line(text: str) -> str:
    return clean_text(text, multiline=False)


def meeting_event(meeting: Meeting, *, url: str = "") -> Event:
    """One VEVENT; a cancelled meeting stays in the feed marked cancelled, so calendars drop it."""
    event = Event.new(
        uid=meeting_uid(meeting), summary=_line(meeting.title), description=clean_text(meeting_description(meeting)),
        start=timezone.localtime(meeting.starts_at), end=timezone.localtime(meeting.ends_at),
        location=_line(f"{meeting.venue}（{meeting.place.name}）"), stamp=meeting.updated_at, url=url or None,
        categories=[str(meeting.get_kind_display())],
    )
    event.add("status", STATUS[meeting.status])
    event.add("last-modified", meeting.updated_at)
    return event


def meetings_calendar(meetings: Iterable[Meeting], *, name: str,
                      url_of: Callable[[Meeting], str] = lambda meeting: "") -> bytes:
    """A VCALENDAR with one event per meeting and the time zones they use."""
    calendar = Calendar.new(prodid=PRODID, name=_line(name), uid="commonground-meetings")
    meetings = [m for m in meetings if in_calendar_range(m.starts_at) and in_calendar_range(m.ends_at)]
    for meeting in meetings:
        calendar.add_component(meeting_event(meeting, url=url_of(meeting)))
    if meetings:
        first = min(timezone.localtime(m.starts_at).date() for m in meetings)
        last = max(timezone.localtime(m.ends_at).date() for m in meetings)
        calendar.add_missing_timezones(first_date=first - datetime.timedelta(days=1),
                                       last_date=last + datetime.timedelta(days=1))
    return calendar.to_ical()
