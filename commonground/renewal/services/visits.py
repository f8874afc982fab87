"""Door-to-door work: recording a visit to a household (who went, whom they met, what came of it, what next).
A concern that needs another department opens a case through the case engine's intake, linked on the visit."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commonground.cases.models import Category, Channel
from commonground.cases.services.intake import Contact, case_report
from commonground.core import clock
from commonground.core.models import User
from commonground.core.permissions import can
from commonground.core.services import permit
from commonground.core.text import clean_text
from commonground.core.validators import validate_phone

from ..models import Concern, Household, Outcome, Visit

MET_MAX, NEXT_STEP_MAX, NOTES_MAX = 100, 200, 4000
CASE_FIELDS = {"description": "notes"}  # the case intake's fields → the visit's (the rest: the category)


@transaction.atomic
def visit_record(
    *, actor: User | None, household: Household, visited_at: datetime.datetime, outcome: str,
    visitors: Iterable[User] = (), met: str = "", concerns: Iterable[str] = (), notes: str = "",
    next_step: str = "", next_on: datetime.date | None = None, case_category: Category | str | None = None,
) -> Visit:
    """Record one visit to `household` and keep its figures (visits, last visit, last outcome) in the same
    transaction; the last visit's figures move only when this visit is the latest. The actor is always one of
    the visitors, and every visitor must reach the household. With `case_category` (a case category or its
    code) the visit's concerns go to another department as a case reported on the spot (staff channel) at the
    household's flat, linked on the visit. `actor` may "renewal.visit" the household."""
    permit(actor, "renewal.visit", household)
    household = Household.objects.select_for_update().select_related("project", "flat").get(pk=household.pk)
    project = household.project
    errors: dict[str, str] = {}
    now = clock.now()
    if visited_at is None or timezone.is_naive(visited_at):
        errors["visited_at"] = _("Give the time of the visit.")
    elif visited_at > now:
        errors["visited_at"] = _("A visit cannot be recorded before it happens.")
    elif timezone.localtime(visited_at).date() < timezone.localtime(project.created_at).date():  # by day: forms give minutes
        errors["visited_at"] = _("The visit is before the project opened (%(day)s).") % {
            "day": f"{timezone.localtime(project.created_at):%Y-%m-%d}"}
    if outcome not in Outcome.values:
        errors["outcome"] = _("Choose the outcome of the visit.")
    concerns = list(dict.fromkeys(concerns or ()))
    unknown = [c for c in concerns if c not in Concern.values]
    if unknown:
        errors["concerns"] = _("Unknown concern: %(names)s") % {"names": "、".join(map(str, unknown))}
    if next_on is not None and next_on < clock.today():
        errors["next_on"] = _("The next visit cannot be planned in the past.")
    met = clean_text(met or "", multiline=False).strip()
    next_step = clean_text(next_step or "", multiline=False).strip()
    notes = clean_text(notes or "").strip()
    if len(met) > MET_MAX:
        errors["met"] = _("At most %(max)d characters.") % {"max": MET_MAX}
    if len(next_step) > NEXT_STEP_MAX:
        errors["next_step"] = _("At most %(max)d characters.") % {"max": NEXT_STEP_MAX}
    if len(notes) > NOTES_MAX:
        errors["notes"] = _("At most %(max)d characters.") % {"max": NOTES_MAX}
    people = list(dict.fromkeys([*([actor] if actor is not None else []), *visitors]))
    if not people:
        errors["visitors"] = _("Say who went.")
    strangers = [str(person) for person in people if not can(person, "renewal.visit", household)]
    if strangers:
        errors["visitors"] = _("Not a visitor of this household: %(names)s") % {"names": "、".join(strangers)}
    category = None
    if case_category:
        category = case_category if isinstance(case_category, Category) else \
            Category.objects.filter(code=str(case_category)).first()
        if category is None:
            errors["case_category"] = _("There is no such category.")
        elif not concerns and not notes:
            errors["case_category"] = _("Say what the concern is before sending it to another department.")
    if errors:
        raise ValidationError(errors)

    case = None
    if category is not None:
        try:
            case = case_report(actor=actor or people[0], category=category, place=household.flat,
                               description=case_description(household, concerns, notes), channel=Channel.STAFF,
                               contact=household_contact(household))
        except ValidationError as error:  # the intake's words, on the fields of the visit that caused them
            raise ValidationError({CASE_FIELDS.get(key, "case_category"): messages
                                   for key, messages in error.message_dict.items()}) from None
    visit = Visit.objects.create(
        household=household, place_path=household.place_path, visited_at=visited_at, recorded_by=actor or people[0],
        met=met, outcome=outcome, concerns=concerns, notes=notes, next_step=next_step, next_on=next_on, case=case)
    visit.visitors.set(people)
    household.visits_count += 1
    fields = ["visits_count", "updated_at"]
    if household.last_visit_at is None or visited_at >= household.last_visit_at:
        household.last_visit_at, household.last_outcome = visited_at, outcome
        fields += ["last_visit_at", "last_outcome"]
    household.save(update_fields=fields)
    return visit


def case_description(household: Household, concerns: list[str], notes: str) -> str:
    """What the department reads: the flat, the owners, the concerns and the visitors' notes."""
    labels = "、".join(str(Concern(c).label) for c in concerns) or _("a concern")
    text = _("Raised during a renewal visit to %(flat)s (owners: %(owners)s): %(concerns)s.") % {
        "flat": household.flat.name, "owners": household.owner_names, "concerns": labels}
    if notes:
        text = f"{text}\n{notes}"
    return text[:2000]


def household_contact(household: Household) -> Contact:
    """The household as the case's contact: its owners' names and the first valid phone among them."""
    phone = ""
    for number in household.owners.exclude(phone="").values_list("phone", flat=True):
        try:
            validate_phone(number)
        except ValidationError:
            continue
        phone = number
        break
    return Contact(name=household.owner_names[:100], phone=phone)
