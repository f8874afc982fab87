"""How a case reads to the person who reported it: plain words for where it stands, who is handling it, what
happens next and by when, instead of the staff's stage and level names. Also the short "what and where" that
notifications and the queue use."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from commonground.core.models import Place, PlaceKind

from .models import Case, CaseEvent, Level, Stage

# Places whose own name means little alone ("3幢"): their parent's name goes in front ("浙工新村3幢").
NAMED_WITH_PARENT = {PlaceKind.BUILDING, PlaceKind.OFFICE_BUILDING, PlaceKind.CORRIDOR, PlaceKind.FLAT,
                     PlaceKind.FACILITY}

# The stage as the reporter reads it.
RESIDENT_STAGE = {
    Stage.COLLECT: pgettext_lazy("reporter's view", "received"),
    Stage.CREATE: pgettext_lazy("reporter's view", "accepted"),
    Stage.DISPATCH: pgettext_lazy("reporter's view", "being handled"),
    Stage.HANDLE: pgettext_lazy("reporter's view", "being handled"),
    Stage.FEEDBACK: pgettext_lazy("reporter's view", "being checked"),
    Stage.CLOSED: pgettext_lazy("reporter's view", "done, please rate"),
    Stage.EVALUATED: pgettext_lazy("reporter's view", "done"),
    Stage.REJECTED: pgettext_lazy("reporter's view", "not accepted"),
    Stage.MERGED: pgettext_lazy("reporter's view", "joined with the same matter"),
}
# The reporter's progress bar, and which of its steps each stage has reached.
RESIDENT_STEPS = [pgettext_lazy("progress step", "Reported"), pgettext_lazy("progress step", "Accepted"),
                  pgettext_lazy("progress step", "Being handled"), pgettext_lazy("progress step", "Being checked"),
                  pgettext_lazy("progress step", "Done")]
RESIDENT_STEP_OF = {Stage.COLLECT: 0, Stage.CREATE: 1, Stage.DISPATCH: 2, Stage.HANDLE: 2, Stage.FEEDBACK: 3,
                    Stage.CLOSED: 4, Stage.EVALUATED: 4}
# The timeline as the reporter reads it; events not listed are the staff's own business.
RESIDENT_EVENTS = {
    "reported": gettext_lazy("You reported it"), "accepted": gettext_lazy("Accepted"),
    "rejected": gettext_lazy("Not accepted"), "dispatched": gettext_lazy("Passed on to be handled"),
    "note": gettext_lazy("Progress"), "feedback": gettext_lazy("Handled, waiting for a check"),
    "closed": gettext_lazy("Checked and done"), "sent_back": gettext_lazy("Sent back for more work"),
    "rated": gettext_lazy("You rated it"), "reopened": gettext_lazy("Taken up again"),
    "escalated": "", "overdue": gettext_lazy("Past its time limit"),
    "extension_approved": gettext_lazy("More time given"), "merged": gettext_lazy("Joined with the same matter"),
    "merged_in": gettext_lazy("A report of the same matter was joined in"),
    "mediation_opened": gettext_lazy("Mediation started"), "mediation_session": gettext_lazy("Mediation meeting"),
    "mediation_concluded": gettext_lazy("Mediation finished"),
}


def place_label(place: Place) -> str:
    """A place as people say it: "浙工新村3幢" for a building (its parent in front: lists join it), else its name."""
    if place.kind in NAMED_WITH_PARENT and place.parent_id and not place.name.startswith(place.parent.name):
        return f"{place.parent.name}{place.name}"
    return place.name


def who_handles(case: Case) -> str:
    """Who is handling the case, in words: the handling organisation, else the office of the handling place
    ("河东社区居委会", "朝晖街道办事处")."""
    if case.handler_id:
        return case.handler.name
    place = case.handling_place
    if place is None:
        return ""
    name = place_label(place)
    if case.level == Level.BUILDING:
        return _("the building's caretakers of %(place)s") % {"place": name}
    if case.level == Level.ESTATE:
        return _("the estate office of %(place)s") % {"place": name}
    if case.level == Level.COMMUNITY:
        if place.kind == PlaceKind.BUSINESS_COMMUNITY:
            return _("the service centre of %(place)s") % {"place": name}
        return _("the residents' committee of %(place)s") % {"place": name}
    if case.level == Level.STREET:
        return _("the street office of %(place)s") % {"place": name}
    return _("the departments of %(place)s") % {"place": name}


def _when(moment: datetime.datetime) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}"


@dataclass(frozen=True)
class ResidentStatus:
    """Where the case stands for its reporter: a headline, what happens next, and by when (or "")."""

    label: str
    headline: str
    next_step: str
    due: str


def resident_status(case: Case, events: list[CaseEvent] | None = None) -> ResidentStatus:
    """The case's state in the reporter's words. `events`: its log, when loaded (for why it was not accepted)."""
    stage = case.stage
    who = who_handles(case)
    label = str(RESIDENT_STAGE[stage])
    if stage == Stage.COLLECT:
        return ResidentStatus(label, _("Your report has arrived."),
                              _("Community staff will check it and accept it."), "")
    if stage == Stage.CREATE:
        return ResidentStatus(label, _("Your report is accepted."),
                              _("It is being passed to those who will handle it."), "")
    if stage in (Stage.DISPATCH, Stage.HANDLE):
        return ResidentStatus(label, capfirst(_("%(who)s is handling it.") % {"who": who}),
                              _("They report back when it is done; you will be told."),
                              _when(case.deadline) if case.deadline else "")
    if stage == Stage.FEEDBACK:
        return ResidentStatus(label, capfirst(_("%(who)s reports it done.") % {"who": who}),
                              _("Someone else checks it on the spot; then you will be asked to rate it."), "")
    if stage == Stage.CLOSED:
        return ResidentStatus(label, _("It is done."), _("Please rate how it was handled."), "")
    if stage == Stage.EVALUATED:
        return ResidentStatus(label, _("It is done."), _("Thank you for your rating."), "")
    if stage == Stage.REJECTED:
        reason = next((e.note for e in reversed(events or []) if e.action == "rejected" and e.note), "")
        return ResidentStatus(label, _("Your report was not accepted."),
                              _("Why: %(reason)s") % {"reason": reason} if reason else "", "")
    return ResidentStatus(label, _("Someone reported the same matter earlier; the two are handled as one."),
                          _("You will be told the outcome."), "")


def resident_event_label(event: CaseEvent) -> str:
    """A timeline line for the reporter ("" for events that are the staff's own business)."""
    if event.action == "escalated":
        return event.get_action_display()
    return str(RESIDENT_EVENTS.get(event.action, ""))


def what_and_where(case: Case) -> dict[str, Any]:
    """The category and the place of a case, for sentences like "您反映的“楼道堆物”（浙工新村3幢）…"."""
    return {"category": case.category.name, "place": place_label(case.place)}
