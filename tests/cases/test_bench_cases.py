"""The case benchmark's hand-written floors and the pages it measures run on the current schema (a bench that
fails after twenty minutes of building is found here in a second)."""

from __future__ import annotations

from bench.bench_cases import endpoints, floors

from .test_plans import some_cases  # noqa: F401  (the fixture)


def test_floors_and_endpoints__run_on_a_small_district(some_cases, located, people, client):  # noqa: F811
    for floor in floors(located.street).values():
        floor()
    street, district = client, client.__class__()
    street.force_login(people["street"])
    district.force_login(people["district"])
    for call in endpoints(street, district).values():
        call()
