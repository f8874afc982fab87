"""Who an activity admits: the audience rule, the age rule and who may sign whom up. The services call these;
pages call them to explain why the sign-up button is missing."""

from __future__ import annotations

import datetime

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from commonground.core.models import HouseholdMember, Person, RoleAssignment, RoleKind, User
from commonground.core.models.places import within_q

from .models import Activity, Audience, EmploymentDeclaration
from .rules import adult_age


def age_on(birth_date: datetime.date, day: datetime.date) -> int:
    """Whole years from `birth_date` to `day` (a birthday on 29 February counts from 1 March in other years)."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def household_people(person: Person) -> Q:
    """Q over Person: the people sharing a household with `person` (themselves included)."""
    households = HouseholdMember.objects.filter(person=person).values("household_id")
    return Q(Exists(HouseholdMember.objects.filter(person=OuterRef("pk"), household_id__in=households)))


def is_new_employment_family(person: Person) -> bool:
    """Does the person, or someone of their household, hold an active new-employment declaration?"""
    people = Person.objects.filter(household_people(person) | Q(pk=person.pk))
    return EmploymentDeclaration.objects.filter(person__in=people, revoked_at__isnull=True).exists()


def lives_within(person: Person, path: str) -> bool:
    """Is the person registered, living, owning or serving within the place at `path`?"""
    return Person.objects.filter(Person.scope_q([path]), pk=person.pk).exists()


def is_enterprise_contact_within(person: Person, path: str, day: datetime.date) -> bool:
    users = User.objects.filter(person=person)
    return RoleAssignment.objects.active(day).filter(
        within_q("scope__path", [path]), user__in=users, role=RoleKind.ENTERPRISE_CONTACT).exists()


def audience_refusal(activity: Activity, person: Person, day: datetime.date) -> str | None:
    """Why `person` may not take part (a sentence for them), or None when the activity admits them. `day` is the
    day ages are counted on: the activity's first day."""
    if activity.min_age is not None or activity.max_age is not None:
        if person.birth_date is None:
            return _("This activity has an age range; the participant's birth date is not on record. Ask the "
                     "community to record it.")
        age = age_on(person.birth_date, day)
        if activity.min_age is not None and age < activity.min_age:
            return _("This activity is for ages %(min)s to %(max)s; the participant will be %(age)s.") % {
                "min": activity.min_age, "max": activity.max_age if activity.max_age is not None else "—",
                "age": age}
        if activity.max_age is not None and age > activity.max_age:
            return _("This activity is for ages %(min)s to %(max)s; the participant will be %(age)s.") % {
                "min": activity.min_age if activity.min_age is not None else 0, "max": activity.max_age,
                "age": age}
    if activity.audience == Audience.RESIDENTS and not lives_within(person, activity.place_path):
        return _("This activity is for residents of %(place)s.") % {"place": activity.place.name}
    if activity.audience == Audience.NEW_EMPLOYMENT and not is_new_employment_family(person):
        return _("This activity is for couriers, riders and drivers and their families. Declare your work on "
                 "your profile first.")
    if activity.audience == Audience.ENTERPRISES and not is_enterprise_contact_within(
            person, activity.place_path, day):
        return _("This activity is for the enterprises of %(place)s.") % {"place": activity.place.name}
    return None


def may_sign_up_for(actor: User, person: Person, day: datetime.date) -> bool:
    """Themselves, or a minor of their household (a parent for a child). Staff at the desk are checked apart."""
    own = getattr(actor, "person_id", None)
    if own is None:
        return False
    if person.pk == own:
        return True
    if person.birth_date is None or age_on(person.birth_date, day) >= adult_age():
        return False
    return Person.objects.filter(household_people(person), pk=own).exists()
