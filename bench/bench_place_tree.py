"""Subtree queries on the demo district: our path range against a raw SQL floor and a recursive CTE."""

from __future__ import annotations

from django.db import connection

from commonground.core.models import Place, PlaceKind, RoleAssignment
from commonground.core.models.places import path_upper_bound
from commonground.core.permissions import forget_roles, visible_to

from .harness import median_seconds, report

RECURSIVE = """
WITH RECURSIVE sub(id) AS (
  SELECT id FROM core_place WHERE id = %s
  UNION ALL SELECT p.id FROM core_place p JOIN sub ON p.parent_id = sub.id
) SELECT count(*) FROM sub
"""


def run() -> None:
    streets = list(Place.objects.of_kind(PlaceKind.STREET))
    if not streets:
        print("bench_place_tree: no demo district here; run `commonground demo` first")
        return
    total = Place.objects.count()

    def orm_within() -> None:
        for street in streets:
            Place.objects.within(street).count()

    def raw_range() -> None:
        with connection.cursor() as cursor:
            for street in streets:
                cursor.execute("SELECT count(*) FROM core_place WHERE path >= %s AND path < %s",
                               [street.path, path_upper_bound(street.path)])
                cursor.fetchone()

    def recursive_cte() -> None:
        with connection.cursor() as cursor:
            for street in streets:
                cursor.execute(RECURSIVE, [street.pk])
                cursor.fetchone()

    report(f"Count the subtree of each of {len(streets)} streets ({total} places, {connection.vendor})", [
        ("raw SQL path range (floor)", median_seconds(raw_range)),
        ("Place.objects.within(street).count()", median_seconds(orm_within)),
        ("recursive CTE over parent_id", median_seconds(recursive_cte)),
    ], floor="raw SQL path range (floor)")

    role = RoleAssignment.objects.filter(role="community_worker").select_related("user", "scope").first()
    if role is None:
        return
    user, scope = role.user, role.scope

    def scoped_list() -> None:
        forget_roles(user)
        list(visible_to(user, "place.view", Place.objects.all()).values_list("code", "name"))

    def raw_list() -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT code, name FROM core_place WHERE path >= %s AND path < %s ORDER BY path",
                           [scope.path, path_upper_bound(scope.path)])
            cursor.fetchall()

    report(f"A community worker's place list ({Place.objects.within(scope).count()} rows)", [
        ("raw SQL path range (floor)", median_seconds(raw_list)),
        ("visible_to(user, 'place.view', ...) incl. role lookup", median_seconds(scoped_list)),
    ], floor="raw SQL path range (floor)")
