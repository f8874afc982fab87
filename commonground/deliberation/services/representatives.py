"""Renewal representatives (居民自愿有机更新委员会, "one building, one representative"): nomination →
registration → joint review → public notice → confirmation, and the reads the board and the renewal
module need."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from commonground.core.clock import today
from commonground.core.models import (
    HouseholdMember,
    OrganisationKind,
    Ownership,
    Person,
    Place,
    PlaceKind,
    User,
)
from commonground.core.models.places import SEGMENT_WIDTH, within_q
from commonground.core.permissions import can, require
from commonground.core.text import clean_text

from .. import rules
from ..models import Notice, NoticeKind, Representative, RepresentativeStatus
from ..notice_selectors import notice_issuer
from .notices import notice_publish

S = RepresentativeStatus
LIVE_STATUSES = [S.NOMINATED, S.REGISTERED, S.APPROVED, S.NOTICED, S.CONFIRMED]
# Each step on a representative: the permission it asks and the statuses it starts from (the services check
# both; `representative_allowed_actions` offers exactly these).
STEPS: dict[str, tuple[str, tuple[str, ...]]] = {
    "register": ("representative.change", (S.NOMINATED,)),
    "review": ("representative.review", (S.REGISTERED,)),
    "confirm": ("representative.confirm", (S.NOTICED,)),
    "object": ("representative.review", (S.NOTICED,)),
    "withdraw": ("representative.change", (S.NOMINATED, S.REGISTERED, S.APPROVED, S.NOTICED)),
}


# --- reads -------------------------------------------------------------------------------------------------

def buildings_of(estate: Place) -> QuerySet[Place]:
    """The estate's buildings, in tree order."""
    return Place.objects.filter(parent=estate, kind=PlaceKind.BUILDING).order_by("path")


def representatives_of(estate: Place) -> QuerySet[Representative]:
    """Confirmed representatives of the estate's buildings, ordered by building (the renewal module uses it)."""
    return (Representative.objects.filter(building__parent=estate, building__kind=PlaceKind.BUILDING,
                                          status=S.CONFIRMED)
            .select_related("building", "person").order_by("building__path", "pk"))


@dataclass(frozen=True)
class BoardRow:
    building: Place
    representative: Representative | None


def representative_board(estate: Place) -> list[BoardRow]:
    """Every building of the estate with its current (non-rejected) representative or None: two queries."""
    live = Representative.objects.filter(status__in=LIVE_STATUSES).select_related("person", "notice")
    buildings = buildings_of(estate).prefetch_related(Prefetch("representatives", queryset=live, to_attr="live"))
    return [BoardRow(b, b.live[0] if b.live else None) for b in buildings]


def residents_by_building(estate: Place) -> dict[int, list[tuple[int, str]]]:
    """For each building of the estate, the people who live (household) or own (current title) there, as
    (person id, name) sorted by pinyin: two queries, whatever the number of buildings."""
    cut = len(estate.path) + SEGMENT_WIDTH  # a building's path is its flats' path prefix
    rows = list(HouseholdMember.objects.filter(within_q("household__flat__path", [estate.path]))
                .values_list("household__flat__path", "person_id", "person__name", "person__name_pinyin"))
    rows += list(Ownership.objects.current(today()).filter(within_q("flat__path", [estate.path]),
                                                           person__isnull=False)
                 .values_list("flat__path", "person_id", "person__name", "person__name_pinyin"))
    found: dict[int, dict[int, tuple[str, str]]] = defaultdict(dict)
    for path, person_id, name, pinyin in rows:
        if len(path) > cut:
            found[int(path[cut - SEGMENT_WIDTH:cut])][person_id] = (pinyin, name)
    return {building: [(pk, name) for pk, (_p, name) in sorted(people.items(), key=lambda item: (item[1][0], item[0]))]
            for building, people in found.items()}


def lives_or_owns_in(person: Person, building: Place) -> bool:
    """Does `person` belong to a household or hold a current title in `building`?"""
    lives = HouseholdMember.objects.filter(within_q("household__flat__path", [building.path]), person=person)
    owns = Ownership.objects.current(today()).filter(within_q("flat__path", [building.path]), person=person)
    return lives.exists() or owns.exists()


# --- writes ------------------------------------------------------------------------------------------------

def _estate_of(building: Place) -> Place:
    if building.kind != PlaceKind.BUILDING or building.parent is None or building.parent.kind != PlaceKind.ESTATE:
        raise ValidationError({"building": _("%(place)s is not a building of an estate.") % {"place": building.name}})
    return building.parent


def representative_allowed_actions(actor: User, building: Place, representative: Representative | None) -> list[str]:
    """The steps the board offers this user on one building now: nominate where nobody stands, else every
    step of STEPS whose permission and starting status hold (confirm only once the notice has run out)."""
    if representative is None:
        return ["nominate"] if can(actor, "representative.add", building) else []
    on = today()
    return [step for step, (action, statuses) in STEPS.items()
            if representative.status in statuses and (step != "confirm" or _notice_over(representative, on))
            and can(actor, action, representative)]


def _notice_over(representative: Representative, on: datetime.date) -> bool:
    ends_on = representative.notice.ends_on if representative.notice else None
    return ends_on is not None and on > ends_on


def _locked(actor: User, representative: Representative, step: str) -> Representative:
    """The representative's current row, locked, after the step's permission and state checks."""
    action, expected = STEPS[step]
    require(actor, action, representative)
    current = Representative.objects.select_for_update(of=("self",)).select_related(
        "building", "person", "notice").get(pk=representative.pk)
    if current.status not in expected:
        raise ValidationError(_("This step is not open: the representative of %(building)s is %(status)s.") % {
            "building": current.building.name, "status": current.get_status_display()})
    return current


