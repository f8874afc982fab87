"""Migrations that repair stored data: they run on a database holding the rows they are for."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE, AFTER = ("cases", "0004_signed_agreement_type"), ("cases", "0005_case_pin_whole_and_in_range")


@pytest.mark.django_db(transaction=True)
def test_migration_0005__broken_pins_dropped_then_constrained(tree):
    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE])
    apps = executor.loader.project_state([BEFORE]).apps
    Case = apps.get_model("cases", "Case")
    category = apps.get_model("cases", "Category").objects.create(code="rubbish", name="垃圾", sla_hours=4)
    pins = {"whole": (Decimal("30.280090"), Decimal("120.160090")), "none": (None, None),
            "lone": (None, Decimal("120.160090")), "past": (Decimal("91"), Decimal("120.160090"))}
    for number, (latitude, longitude) in pins.items():
        Case.objects.create(number=number, category=category, description="楼道口垃圾", place_id=tree.building.pk,
                            latitude=latitude, longitude=longitude)
    if connection.vendor == "sqlite":  # SQLite kept what numeric(9, 6) refuses, as a float no read could convert
        Case.objects.create(number="overflow", category=category, description="楼道口垃圾", place_id=tree.building.pk)
        with connection.cursor() as cursor:
            cursor.execute("UPDATE cases_case SET longitude = -1.4469813660243294e16 WHERE number = 'overflow'")

    executor = MigrationExecutor(connection)
    executor.migrate([AFTER])
    try:
        stored = dict(executor.loader.project_state([AFTER]).apps.get_model("cases", "Case").objects
                      .values_list("number", "latitude"))
        with connection.cursor() as cursor:
            cursor.execute("SELECT number, longitude IS NULL FROM cases_case")
            no_longitude = dict(cursor.fetchall())
    finally:
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
    assert stored == {"whole": Decimal("30.280090"), "none": None, "lone": None, "past": None,
                      **({"overflow": None} if "overflow" in stored else {})}
    assert {number: bool(gone) for number, gone in no_longitude.items()} == {
        "whole": False, "none": True, "lone": True, "past": True, **({"overflow": True} if "overflow" in stored else {})}
