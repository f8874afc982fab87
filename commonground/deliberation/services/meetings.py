"""Meetings (议事会, 说事亭, 三和楼事会, 小哥面对面): planning, the sign-in at the door, minutes, resolutions and
the cases they open in the case engine, and the meeting's public notice."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from commonground.cases.models import Case, Category, Channel
from commonground.cases.rules import DESCRIPTION_MAX
from commonground.cases.services.intake import case_report
from commonground.core import clock
from commonground.core.models import Organisation, Person, Place, User
from commonground.core.permissions import can, require
from commonground.core.text import clean_text
from commonground.core.validators import calendar_range_message, in_calendar_range

from ..meeting_selectors import convener_choices
from ..models import AgendaItem, Attendee, Meeting, MeetingKind, MeetingStatus, Notice, NoticeKind, Resolution
from ..rules import MAX_AGENDA_ITEMS
from .notices import notice_publish

UPDATABLE_FIELDS = ("place", "convener", "kind", "title", "starts_at", "ends_at", "venue")
AgendaLine = str | tuple[str, str]


def _aware(moment: datetime.datetime | None) -> datetime.datetime | None:
    if moment is not None and timezone.is_naive(moment):
        return timezone.make_aware(moment)
    return moment


def _text(value: str | None) -> str:
    """Minutes, resolutions, descriptions: several lines, without control characters."""
    return clean_text(value).strip()


def _line(value: str | None) -> str:
    """Titles, venues, names: one line (a line break would split an iCalendar or PDF line)."""
    return clean_text(value, multiline=False).strip()


def _check_details(*, actor: User, place: Place, convener: Organisation | None, kind: str, title: str,
                   starts_at: datetime.datetime | None, ends_at: datetime.datetime | None, venue: str,
                   action: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not title:
        errors["title"] = _("Give the meeting a title.")
    elif len(title) > 200:
        errors["title"] = _("Keep the title within 200 characters.")
    if not venue:
        errors["venue"] = _("Say where the meeting is held.")
    elif len(venue) > 200:
        errors["venue"] = _("Keep the venue within 200 characters.")
    if kind not in MeetingKind.values:
        errors["kind"] = _("Choose the kind of meeting.")
    if starts_at is None:
        errors["starts_at"] = _("Give the time the meeting starts.")
    elif not in_calendar_range(starts_at):
        errors["starts_at"] = calendar_range_message()
    if ends_at is None:
        errors["ends_at"] = _("Give the time the meeting ends.")
    elif not in_calendar_range(ends_at):
        errors["ends_at"] = calendar_range_message()
    elif starts_at is not None and ends_at <= starts_at:
        errors["ends_at"] = _("The meeting must end after it starts.")
    if convener is None or not convener_choices(actor, place, action=action).filter(pk=convener.pk).exists():
        errors["convener"] = _("Choose an organisation in your area at this place or above it to convene the "
                               "meeting.")
    return errors


def _clean_agenda(agenda: Iterable[AgendaLine], *, already: int = 0) -> list[tuple[str, str]]:
    """The agenda's non-empty lines as (title, presenter); `already`: items the meeting has now."""
    items = []
    for line in agenda:
        title, presenter = (line, "") if isinstance(line, str) else line
        title, presenter = _line(title), _line(presenter)
        if not title:
            continue
        if len(title) > 200 or len(presenter) > 100:
            raise ValidationError({"agenda": _("Keep each agenda item within 200 characters and each presenter's "
                                               "name within 100.")})
        items.append((title, presenter))
    if already + len(items) > MAX_AGENDA_ITEMS:
        raise ValidationError({"agenda": _("A meeting's agenda has at most %(max)d items; hold a second meeting for "
                                           "the rest.") % {"max": MAX_AGENDA_ITEMS}})
    return items


def _check_person(actor: User, person: Person, field: str) -> None:
    if not can(actor, "person.view", person):
        raise ValidationError({field: _("Choose people from your own area.")})


