"""The households roster: one row per member (flat, person, relation); exactly one head per flat.

Rows add members to the flat's household (created when the flat has none) or change a
member's relation; members not in the file stay as they are.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from ..bulk import Statement
from ..models import Household, HouseholdMember, Place, Relation
from . import cells
from .context import ImportContext, Parsed, Plan, Row, chunked
from .refs import flat_of, people_by_id_number, person_of, places_by_code
from .specs import RELATION_LABELS_ZH, choice_lookup

ALLOWED_RELATIONS = "、".join(labels[0] for labels in RELATION_LABELS_ZH.values())


@functools.cache
def relation_lookup() -> dict[str, str]:
    return choice_lookup(Relation, RELATION_LABELS_ZH)


@dataclass
class MemberRow(Parsed):
    row: Row
    flat_code: str
    id_number: str
    relation: str | None
    person_id: int | None = None


def _parse(ctx: ImportContext, row: Row) -> MemberRow | None:
    flat_code = ctx.parse(row, "flat_code", cells.text, required=True, max_length=64)
    id_number = ctx.parse(row, "id_number", cells.id_number, required=True)
    relation = ctx.parse(row, "relation", cells.choice, required=True, lookup=relation_lookup(),
                         allowed=ALLOWED_RELATIONS)
    if not flat_code or not id_number:
        return None
    return MemberRow(row, flat_code, id_number, relation or None)


@dataclass
class HouseholdsPlan(Plan):
    new_households: list[Household] = field(default_factory=list)
    new_members: list[tuple[int, int | None, MemberRow]] = field(default_factory=list)  # flat, household
    demotions: list[HouseholdMember] = field(default_factory=list)
    member_updates: list[HouseholdMember] = field(default_factory=list)
    head_updates: list[Household] = field(default_factory=list)

    def statements(self, ctx: ImportContext) -> list[Statement]:
        # Demote old heads first: the database allows one head per household at every moment.
        statements = ctx.update(HouseholdMember, self.demotions, ["relation"])
        statements += ctx.update(HouseholdMember, self.member_updates, ["relation"])
        statements += ctx.insert(Household, self.new_households)  # their primary keys are reserved here
        created_for = {household.flat_id: household.pk for household in self.new_households}
        statements += ctx.insert(HouseholdMember, [
            HouseholdMember(household_id=household_pk or created_for[flat_pk], person_id=item.person_id,
                            relation=item.relation)
            for flat_pk, household_pk, item in self.new_members
        ])
        return statements + ctx.update(Household, self.head_updates, ["head"])


def _existing(flats: list[Place]) -> tuple[dict[int, list[Household]], dict[int, dict[int, HouseholdMember]]]:
    households: dict[int, list[Household]] = defaultdict(list)
    members: dict[int, dict[int, HouseholdMember]] = defaultdict(dict)
    for batch in chunked([flat.pk for flat in flats]):
        for household in Household.objects.filter(flat_id__in=batch).order_by("pk"):
            households[household.flat_id].append(household)
    for batch in chunked([group[0].pk for group in households.values() if len(group) == 1]):
        for member in HouseholdMember.objects.filter(household_id__in=batch):
            members[member.household_id][member.person_id] = member
    return households, members


def _check_heads(ctx: ImportContext, flat: Place, items: list[MemberRow],
                 registered: dict[int, HouseholdMember]) -> int | None:
    """The person id of the one head after the import, or None after reporting the problem."""
    in_file = {item.person_id for item in items}
    heads: list[tuple[int, MemberRow | None]] = [
        (person_id, None) for person_id, member in registered.items()
        if member.relation == Relation.HEAD and person_id not in in_file
    ]
    heads += [(item.person_id, item) for item in items if item.relation == Relation.HEAD]  # type: ignore[misc]
    if not heads:
        ctx.error(items[0].row, "relation",
                  _("Nobody in the household at %(flat)s is its head (户主); a household has exactly one head.")
                  % {"flat": flat.code}, "no_head")
        return None
    first_person, first_item = heads[0]
    for _person, item in heads[1:]:
        where = (_("on row %(row)d") % {"row": first_item.row.number}) if first_item else _("already registered")
        ctx.error(item.row, "relation",  # type: ignore[union-attr]
                  _("This household already has a head (%(where)s); a household has exactly one head.")
                  % {"where": where}, "second_head")
    return first_person if len(heads) == 1 else None


def _plan_flat(ctx: ImportContext, plan: HouseholdsPlan, flat: Place, items: list[MemberRow],
               households: list[Household], registered: dict[int, HouseholdMember]) -> None:
    if len(households) > 1:
        for item in items:
            ctx.error(item.row, "flat_code", _("This flat has several households; change them on the household page."),
                      "several_households")
        return
    head = _check_heads(ctx, flat, items, registered)
    household = households[0] if households else None
    action = "household.change" if household else "household.add"
    allowed = ctx.may(action, flat.path)
    changed = False
    for item in items:
        member = registered.get(item.person_id)  # type: ignore[arg-type]
        if member is not None and member.relation == item.relation:
            plan.unchanged += 1
            continue
        changed = True
        if not allowed:
            ctx.refuse(item.row, "flat_code")
        if member is None:
            plan.new_members.append((flat.pk, household.pk if household else None, item))
            plan.created += 1
            continue
        (plan.demotions if member.relation == Relation.HEAD else plan.member_updates).append(member)
        member.relation = item.relation
        plan.updated += 1
    if head is None or not changed:
        return
    if household is None:
        plan.new_households.append(Household(flat_id=flat.pk, head_id=head))
    elif household.head_id != head:
        household.head_id = head
        plan.head_updates.append(household)


def plan(ctx: ImportContext, rows: list[Row]) -> HouseholdsPlan:
    items = [item for row in ctx.counted(rows, _("Checking")) if (item := _parse(ctx, row))]
    ctx.first_rows(items, lambda item: (item.flat_code, item.id_number), "id_number")
    flats = places_by_code({item.flat_code for item in items})
    people = people_by_id_number({item.id_number for item in items}, fields=("pk",))
    by_flat: dict[int, list[MemberRow]] = defaultdict(list)
    flat_by_pk: dict[int, Place] = {}
    for item in items:
        flat = flat_of(ctx, item.row, item.flat_code, flats)
        person = person_of(ctx, item.row, "id_number", item.id_number, people)
        if flat and person and item.row.ok:
            item.person_id = person.pk
            by_flat[flat.pk].append(item)
            flat_by_pk[flat.pk] = flat
    households, members = _existing(list(flat_by_pk.values()))
    result = HouseholdsPlan()
    for flat_pk, group in by_flat.items():
        found = households.get(flat_pk, [])
        _plan_flat(ctx, result, flat_by_pk[flat_pk], group, found, members[found[0].pk] if len(found) == 1 else {})
    return result
