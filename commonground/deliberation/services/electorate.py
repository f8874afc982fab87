"""The electorate of a vote, frozen from the ownership register on the record date (Art. 278 counting)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from commonground.core.models import Ownership, Place
from commonground.core.models.places import within_q


@dataclass
class ElectorDraft:
    key: str
    holders: list[tuple[str, int]] = field(default_factory=list)  # ("person" | "organisation", pk)
    names: list[str] = field(default_factory=list)
    flats: dict[int, tuple[str, Decimal]] = field(default_factory=dict)  # flat pk -> (name, exclusive area)

    @property
    def area_m2(self) -> Decimal:
        return sum((area for _, area in self.flats.values()), Decimal("0"))

    @property
    def label(self) -> str:
        return "、".join(self.names)


class _Components:
    """Union-find over holders ("p12", "o5"): holders sharing a flat become one elector."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, node: str) -> str:
        self.parent.setdefault(node, node)
        while self.parent[node] != node:
            self.parent[node] = self.parent[self.parent[node]]
            node = self.parent[node]
        return node

    def union(self, a: str, b: str) -> None:
        root_a, root_b = self.find(a), self.find(b)
        if root_a != root_b:
            self.parent[max(root_a, root_b)] = min(root_a, root_b)


def _node_order(node: str) -> tuple[str, int]:
    return node[0], int(node[1:])


def compute_electorate(estate: Place, on: datetime.date) -> list[ElectorDraft]:
    """One elector per owner as Art. 278 counts them, from titles in force on `on`.

    A person with several flats is one head with all their area; co-owners of a flat are one head that casts one
    vote for it (and so is anyone linked to them through another shared flat); an organisation (the developer
    holding every unsold flat) is one head with all its flats. Area per flat is counted once. An elector's key
    is its first holder ("o5", "p12"): organisations first, then people, each by id.
    """
    rows = list(
        Ownership.objects.current(on).filter(within_q("flat__path", [estate.path]))
        .values_list("flat_id", "flat__name", "exclusive_area_m2", "person_id", "person__name", "organisation_id",
                     "organisation__name")
        .order_by("flat__path", "pk")
    )
    components = _Components()
    holders_of_flat: dict[int, list[str]] = {}
    names: dict[str, str] = {}
    for flat_id, _flat_name, _area, person_id, person_name, org_id, org_name in rows:
        node = f"p{person_id}" if person_id else f"o{org_id}"
        names[node] = person_name or org_name
        components.find(node)
        holders_of_flat.setdefault(flat_id, []).append(node)
    for holders in holders_of_flat.values():
        for other in holders[1:]:
            components.union(holders[0], other)
    drafts: dict[str, ElectorDraft] = {}
    for node in sorted(names, key=_node_order):
        draft = drafts.setdefault(components.find(node), ElectorDraft(key=""))
        draft.holders.append(("person" if node[0] == "p" else "organisation", int(node[1:])))
        draft.names.append(names[node])
    for flat_id, flat_name, area, person_id, _pn, org_id, _on in rows:
        draft = drafts[components.find(f"p{person_id}" if person_id else f"o{org_id}")]
        previous = draft.flats.get(flat_id)
        draft.flats[flat_id] = (flat_name, max(area, previous[1]) if previous else area)
    for draft in drafts.values():
        # The first holder names the elector: holders belong to one elector only, so the key is unique within
        # the vote, stable for the same register and short whatever the number of linked co-owners.
        kind, pk = draft.holders[0]
        draft.key = f"{kind[0]}{pk}"
    return sorted(drafts.values(), key=lambda d: d.key)