def _locked(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update().select_related("place", "convener").get(pk=meeting.pk)


# Why a step is not open on the meeting now (None: it is). The services raise these; `meeting_allowed_actions`
# offers a step only when its refusal is None.

def _cancelled_refusal(meeting: Meeting) -> str | None:
    return _("This meeting was cancelled.") if meeting.status == MeetingStatus.CANCELLED else None


def _planned_refusal(meeting: Meeting) -> str | None:
    if meeting.status == MeetingStatus.HELD:
        return _("This meeting has been held; its record is fixed. Edit its minutes instead.")
    return _cancelled_refusal(meeting)


def _started_refusal(meeting: Meeting, now: datetime.datetime) -> str | None:
    if now < meeting.starts_at:
        return _cancelled_refusal(meeting) or _("The meeting has not started yet.")
    return _cancelled_refusal(meeting)


def _publish_refusal(meeting: Meeting, on: datetime.date) -> str | None:
    if timezone.localtime(meeting.starts_at).date() < on:
        return _planned_refusal(meeting) or _("The meeting day has passed; there is nothing to announce.")
    return _planned_refusal(meeting)


def _refuse(refusal: str | None) -> None:
    if refusal:
        raise ValidationError(refusal)


def _check_planned(meeting: Meeting) -> None:
    _refuse(_planned_refusal(meeting))


def _check_started(meeting: Meeting) -> None:
    _refuse(_started_refusal(meeting, clock.now()))


def meeting_allowed_actions(actor: User, meeting: Meeting) -> list[str]:
    """The steps the meeting page offers this user now: each whose permissions the resolver gives and whose
    refusal (the one its service raises) is None. Signing in needs `meeting.attend`, opening a case `case.add`
    and publishing `notice.publish` at the meeting's place; every other step `meeting.change`."""
    now = clock.now()
    actions = []
    if can(actor, "meeting.attend", meeting) and _cancelled_refusal(meeting) is None:
        actions += ["sign-in", "walk-in"]
    if not can(actor, "meeting.change", meeting):
        return actions
    planned, started = _planned_refusal(meeting), _started_refusal(meeting, now)
    steps = {"edit": planned, "agenda": planned, "invite": planned, "cancel": planned, "minutes": started,
             "resolution": started}
    actions += [step for step, refusal in steps.items() if refusal is None]
    if _cancelled_refusal(meeting) is None and can(actor, "case.add", meeting.place):
        actions.append("open-case")
    if _publish_refusal(meeting, timezone.localtime(now).date()) is None and can(actor, "notice.publish", meeting.place):
        actions.append("publish")
    return actions


@transaction.atomic
def meeting_create(*, actor: User, place: Place, convener: Organisation, kind: str, title: str,
                   starts_at: datetime.datetime, ends_at: datetime.datetime, venue: str,
                   agenda: Sequence[AgendaLine] = (), invitees: Sequence[Person] = ()) -> Meeting:
    """Plan a meeting at a place, convened by an organisation there or above; agenda lines are a title or
    (title, presenter); invitees are people the user may see."""
    require(actor, "meeting.add", place)
    title, venue = _line(title), _line(venue)
    starts_at, ends_at = _aware(starts_at), _aware(ends_at)
    errors = _check_details(actor=actor, place=place, convener=convener, kind=kind, title=title, starts_at=starts_at,
                            ends_at=ends_at, venue=venue, action="meeting.add")
    try:
        items = _clean_agenda(agenda)
        for person in invitees:
            _check_person(actor, person, "invitees")
    except ValidationError as error:
        errors.update({key: messages[0] for key, messages in error.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    meeting = Meeting.objects.create(place=place, convener=convener, kind=kind, title=title, starts_at=starts_at,
                                     ends_at=ends_at, venue=venue, created_by=actor)
    AgendaItem.objects.bulk_create([AgendaItem(meeting=meeting, position=n, title=item, presenter=presenter)
                                    for n, (item, presenter) in enumerate(items, start=1)])
    unique = list({person.pk: person for person in invitees}.values())
    Attendee.objects.bulk_create([Attendee(meeting=meeting, person=person, name=person.name[:100], invited=True)
                                  for person in unique])
    return meeting


@transaction.atomic
def meeting_update(*, actor: User, meeting: Meeting, **fields: Any) -> Meeting:
    """Change a planned meeting's place, convener, kind, title, times or venue."""
    unknown = set(fields) - set(UPDATABLE_FIELDS)
    if unknown:
        raise ValidationError(_("These fields cannot be changed here: %(fields)s") % {"fields": ", ".join(
            sorted(unknown))})
    meeting = _locked(meeting)
    require(actor, "meeting.change", meeting)
    _check_planned(meeting)
    place = fields.get("place", meeting.place)
    if place.pk != meeting.place_id:
        require(actor, "meeting.change", place)
    values = {name: fields.get(name, getattr(meeting, name)) for name in UPDATABLE_FIELDS}
    values["title"], values["venue"] = _line(values["title"]), _line(values["venue"])
    values["starts_at"], values["ends_at"] = _aware(values["starts_at"]), _aware(values["ends_at"])
    errors = _check_details(actor=actor, action="meeting.change", **values)
    if errors:
        raise ValidationError(errors)
    for name, value in values.items():
        setattr(meeting, name, value)
    meeting.save()
    return meeting


@transaction.atomic
def agenda_item_add(*, actor: User, meeting: Meeting, title: str, presenter: str = "") -> AgendaItem:
    """Add an item at the end of a planned meeting's agenda."""
    meeting = _locked(meeting)
    require(actor, "meeting.change", meeting)
    _check_planned(meeting)
    items = _clean_agenda([(title, presenter)], already=meeting.agenda.count())
    if not items:
        raise ValidationError({"title": _("Give the agenda item.")})
    position = (meeting.agenda.aggregate(last=Max("position"))["last"] or 0) + 1
    return AgendaItem.objects.create(meeting=meeting, position=position, title=items[0][0], presenter=items[0][1])


@transaction.atomic
def attendee_invite(*, actor: User, meeting: Meeting, person: Person | None = None, name: str = "",
                    affiliation: str = "") -> Attendee:
    """Invite someone to a planned meeting: a person on record, or anyone by name."""
    meeting = _locked(meeting)
    require(actor, "meeting.change", meeting)
    _check_planned(meeting)
    name, affiliation = _line(name) or (person.name if person else ""), _line(affiliation)
    if person is not None:
        _check_person(actor, person, "person")
        if meeting.attendees.filter(person=person).exists():
            raise ValidationError({"person": _("%(name)s is already invited.") % {"name": person.name}})
    if not name:
        raise ValidationError({"name": _("Give the name of the person invited.")})
    if len(name) > 100 or len(affiliation) > 100:
        raise ValidationError({"name": _("Keep the name and the affiliation within 100 characters each.")})
    return Attendee.objects.create(meeting=meeting, person=person, name=name, affiliation=affiliation, invited=True)


def _sign(attendee: Attendee, at: datetime.datetime) -> Attendee:
    if attendee.signed_in_at is None:  # signing twice keeps the first time
        attendee.signed_in_at = at
        attendee.save(update_fields=["signed_in_at"])
    return attendee


@transaction.atomic
def attendee_sign_in(*, actor: User, meeting: Meeting, attendee: Attendee | None = None, person: Person | None = None,
                     name: str = "", affiliation: str = "") -> Attendee:
    """Sign in an invitee at the door, or record a walk-in (by person or by name). Signing in twice changes
    nothing."""
    meeting = _locked(meeting)
    require(actor, "meeting.attend", meeting)
    _refuse(_cancelled_refusal(meeting))
    at = clock.now()
    if attendee is not None:
        if attendee.meeting_id != meeting.pk:
            raise ValidationError({"attendee": _("This person is not on this meeting's list.")})
        return _sign(Attendee.objects.select_for_update().get(pk=attendee.pk), at)
    name, affiliation = _line(name), _line(affiliation)
    if person is not None:
        existing = meeting.attendees.select_for_update().filter(person=person).first()
        if existing is not None:
            return _sign(existing, at)
        _check_person(actor, person, "person")
        name = name or person.name
    if not name:
        raise ValidationError({"name": _("Give the name of the person signing in.")})
    if len(name) > 100 or len(affiliation) > 100:
        raise ValidationError({"name": _("Keep the name and the affiliation within 100 characters each.")})
    if person is None:
        existing = (meeting.attendees.select_for_update()
                    .filter(person__isnull=True, name=name, affiliation=affiliation).order_by("pk").first())
        if existing is not None:
            return _sign(existing, at)
    try:
        with transaction.atomic():
            return Attendee.objects.create(meeting=meeting, person=person, name=name, affiliation=affiliation,
                                           invited=False, signed_in_at=at)
    except IntegrityError:  # the same person signed in from a second phone at the same moment
        return _sign(meeting.attendees.get(person=person), at)


@transaction.atomic
def meeting_record_minutes(*, actor: User, meeting: Meeting, minutes: str) -> Meeting:
    """Record (or correct) the minutes; the meeting is then held."""
    meeting = _locked(meeting)
    require(actor, "meeting.change", meeting)
    _check_started(meeting)
    minutes = _text(minutes)
    if not minutes:
        raise ValidationError({"minutes": _("Write the minutes.")})
    meeting.minutes, meeting.status = minutes, MeetingStatus.HELD
    meeting.save(update_fields=["minutes", "status", "updated_at"])
    return meeting


@transaction.atomic
def meeting_cancel(*, actor: User, meeting: Meeting) -> Meeting:
    """Call off a planned meeting (cancelling twice changes nothing)."""
    meeting = _locked(meeting)
    require(actor, "meeting.change", meeting)
    if meeting.status == MeetingStatus.HELD:
        raise ValidationError(_("This meeting has been held; it cannot be cancelled."))
    if meeting.status != MeetingStatus.CANCELLED:
        meeting.status = MeetingStatus.CANCELLED
        meeting.save(update_fields=["status", "updated_at"])
    return meeting


@transaction.atomic
def resolution_add(*, actor: User, meeting: Meeting, text: str) -> Resolution:
    """Record what the meeting resolved (once it has started)."""
    meeting = _locked(meeting)
    require(actor, "meeting.change", meeting)
    _check_started(meeting)
    text = _text(text)
    if not text:
        raise ValidationError({"text": _("Write what the meeting resolved.")})
    position = (meeting.resolutions.aggregate(last=Max("position"))["last"] or 0) + 1
    return Resolution.objects.create(meeting=meeting, position=position, text=text)


@transaction.atomic
def resolution_open_case(*, actor: User, resolution: Resolution, category: Category, description: str = "",
                         place: Place | None = None) -> Case:
    """Open a case in the case engine to carry out a resolution (at the meeting's place unless another is
    given) and follow it from the meeting."""
    meeting = _locked(resolution.meeting)
    require(actor, "meeting.change", meeting)
    _refuse(_cancelled_refusal(meeting))
    place = place or meeting.place
    require(actor, "case.add", place)
    description = _text(description) or f"{meeting.title}：{resolution.text}"[:DESCRIPTION_MAX]
    case = case_report(actor=actor, category=category, description=description, place=place,
                       channel=Channel.MEETING)
    resolution.cases.add(case)
    return case


def meeting_detail_lines(meeting: Meeting) -> list[str]:
    """Time, venue and convener, as the notice board and the PDF print them."""
    starts, ends = timezone.localtime(meeting.starts_at), timezone.localtime(meeting.ends_at)
    end_text = f"{ends:%H:%M}" if ends.date() == starts.date() else f"{ends:%Y-%m-%d %H:%M}"
    return [
        _("Time: %(starts)s–%(ends)s") % {"starts": f"{starts:%Y-%m-%d %H:%M}", "ends": end_text},
        _("Venue: %(venue)s") % {"venue": meeting.venue},
        _("Convened by: %(convener)s") % {"convener": meeting.convener.name},
    ]


def agenda_lines(meeting: Meeting) -> list[str]:
    """"Agenda:" and the numbered items (none when the agenda is empty)."""
    agenda = list(meeting.agenda.all())
    if not agenda:
        return []
    return [_("Agenda:")] + [f"{n}. {item.title}" + (f"（{item.presenter}）" if item.presenter else "")
                             for n, item in enumerate(agenda, start=1)]


def meeting_notice_text(meeting: Meeting) -> str:
    return "\n".join([*meeting_detail_lines(meeting), *agenda_lines(meeting),
                      _("Residents are welcome to attend and speak.")])


@transaction.atomic
def meeting_publish_notice(*, actor: User, meeting: Meeting, public: bool = False) -> Notice:
    """Post the meeting's notice on the place's board today, up to the meeting day, in the convener's name;
    `public`: also on the public board, readable without logging in."""
    meeting = _locked(meeting)
    require(actor, "meeting.change", meeting)
    on = clock.today()
    _refuse(_publish_refusal(meeting, on))
    day = timezone.localtime(meeting.starts_at).date()
    return notice_publish(actor=actor, place=meeting.place, kind=NoticeKind.MEETING,
                          title=_("Meeting notice: %(title)s") % {"title": meeting.title},
                          body=meeting_notice_text(meeting), posted_on=on, ends_on=day, meeting=meeting,
                          issuer=meeting.convener.name, public=public)
