"""Reads for the people and household lists: who the user may see, narrowed by the search box and the filters in
the database, and each page's rows with personal data as the user may see it.

The list queries filter by scope in SQL (`visible_to`); a page of rows costs a fixed number of queries.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from . import clock
from .masking import shown
from .models import (
    Household,
    HouseholdMember,
    OrganisationKind,
    OrganisationMembership,
    Ownership,
    Person,
    Place,
    PlaceKind,
    Relation,
)
from .models.places import ancestor_ids, within_q
from .people_search import Flat, Search, parse
from .permissions import scope_paths, visible_to
from .selectors import visible_person_ids

FILTER_PLACE_KINDS = (PlaceKind.STREET, PlaceKind.COMMUNITY, PlaceKind.ESTATE)
FILTER_PLACES_MAX = 300
BUILDING_SUFFIXES = "(幢|栋|棟|号楼|號樓|号)?"


class Tag:
    """What the people list can be narrowed to, as far as the data says it."""

    OWNER = "owner"
    HEAD = "head"
    TENANT = "tenant"
    PARTY = "party"
    NO_HOUSEHOLD = "no_household"
    CHOICES = (
        (OWNER, _("owners")),
        (HEAD, _("heads of household")),
        (TENANT, _("tenants")),
        (PARTY, _("Party members")),
        (NO_HOUSEHOLD, _("in no household")),
    )


@dataclass(frozen=True)
class PeopleFilters:
    search: Search = field(default_factory=Search)
    place: Place | None = None
    tag: str = ""
    phone: str = ""  # "yes": with a phone; "no": without


def filter_places(user: Any, action: str) -> QuerySet[Place]:
    """Streets, communities and estates the list can be narrowed to: those where the user may `action`."""
    places = Place.objects.filter(kind__in=FILTER_PLACE_KINDS)
    return visible_to(user, action, places).order_by("path")[:FILTER_PLACES_MAX]


def place_for_filter(user: Any, code: str, action: str) -> Place | None:
    """The filter's place when the user may `action` there; None for no code or one they cannot use."""
    if not code:
        return None
    return visible_to(user, action, Place.objects.filter(code=code)).first()


def _matching_flats(user: Any, flat: Flat) -> QuerySet[Place]:
    """Flats the user may see whose room, and building, unit and estate where typed, match."""
    flats = Place.objects.filter(kind=PlaceKind.FLAT, name__regex=rf"(^|[^0-9]){flat.room}(室|号)?$")
    if flat.unit:
        flats = flats.filter(parent__kind=PlaceKind.CORRIDOR, parent__name__regex=rf"^{flat.unit}(单元|單元)?$")
    containers = []
    if flat.building:
        containers.append(Q(kind=PlaceKind.BUILDING, name__regex=rf"^{flat.building}{BUILDING_SUFFIXES}$"))
    if flat.estate:
        containers.append(Q(kind=PlaceKind.ESTATE, name__icontains=flat.estate))
    for condition in containers:
        paths = list(visible_to(user, "place.view", Place.objects.filter(condition)).values_list("path", flat=True))
        flats = flats.filter(within_q("path", paths))
    return visible_to(user, "place.view", flats)


def _living_or_owning(flats: QuerySet[Place]) -> Q:
    lives = HouseholdMember.objects.filter(person=OuterRef("pk"), household__flat__in=flats)
    owns = Ownership.objects.current().filter(person=OuterRef("pk"), flat__in=flats)
    return Q(Exists(lives)) | Q(Exists(owns))


def _person_match(user: Any, search: Search, *, by_flat: bool = True) -> Q:
    """The people the search box means: by name, initials or pinyin, phone tail, number, and (`by_flat`) the
    flat they live in or own."""
    condition = Q(pk__in=[])
    if search.name:
        condition |= Q(name__icontains=search.name)
    if search.initials:
        condition |= Q(name_initials__startswith=search.initials) | Q(name_pinyin__startswith=search.name.lower())
    if search.phone_tail:
        condition |= Q(phone_tail=search.phone_tail)
    if search.number:
        # Only among people whose numbers the user sees in full: a search must not confirm a masked number.
        in_full = visible_to(user, "person.view_personal_data", Person.objects.all()).values("pk")
        condition |= (Q(id_number__startswith=search.number) | Q(phone__startswith=search.number)) & Q(pk__in=in_full)
    if search.flat and by_flat:
        condition |= _living_or_owning(_matching_flats(user, search.flat))
    return condition


