"""What the demo steps share: the seed, seeded random sources and the places built so far."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from faker import Faker

from commonground.core.models import Organisation, Person, Place


@dataclass
class DemoContext:
    """Handed to every demo step, including the `demo` modules of other apps."""

    seed: int
    district: Place | None = None
    streets: dict[str, Place] = field(default_factory=dict)  # by short name, e.g. "朝晖"
    communities: dict[str, Place] = field(default_factory=dict)  # by name
    estates: dict[str, Place] = field(default_factory=dict)  # by name
    buildings: dict[int, list[Place]] = field(default_factory=dict)  # estate pk → its buildings
    corridors: dict[int, list[Place]] = field(default_factory=dict)  # building pk → its corridors
    flats: dict[int, list[Place]] = field(default_factory=dict)  # estate pk → its flats
    populated_estates: list[Place] = field(default_factory=list)  # estates whose flats are built
    business_communities: dict[str, Place] = field(default_factory=dict)
    office_buildings: list[Place] = field(default_factory=list)
    apartment_buildings: list[Place] = field(default_factory=list)  # 新天地's serviced apartments
    organisations: dict[str, Organisation] = field(default_factory=dict)  # notable ones, by name
    people: dict[str, Person] = field(default_factory=dict)  # notable ones, by role in the demo
    counts: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)  # each step's build time, to see which is slow

    def rng(self, step: str) -> random.Random:
        """A random source of its own for each step, so one step's changes leave the others alone."""
        return random.Random(f"{self.seed}:{step}")

    def faker(self, step: str) -> Faker:
        fake = Faker("zh_CN")
        fake.seed_instance(self.rng(step).getrandbits(64))
        return fake

    def add_count(self, name: str, n: int) -> None:
        self.counts[name] = self.counts.get(name, 0) + n
