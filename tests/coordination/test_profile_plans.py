"""The where-to-act list, the profile and the API never read the whole case table (plans as tests/cases reads
them: SQLite without statistics, PostgreSQL with sequential scans priced out)."""

from __future__ import annotations

import pytest

from commonground.core.models import RoleKind
from tests.cases.test_plans import full_scans, statements_of

from .profile_fixtures import open_case


@pytest.mark.parametrize(("who", "url"), [("street", "/coordination/estates/"), ("district", "/coordination/estates/"),
                                          ("street", "/coordination/estates/export.csv"),
                                          ("street", "/api/coordination/estates"), ("street", "profile")])
def test_estate_pages__no_full_scan_of_cases(estates, make_user, client, who, url):
    resident = make_user(RoleKind.RESIDENT, estates.tree.estate, person=estates.tree.owner)
    open_case(resident, estates.tree.building, overdue=True)
    user = estates.street if who == "street" else make_user(RoleKind.DISTRICT_ADMIN, estates.tree.district)
    client.force_login(user)
    if url == "profile":
        url = f"/coordination/estates/{estates.tree.estate.pk}/"
    statements = statements_of(client, url)
    assert statements
    scans = {sql: found for sql, params in statements if (found := full_scans(sql, params))}
    assert not scans, scans