def _tagged(people: QuerySet[Person], tag: str, paths: list[str] | None) -> QuerySet[Person]:
    """People carrying `tag` within `paths` (None: anywhere)."""
    def under(lookup: str) -> Q:
        return Q() if paths is None else within_q(lookup, paths)

    members = HouseholdMember.objects.filter(under("household__flat__path"), person=OuterRef("pk"))
    if tag == Tag.OWNER:
        return people.filter(Exists(Ownership.objects.current().filter(under("flat__path"), person=OuterRef("pk"))))
    if tag == Tag.HEAD:
        return people.filter(Exists(members.filter(relation=Relation.HEAD)))
    if tag == Tag.TENANT:
        return people.filter(Exists(members.filter(relation=Relation.TENANT)))
    if tag == Tag.NO_HOUSEHOLD:
        return people.exclude(Exists(HouseholdMember.objects.filter(person=OuterRef("pk"))))
    if tag == Tag.PARTY:
        return people.filter(Exists(_party_memberships().filter(under("organisation__place__path"),
                                                                 person=OuterRef("pk"))))
    return people


def _party_memberships() -> QuerySet[OrganisationMembership]:
    today = clock.today()
    return OrganisationMembership.objects.filter(
        Q(term_to__isnull=True) | Q(term_to__gte=today), organisation__kind=OrganisationKind.PARTY_ORGANISATION)


def people_list(user: Any, filters: PeopleFilters) -> QuerySet[Person]:
    """People the user may see (`person.view`), matching the search and filters, by pinyin."""
    people = visible_to(user, "person.view", Person.objects.all())
    if filters.place is not None:
        people = people.filter(Person.scope_q([filters.place.path]))
    if filters.search:
        people = people.filter(_person_match(user, filters.search))
    if filters.tag:
        paths = [filters.place.path] if filters.place else scope_paths(user, "person.view")
        people = _tagged(people, filters.tag, paths)
    if filters.phone == "yes":
        people = people.exclude(phone="")
    elif filters.phone == "no":
        people = people.filter(phone="")
    return people.order_by("name_pinyin", "pk")


def flat_labels(flats: list[Place]) -> dict[int, str]:
    """"浙工新村 1幢1单元101室" for each flat: its estate's name (one query for all) and the flat's name, with the
    building's when the flat's own name leaves it out."""
    ids = {pk for flat in flats for pk in ancestor_ids(flat.path)[:-1]}
    above = {place.pk: place for place in Place.objects.filter(
        pk__in=ids, kind__in=(PlaceKind.ESTATE, PlaceKind.BUILDING)).only("pk", "name", "kind")}
    labels = {}
    for flat in flats:
        chain = [above[pk] for pk in ancestor_ids(flat.path)[:-1] if pk in above]
        parts = [place.name for place in chain if place.kind == PlaceKind.ESTATE]
        parts += [place.name for place in chain if place.kind == PlaceKind.BUILDING
                  and not flat.name.startswith(place.name)]
        labels[flat.pk] = " ".join([*parts, flat.name])
    return labels


@dataclass
class PersonRow:
    person: Person
    phone: str
    id_number: str
    in_full: bool
    homes: list[tuple[Household, str, str]]  # household, flat label, relation
    owned: list[str]  # flat labels
    party: bool

    @property
    def owned_elsewhere(self) -> list[str]:
        """Flats owned but not lived in (the flat lived in is named once, under "lives at")."""
        return [label for label in self.owned if label not in {home[1] for home in self.homes}]


def person_rows(user: Any, people: list[Person]) -> list[PersonRow]:
    """A page of people with what the list shows: personal data masked unless the user may see it, the
    households and current titles the user may see, Party membership. Four queries whatever the page's size."""
    ids = {person.pk for person in people}
    cleared = visible_person_ids(user, ids, "person.view_personal_data")
    memberships = list(visible_to(user, "householdmember.view", HouseholdMember.objects.filter(person_id__in=ids))
                       .select_related("household__flat").order_by("pk"))
    ownerships = list(visible_to(user, "ownership.view", Ownership.objects.current().filter(person_id__in=ids))
                      .select_related("flat").order_by("flat__path"))
    party = set(visible_to(user, "organisationmembership.view", _party_memberships().filter(person_id__in=ids))
                .values_list("person_id", flat=True))
    labels = flat_labels([m.household.flat for m in memberships] + [o.flat for o in ownerships])
    rows = []
    for person in people:
        in_full = person.pk in cleared
        rows.append(PersonRow(
            person=person,
            phone=shown("phone", person.phone, in_full=in_full),
            id_number=shown("id_number", person.id_number, in_full=in_full),
            in_full=in_full,
            homes=[(m.household, labels[m.household.flat_id], m.get_relation_display())
                   for m in memberships if m.person_id == person.pk],
            owned=[labels[o.flat_id] for o in ownerships if o.person_id == person.pk],
            party=person.pk in party,
        ))
    return rows


