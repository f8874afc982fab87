"""Synthetic people: Chinese names (Faker zh_CN), valid GB 11643 ID numbers, mobile numbers."""

from __future__ import annotations

import datetime
import random

from faker import Faker

from commonground.core.models import Gender, Person, Relation
from commonground.core.services.people import search_keys
from commonground.core.validators import id_number_check_char

from . import names

LATEST_BIRTH_YEAR = 2020


class PeopleMaker:
    """Makes unsaved Person rows with unique ID numbers, deterministic for a given rng and Faker."""

    def __init__(self, rng: random.Random, fake: Faker) -> None:
        self.rng = rng
        self.fake = fake
        self.id_numbers: set[str] = set()
        self.made: list[Person] = []
        self.surnames: dict[int, str] = {}  # id(person) → family name (some are two characters)

    def id_number(self, born: datetime.date, gender: str) -> str:
        while True:
            sequence = self.rng.randrange(0, 100) * 10 + self.rng.randrange(1 if gender == Gender.MALE else 0, 10, 2)
            first17 = f"{self.rng.choice(names.ID_REGIONS)}{born:%Y%m%d}{sequence:03d}"
            number = first17 + id_number_check_char(first17)
            if number not in self.id_numbers:
                self.id_numbers.add(number)
                return number

    def phone(self) -> str:
        return f"1{self.rng.choice('3456789')}{self.rng.randrange(10**9):09d}"

    def person(self, *, gender: str, born_in: tuple[int, int], surname: str | None = None,
               phone: bool = True) -> Person:
        first, last = born_in
        year = min(max(self.rng.randint(first, last), 1925), LATEST_BIRTH_YEAR)
        born = datetime.date(year, self.rng.randint(1, 12), self.rng.randint(1, 28))
        given = self.fake.first_name_male() if gender == Gender.MALE else self.fake.first_name_female()
        surname = surname or self.fake.last_name()
        name = surname + given
        id_number = self.id_number(born, gender)  # drawn before the phone, as the demo always has
        number = self.phone() if phone else ""
        person = Person(name=name, **search_keys(name, number), id_number=id_number, phone=number, gender=gender,
                        birth_date=born)
        self.made.append(person)
        self.surnames[id(person)] = surname
        return person

    def family(self, head: Person, extra: int) -> list[tuple[Person, str]]:
        """`extra` relatives of `head`: a spouse most often, then children, a parent or grandchildren."""
        members: list[tuple[Person, str]] = []
        year = head.birth_date.year
        male_surname = self.surnames[id(head)] if head.gender == Gender.MALE else None
        if extra and self.rng.random() < 0.8:
            spouse_gender = Gender.FEMALE if head.gender == Gender.MALE else Gender.MALE
            spouse = self.person(gender=spouse_gender, born_in=(year - 3, year + 5), phone=self.rng.random() < 0.7)
            male_surname = male_surname or self.surnames[id(spouse)]
            members.append((spouse, Relation.SPOUSE))
        while len(members) < extra:
            gender = self.rng.choice((Gender.MALE, Gender.FEMALE))
            roll = self.rng.random()
            if year < 1962 and roll < 0.35:
                relation, born_in = Relation.GRANDCHILD, (year + 48, year + 62)
            elif year > 1968 and roll < 0.3:
                relation, born_in = Relation.PARENT, (year - 32, year - 24)
            else:
                relation, born_in = Relation.CHILD, (year + 23, year + 34)
            surname = male_surname if relation in (Relation.CHILD, Relation.GRANDCHILD) else None
            relative = self.person(gender=gender, born_in=born_in, surname=surname, phone=self.rng.random() < 0.5)
            members.append((relative, relation))
        return members