def _reason(reason: str) -> str:
    reason = clean_text(reason).strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason.")})
    return reason[:300]


@transaction.atomic
def representative_nominate(*, actor: User, building: Place, person: Person) -> Representative:
    """Nominate a person who lives or owns in the building; one live nomination per building."""
    require(actor, "representative.add", building)
    _estate_of(building)
    if not lives_or_owns_in(person, building):
        raise ValidationError({"person": _("%(person)s neither lives nor owns a flat in %(building)s.") % {
            "person": person.name, "building": building.name}})
    current = Representative.objects.filter(building=building, status__in=LIVE_STATUSES).select_related("person").first()
    if current is not None:
        raise ValidationError({"building": _("%(building)s already has a representative: %(person)s (%(status)s).") % {
            "building": building.name, "person": current.person.name, "status": current.get_status_display()}})
    try:
        with transaction.atomic():
            return Representative.objects.create(building=building, person=person, nominated_by=actor)
    except IntegrityError as error:  # a concurrent nomination won the race
        raise ValidationError({"building": _("%(building)s already has a representative.") % {
            "building": building.name}}) from error


@transaction.atomic
def representative_register(*, actor: User, representative: Representative) -> Representative:
    """The registration form was received: nominated → registered."""
    current = _locked(actor, representative, "register")
    current.status = S.REGISTERED
    current.save(update_fields=["status", "updated_at"])
    return current


@transaction.atomic
def representative_review(*, actor: User, representative: Representative, approve: bool,
                          reason: str = "") -> Representative:
    """The joint review by staff: registered → approved, or → rejected with a reason."""
    current = _locked(actor, representative, "review")
    current.reviewed_by = actor
    if approve:
        current.status, current.rejection_reason = S.APPROVED, ""
    else:
        current.status, current.rejection_reason = S.REJECTED, _reason(reason)
    current.save(update_fields=["status", "rejection_reason", "reviewed_by", "updated_at"])
    return current


@transaction.atomic
def representatives_publish_notice(*, actor: User, estate: Place) -> Notice:
    """Post one notice listing every approved representative of the estate (building and name only) and put
    them on notice from today for the notice period."""
    require(actor, "representative.publish", estate)
    require(actor, "notice.publish", estate)
    if estate.kind != PlaceKind.ESTATE:
        raise ValidationError({"estate": _("%(place)s is not an estate.") % {"place": estate.name}})
    on = today()
    approved = list(Representative.objects.select_for_update(of=("self",)).select_related("building", "person")
                    .filter(building__parent=estate, building__kind=PlaceKind.BUILDING, status=S.APPROVED)
                    .order_by("building__path", "pk"))
    if not approved:
        raise ValidationError(_("No representative of %(estate)s has been approved in the joint review yet.") % {
            "estate": estate.name})
    ends_on = on + datetime.timedelta(days=rules.representative_notice_days())
    body = "\n\n".join([
        _("The residents below were nominated by their buildings and approved in the joint review as members of "
          "the residents' voluntary organic renewal committee of %(estate)s (one building, one representative).")
        % {"estate": estate.name},
        _("This notice is posted from %(on)s to %(ends)s. Anyone with an objection may raise it with the community "
          "before the notice ends.") % {"on": on.isoformat(), "ends": ends_on.isoformat()},
    ])
    table = [[_("Building"), _("Representative")]] + [[r.building.name, r.person.name] for r in approved]
    notice = notice_publish(actor=actor, place=estate, kind=NoticeKind.REPRESENTATIVES,
                            title=_("Notice of the renewal representatives of %(estate)s") % {"estate": estate.name},
                            body=body, table=table, posted_on=on, ends_on=ends_on,
                            issuer=notice_issuer(estate, kinds=(OrganisationKind.RESIDENTS_COMMITTEE,)))
    Representative.objects.filter(pk__in=[r.pk for r in approved]).update(status=S.NOTICED, notice=notice)
    return notice


@transaction.atomic
def representative_confirm(*, actor: User, representative: Representative) -> Representative:
    """Noticed → confirmed, once the notice period is over without an objection upheld."""
    current = _locked(actor, representative, "confirm")
    on = today()
    ends_on = current.notice.ends_on if current.notice else None
    if not _notice_over(current, on):
        raise ValidationError(_("The notice runs until %(ends)s; confirm the representative after that day.") % {
            "ends": ends_on.isoformat() if ends_on else "?"})
    current.status, current.confirmed_on = S.CONFIRMED, on
    current.save(update_fields=["status", "confirmed_on", "updated_at"])
    return current


@transaction.atomic
def representative_reject_after_notice(*, actor: User, representative: Representative, reason: str) -> Representative:
    """An objection raised during the notice was upheld: noticed → rejected with the reason."""
    current = _locked(actor, representative, "object")
    current.status, current.rejection_reason, current.reviewed_by = S.REJECTED, _reason(reason), actor
    current.save(update_fields=["status", "rejection_reason", "reviewed_by", "updated_at"])
    return current


@transaction.atomic
def representative_withdraw(*, actor: User, representative: Representative, reason: str) -> Representative:
    """The nominee steps down before confirmation (recorded as rejected with the reason), so the building
    can nominate someone else."""
    current = _locked(actor, representative, "withdraw")
    current.status, current.rejection_reason = S.REJECTED, _("Withdrawn: %(reason)s") % {"reason": _reason(reason)}
    current.rejection_reason = current.rejection_reason[:300]
    current.save(update_fields=["status", "rejection_reason", "updated_at"])
    return current
