"""The scope dashboards: each panel's figures against hand counts, scoping (another street's staff gets 404 and
nothing of it), a fixed query count and no full scan of cases or readings behind any panel."""

from __future__ import annotations

import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commonground.cockpit import panels
from commonground.cockpit.dashboards_selectors import access_cockpit_place, default_place
from commonground.cockpit.models import Severity

from .dashboards_fixtures import report


def test_dashboard__street_staff__own_street_by_default(dash, client):
    client.force_login(dash.signals.staff)
    response = client.get("/cockpit/")
    assert response.status_code == 200
    assert response.context["place"] == dash.signals.tree.street
    assert set(response.context["panels"]) >= {"cases", "signals", "warnings", "business"}


def test_cases_panel__street__figures_equal_hand_counts(dash):
    figures = panels.cases_panel(dash.signals.staff, dash.signals.tree.street)
    assert figures["counts"]["open"] == 2
    assert figures["counts"]["overdue"] == 0
    assert figures["counts"]["closed"] == 0
    assert figures["this_month"] == 2
    assert figures["last_month"] == 0
    assert [(row["stage"], row["count"]) for row in figures["stages"]] == [("collect", 2)]
    assert f"place={dash.signals.tree.street.code}" in figures["links"]["open"]


def test_cases_panel__district__counts_both_streets(dash):
    figures = panels.cases_panel(dash.district, dash.signals.tree.district)
    assert figures["counts"]["open"] == 3
    assert figures["this_month"] == 3


def test_signals_panel__street__today_against_the_median_of_the_same_hours(dash):
    """Until 12:00 today: gate 4 × 30 = 120, B-1 300 → 420; the Mondays before, before 12:00: gate 10/20/30 and B-1
    100/200/300 → 110, 220, 330, median 220; ratio 420 / 220 = 1.91."""
    figures = panels.signals_panel(dash.signals.staff, dash.signals.tree.street)
    assert (figures["today"], figures["usual"], str(figures["ratio"])) == (420, 220, "1.91")
    assert figures["chart"]["values"][-1] == 420
    assert len(figures["chart"]["days"]) == 14


def test_signals_panel__estate__counts_its_community_unit(dash):
    """An estate reads the roll-up unit it lies in (its community): the gate, 120 today."""
    figures = panels.signals_panel(dash.signals.staff, dash.signals.tree.estate)
    assert figures["today"] == 120


def test_warnings_panel__street__open_warnings_of_the_street_only(dash):
    figures = panels.warnings_panel(dash.signals.staff, dash.signals.tree.street)
    assert figures["total"] == 1
    assert {row["severity"]: row["count"] for row in figures["by_severity"]} == {
        Severity.SERIOUS: 0, Severity.WARNING: 1, Severity.NOTICE: 0}
    assert figures["latest"] == [dash.alert]


def test_business_panel__street__active_firms_of_the_street(dash):
    figures = panels.business_panel(dash.signals.staff, dash.signals.tree.street)
    assert figures["firms"] == 3
    assert figures["at_risk"] == 0


def test_panels__community_worker__modules_they_may_not_see_left_out(dash):
    """A community worker has no business statistics: the panel is left out, not shown empty."""
    figures = panels.dashboard(dash.signals.worker, dash.signals.tree.community)
    assert "business" not in figures
    assert figures["cases"]["counts"]["open"] == 2


def test_dashboard_place__other_streets_staff__404(dash, client):
    client.force_login(dash.signals.far_staff)
    assert client.get(f"/cockpit/{dash.signals.tree.street.code}/").status_code == 404
    assert client.get(f"/cockpit/{dash.signals.tree.estate.code}/").status_code == 404
    assert client.get(f"/cockpit/?place={dash.signals.tree.street.code}").status_code == 404


def test_dashboard__other_streets_staff__nothing_of_the_street(dash, client):
    client.force_login(dash.signals.far_staff)
    response = client.get("/cockpit/")
    assert response.context["place"] == dash.signals.tree.other_street
    figures = response.context["panels"]
    assert figures["cases"]["counts"]["open"] == 1
    assert figures["warnings"]["latest"] == [dash.far_alert]
    assert figures["signals"]["today"] == 77
    assert dash.signals.tree.street.code not in [place.code for place in response.context["places"]]
    assert "竹竿巷" not in response.content.decode()