@dataclass(frozen=True)
class HouseholdFilters:
    search: Search = field(default_factory=Search)
    place: Place | None = None


def _search_households(user: Any, households: QuerySet[Household], search: Search) -> QuerySet[Household]:
    if not search:
        return households
    people = Person.objects.filter(_person_match(user, search, by_flat=False))
    owned = Ownership.objects.current().filter(flat=OuterRef("flat"), person__in=people)
    condition = Q(Exists(HouseholdMember.objects.filter(household=OuterRef("pk"), person__in=people))) | Q(
        Exists(owned))
    if search.flat:
        condition |= Q(flat__in=_matching_flats(user, search.flat))
    if search.name:
        places = Place.objects.filter(kind__in=(PlaceKind.ESTATE, PlaceKind.BUILDING), name__icontains=search.name)
        paths = list(visible_to(user, "place.view", places).values_list("path", flat=True)[:FILTER_PLACES_MAX])
        condition |= within_q("flat__path", paths) | Q(flat__name__icontains=search.name)
    return households.filter(condition)


def household_list(user: Any, filters: HouseholdFilters) -> QuerySet[Household]:
    """Households the user may see (`household.view`), matching the search (a member's or owner's name, initials
    or phone tail, a flat, an estate or building) and the place, in the order of the place tree."""
    households = visible_to(user, "household.view", Household.objects.select_related("flat", "head"))
    if filters.place is not None:
        households = households.filter(within_q("flat__path", [filters.place.path]))
    return _search_households(user, households, filters.search).order_by("flat__path", "pk")


@dataclass
class HouseholdRow:
    household: Household
    flat: str
    members: list[HouseholdMember]
    owners: list[str]


def household_rows(user: Any, households: list[Household]) -> list[HouseholdRow]:
    """A page of households with their flat's label, members and the current owners the user may see: three
    queries whatever the page's size."""
    ids = [household.pk for household in households]
    members = list(HouseholdMember.objects.filter(household_id__in=ids).select_related("person")
                   .order_by("household_id", "pk"))
    flats = [household.flat for household in households]
    owners = list(visible_to(user, "ownership.view", Ownership.objects.current().filter(flat__in=flats))
                  .select_related("person", "organisation").order_by("pk"))
    labels = flat_labels(flats)
    return [
        HouseholdRow(
            household=household, flat=labels[household.flat_id],
            members=[member for member in members if member.household_id == household.pk],
            owners=[str(o.person or o.organisation) for o in owners if o.flat_id == household.flat_id],
        )
        for household in households
    ]


def person_by_id_number(user: Any, number: str) -> Person | None:
    """The person with this ID number, if the user sees their numbers in full (so a miss tells nothing)."""
    number = (number or "").strip().upper()
    if not number:
        return None
    return visible_to(user, "person.view_personal_data", Person.objects.filter(id_number=number)).first()


FLAT_CHOICES_SHOWN = 5


def flat_for(user: Any, text: str, action: str) -> tuple[Place | None, list[str]]:
    """The one flat where the user may `action` that `text` names (its code, or estate, building and room as the
    search box reads them); otherwise None and the labels of up to five candidates (none when nothing matched)."""
    flats = visible_to(user, action, Place.objects.filter(kind=PlaceKind.FLAT))
    by_code = flats.filter(code=text.strip()).first()
    if by_code is not None:
        return by_code, []
    search = parse(text)
    if search.flat is None:
        return None, []
    found = list(flats.filter(pk__in=_matching_flats(user, search.flat).values("pk"))[:FLAT_CHOICES_SHOWN + 1])
    if len(found) == 1:
        return found[0], []
    return None, list(flat_labels(found[:FLAT_CHOICES_SHOWN]).values())