def test_access_cockpit_place__a_place_inside_the_scope__found(dash):
    assert access_cockpit_place(dash.signals.staff, dash.business.community.code) == dash.business.community
    assert default_place(dash.signals.worker) == dash.signals.tree.community


def test_dashboard__not_cockpit_staff__403(dash, client, make_user):
    from commonground.core.models import RoleKind

    resident = make_user(RoleKind.RESIDENT, dash.signals.tree.estate)
    client.force_login(resident)
    assert client.get("/cockpit/").status_code == 403


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("login", ["staff", "worker", "district"])
def test_dashboard__one_and_many_rows__same_number_of_queries(dash, client, login):
    user = dash.district if login == "district" else getattr(dash.signals, login)
    client.force_login(user)
    _queries(client, "/cockpit/")  # warm the per-process caches (place tree, clock)
    before = _queries(client, "/cockpit/")
    report(dash.signals.worker, dash.category, dash.signals.tree.building, 3)
    from .dashboards_fixtures import alert_at
    alert_at(dash.signals.tree.community, "crowding:square")
    assert _queries(client, "/cockpit/") == before


WATCHED = ("cases_case", "cockpit_reading")


def _statements(client, url: str) -> list[tuple[str, tuple]]:
    ran: list[tuple[str, tuple]] = []

    def keep(execute, sql, params, many, context):
        if sql.lstrip().upper().startswith("SELECT") and any(f'"{table}"' in sql for table in WATCHED):
            ran.append((sql, tuple(params or ())))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(keep):
        assert client.get(url).status_code == 200
    return ran


def _full_scans(sql: str, params: tuple) -> list[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
            plan = cursor.fetchone()[0]
            stack = json.loads(plan) if isinstance(plan, str) else list(plan)
            found = []
            while stack:
                node = stack.pop()
                node = node.get("Plan", node)
                if node.get("Node Type") == "Seq Scan" and node.get("Relation Name") in WATCHED:
                    found.append(node["Relation Name"])
                stack.extend(node.get("Plans", []))
            return found
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        details = [row[3] for row in cursor.fetchall()]
    whole = re.compile(rf"SCAN ({'|'.join(WATCHED)})( AS \w+)?")
    return [detail for detail in details if whole.fullmatch(detail)]


@pytest.mark.parametrize("url", ["/cockpit/", "/cockpit/map/", "/api/cockpit/layers/cases",
                                 "/api/cockpit/layers/density", "/cockpit/vitality/", "/cockpit/screen/",
                                 "/cockpit/3d/", "/api/cockpit/scene"])
def test_cockpit_pages__plan__no_full_scan_of_cases_or_readings(dash, client, url):
    """No panel reads the readings table at all; the cases come from the tallies, or (the map's layers) from an
    index range of the place's path."""
    client.force_login(dash.signals.staff)
    statements = _statements(client, url)
    assert not any('"cockpit_reading"' in sql for sql, _params in statements)
    scans = {sql: found for sql, params in statements if (found := _full_scans(sql, params))}
    assert not scans, scans


def test_big_screen__street_staff__figures_map_and_polled_fragment(dash, client):
    client.force_login(dash.signals.staff)
    response = client.get("/cockpit/screen/")
    assert response.status_code == 200
    text = response.content.decode()
    assert 'hx-trigger="every 60s"' in text and 'id="cockpit-map"' in text
    fragment = client.get(f"/cockpit/screen/figures/?place={dash.signals.tree.street.code}")
    assert fragment.status_code == 200
    assert fragment.context["panels"]["warnings"]["total"] == 1
    assert fragment.context["panels"]["cases"]["counts"]["open"] == 2


def test_big_screen__other_streets_place__404(dash, client):
    client.force_login(dash.signals.far_staff)
    assert client.get(f"/cockpit/screen/?place={dash.signals.tree.street.code}").status_code == 404
    assert client.get(f"/cockpit/screen/figures/?place={dash.signals.tree.street.code}").status_code == 404


def test_big_screen_figures__one_and_many_rows__same_number_of_queries(dash, client):
    client.force_login(dash.signals.staff)
    _queries(client, "/cockpit/screen/figures/")
    before = _queries(client, "/cockpit/screen/figures/")
    report(dash.signals.worker, dash.category, dash.signals.tree.building, 3)
    assert _queries(client, "/cockpit/screen/figures/") == before
