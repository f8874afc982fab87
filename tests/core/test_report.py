"""The district report: its JSON, period defaults, scope narrowing, the API, the command and the page."""

from __future__ import annotations

import datetime
import io
import json
import re

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from commonground.cli import main
from commonground.core.models import OrganisationKind, Place, PlaceKind, RoleKind
from commonground.core.reporting import build_report
from commonground.core.services.organisations import organisation_create
from commonground.core.services.places import place_create
from tests.conftest import start_clock_on

BEFORE = datetime.date(2020, 5, 1)
REPORT_URL = "/report/"


@pytest.fixture
def organised(tree):
    """Organisations in the tree: two estate party organisations, one corridor branch, offices at three levels."""
    kind = OrganisationKind
    for name, org_kind, place in [
        ("竹竿巷小区党支部", kind.PARTY_ORGANISATION, tree.estate),
        ("龙游小区党支部", kind.PARTY_ORGANISATION, tree.neighbour_estate),
        ("1幢1单元楼道党支部", kind.PARTY_ORGANISATION, tree.corridor),
        ("竹竿巷小区业主委员会", kind.OWNERS_COMMITTEE, tree.estate),
        ("某物业竹竿巷项目部", kind.PROPERTY_COMPANY, tree.estate),
        ("竹竿巷合唱团", kind.MASS_ASSOCIATION, tree.community),
        ("竹竿巷小区书画社", kind.MASS_ASSOCIATION, tree.estate),
        ("区三方办", kind.THREE_PARTY_OFFICE, tree.district),
        ("武林街道三方办", kind.THREE_PARTY_OFFICE, tree.street),
        ("竹竿巷社区三方办", kind.THREE_PARTY_OFFICE, tree.community),
    ]:
        organisation_create(name=name, kind=org_kind, place=place, established_on=BEFORE)
    # Established after the demo period ends: not yet in force on its last day.
    organisation_create(name="龙游小区业主委员会", kind=kind.OWNERS_COMMITTEE, place=tree.neighbour_estate,
                        established_on=datetime.date(2023, 9, 1))
    start_clock_on(datetime.date(2023, 8, 31))
    return tree


def test_build_report__pinned_today__json_shape_and_organisation_figures(organised):
    report = build_report()

    assert report["scope"] == {"code": "330105", "name": "拱墅区"}
    assert report["period"] == {"from": "2023-01-01", "to": "2023-08-31"}
    assert report["organisation"] == {
        "estates": 3,
        "estate_party_organisations": 2,
        "corridor_party_branches": 1,
        "mass_associations": 2,
        "owners_committee_formation_rate": 0.3333,
        "property_service_coverage_rate": 0.3333,
        "three_party_offices": {"district": 1, "street": 1, "community": 1},
    }
    assert json.loads(json.dumps(report, ensure_ascii=False)) == report


def test_build_report__no_pinned_today__current_year_to_date(tree):
    today = timezone.localdate()

    report = build_report()

    assert report["period"] == {"from": f"{today.year}-01-01", "to": today.isoformat()}


def test_build_report__period_after_committee_founding__counts_it(organised):
    report = build_report(start=datetime.date(2023, 9, 1), end=datetime.date(2023, 9, 30))

    assert report["period"] == {"from": "2023-09-01", "to": "2023-09-30"}
    assert report["organisation"]["owners_committee_formation_rate"] == 0.6667


def test_build_report__street_and_community_scope__only_figures_inside(organised):
    street = build_report(scope=organised.street)["organisation"]
    community = build_report(scope=organised.community)["organisation"]
    far = build_report(scope=organised.far_community)["organisation"]

    assert (street["estates"], street["estate_party_organisations"], street["mass_associations"]) == (2, 2, 2)
    assert street["three_party_offices"] == {"district": 0, "street": 1, "community": 1}
    assert (community["estates"], community["corridor_party_branches"], community["owners_committee_formation_rate"]) \
        == (1, 1, 1.0)
    assert far == {
        "estates": 1, "estate_party_organisations": 0, "corridor_party_branches": 0, "mass_associations": 0,
        "owners_committee_formation_rate": 0.0, "property_service_coverage_rate": 0.0,
        "three_party_offices": {"district": 0, "street": 0, "community": 0},
    }


def test_build_report__from_after_to__rejected(tree):
    with pytest.raises(ValidationError):
        build_report(start=datetime.date(2023, 5, 1), end=datetime.date(2023, 4, 30))


# The API ------------------------------------------------------------------------------------------------


def test_report_api__district_admin__same_json_as_build_report(organised, client, role_users):
    client.force_login(role_users[RoleKind.DISTRICT_ADMIN])

    response = client.get("/api/report", {"from": "2023-02-01", "to": "2023-06-30"})

    assert response.status_code == 200
    assert response.json() == build_report(start=datetime.date(2023, 2, 1), end=datetime.date(2023, 6, 30))


def test_report_api__street_staff_own_street__200(organised, client, role_users):
    client.force_login(role_users[RoleKind.STREET_STAFF])

    response = client.get("/api/report", {"scope": organised.street.code})

    assert response.status_code == 200
    assert response.json()["scope"] == {"code": "330105001", "name": "武林街道"}
    assert response.json()["organisation"]["estates"] == 2


def test_report_api__street_staff_other_street__404(organised, client, role_users):
    client.force_login(role_users[RoleKind.STREET_STAFF])

    assert client.get("/api/report", {"scope": organised.other_street.code}).status_code == 404


def test_report_api__street_staff_without_scope__their_street(organised, client, role_users):
    client.force_login(role_users[RoleKind.STREET_STAFF])

    response = client.get("/api/report")
    assert response.status_code == 200
    assert response.json()["scope"]["code"] == organised.street.code
    assert client.get("/api/report", {"scope": organised.district.code}).status_code == 404


def test_report_api__grid_worker__not_allowed(organised, client, role_users):
    client.force_login(role_users[RoleKind.GRID_WORKER])

    assert client.get("/api/report", {"scope": organised.community.code}).status_code == 403  # seen, not reported
    assert client.get("/api/report", {"scope": organised.far_community.code}).status_code == 404
    assert client.get("/api/report").status_code == 403


def test_report_api__anonymous__401(organised, client):
    assert client.get("/api/report").status_code == 401


@pytest.mark.parametrize(("params", "field"), [
    ({"to": "0"}, "to"),  # was read as 1970-01-01
    ({"from": "1700000000"}, "from"),
    ({"from": "2023-1-1"}, "from"),
    ({"from": "2023-02-30"}, "from"),
    ({"to": "2023-06-30T00:00:00"}, "to"),
    ({"to": "9999-12-31"}, "to"),
    ({"from": "0001-01-01"}, "from"),
])
def test_report_api__date_not_iso_or_out_of_range__422(organised, client, role_users, params, field):
    client.force_login(role_users[RoleKind.DISTRICT_ADMIN])

    response = client.get("/api/report", params)

    assert (response.status_code, list(response.json()["detail"])) == (422, [field])


def test_report_api__from_after_to__400(organised, client, role_users):
    client.force_login(role_users[RoleKind.DISTRICT_ADMIN])

    response = client.get("/api/report", {"from": "2023-05-01", "to": "2023-04-30"})

    assert (response.status_code, list(response.json()["detail"])) == (400, ["__all__"])


# The command --------------------------------------------------------------------------------------------


def test_report_command__json__same_as_build_report(organised):
    out = io.StringIO()

    call_command("report", "--format", "json", "--scope", "330105001", stdout=out)

    assert json.loads(out.getvalue()) == build_report(scope=organised.street)
    assert "武林街道" in out.getvalue()  # ensure_ascii=False
    assert out.getvalue().startswith('{\n  "scope": {\n    "code": "330105001",')


def test_report_command__html__standalone_tables_with_figures(organised):
    out = io.StringIO()

    call_command("report", "--format", "html", "--from", "2023-01-01", "--to", "2023-06-30", stdout=out)

    html = out.getvalue()
    assert html.lstrip().startswith("<!doctype html>")
    assert "330105" not in html  # place names, not codes
    assert "2023年1月1日" in html and "2023年6月30日" in html
    assert '<section class="report-section" id="section-organisation"' in html
    assert '<h2 id="heading-organisation">一、' in html
    assert '<td class="num">33.33%</td>' in html
    assert "{%" not in html and "{{" not in html


def test_report_command__xlsx__one_sheet_per_section(organised, tmp_path):
    target = tmp_path / "report.xlsx"

    call_command("report", "--format", "xlsx", "-o", str(target))

    book = openpyxl.load_workbook(target)
    assert len(book.sheetnames) == 1 + len(build_report()) - 2
    first = list(book.worksheets[0].iter_rows(values_only=True))
    assert [row[1:3] for row in first[:2]] == [("拱墅区", "330105"), ("2023-01-01", "2023-08-31")]
    assert first[3][0].startswith("一、")  # then the sentences of each section
    organisation = [row for row in book.worksheets[1].iter_rows(values_only=True) if any(row)]
    values = [row[1] for row in organisation]
    assert values[1:7] == [3, 2, 1, 2, 0.3333, 0.3333]


@pytest.mark.parametrize(("args", "message"), [
    (["--scope", "999"], "999"),
    (["--from", "2023-09-01", "--to", "2023-08-01"], ""),
    (["--from", "2023-02-30"], "2023-02-30"),
    (["--to", "31/08/2023"], "31/08/2023"),
    (["--format", "xlsx"], "-o"),
])
def test_report_command__bad_input__clear_error(organised, args, message):
    with pytest.raises(CommandError) as error:
        call_command("report", *args, stdout=io.StringIO())

    assert message in str(error.value)


def test_report_command__bad_date_from_command_line__exit_status_1(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["commonground", "report", "--from", "2023-13-01"])

    assert exit_.value.code == 1
    assert "2023-13-01" in capsys.readouterr().err


# The page -----------------------------------------------------------------------------------------------


def test_report_page__district_admin__figures_and_download_links(organised, client, role_users):
    client.force_login(role_users[RoleKind.DISTRICT_ADMIN])

    response = client.get(reverse("core:report"))

    assert response.status_code == 200
    assert response.context["scope"] == organised.district
    assert response.context["report"] == build_report()
    assert "web/base.html" in [t.name for t in response.templates]
    html = response.content.decode()
    assert "format=json" in html and "format=xlsx" in html
    assert '<td class="num">33.33%</td>' in html


def test_report_page__reads_like_a_report__title_period_numbered_sections_sentences_units(organised, client,
                                                                                        role_users):
    client.force_login(role_users[RoleKind.DISTRICT_ADMIN])

    with translation.override("en"):
        html = client.get(REPORT_URL, {"from": "2023-01-01", "to": "2023-08-31"},
                          HTTP_ACCEPT_LANGUAGE="en").content.decode()
    page = client.get(REPORT_URL, {"from": "2023-01-01", "to": "2023-08-31"}).content.decode()

    assert "拱墅区 co-governance report</h1>" in html
    assert "Period: Jan. 1, 2023 to Aug. 31, 2023 (243 days)" in html
    headings = re.findall(r'<h2 id="heading-[a-z_]+">([^<]+)</h2>', html)
    assert headings[0] == "1. Party building and organisations"
    assert [heading.split(".")[0] for heading in headings] == [str(n) for n in range(1, len(headings) + 1)]
    assert ("The area has 3 estates, 2 of them with a party organisation; there are 1 corridor party branches and 2 "
            "mass associations.") in html
    assert '<th scope="row">Estates</th><td class="num">3</td><td class="unit">items</td>' in html
    assert "(330105)" not in page and ">拱墅区</option>" in page
    assert re.search(r'<h2 id="heading-organisation">一、', page)


def test_report_page__downloads__json_xlsx_and_printable(organised, client, role_users):
    client.force_login(role_users[RoleKind.STREET_STAFF])
    params = {"scope": organised.street.code, "from": "2023-01-01", "to": "2023-08-31"}

    as_json = client.get(REPORT_URL, {**params, "format": "json"})
    as_xlsx = client.get(REPORT_URL, {**params, "format": "xlsx"})
    printable = client.get(REPORT_URL, {**params, "format": "html"})

    assert json.loads(as_json.content) == build_report(scope=organised.street)
    assert as_json["Content-Disposition"] == 'attachment; filename="report-330105001-2023-01-01-2023-08-31.json"'
    assert as_xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert openpyxl.load_workbook(io.BytesIO(as_xlsx.content)).worksheets[0]["B1"].value == "武林街道"
    assert printable.status_code == 200 and b"<!doctype html>" in printable.content


def test_report_page__community_worker_without_scope__own_community(organised, client, role_users):
    client.force_login(role_users[RoleKind.COMMUNITY_WORKER])

    response = client.get(REPORT_URL)

    assert response.status_code == 200
    assert response.context["scope"] == organised.community
    assert [p.code for p in response.context["places"]] == [organised.community.code]


def test_report_page__scope_outside_visibility__404(organised, client, role_users):
    client.force_login(role_users[RoleKind.STREET_STAFF])

    assert client.get(REPORT_URL, {"scope": organised.far_community.code}).status_code == 404
    assert client.get(REPORT_URL, {"scope": "no-such-place"}).status_code == 404


def test_report_page__visible_place_without_report_permission__403(organised, client, role_users):
    client.force_login(role_users[RoleKind.GRID_WORKER])

    assert client.get(REPORT_URL, {"scope": organised.community.code}).status_code == 403
    assert client.get(REPORT_URL).status_code == 403


def test_report_page__anonymous__redirected_to_login(organised, client):
    response = client.get(REPORT_URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_report_page__bad_dates__400_with_message(organised, client, role_users):
    client.force_login(role_users[RoleKind.DISTRICT_ADMIN])

    bad_day = client.get(REPORT_URL, {"from": "2023-02-30"})
    reversed_period = client.get(REPORT_URL, {"from": "2023-08-01", "to": "2023-07-01"})

    assert bad_day.status_code == 400 and "2023-02-30" in bad_day.content.decode()
    assert reversed_period.status_code == 400 and reversed_period.context["errors"]


def test_report_page__more_estates__same_number_of_queries(organised, client, role_users, django_assert_num_queries):
    client.force_login(role_users[RoleKind.DISTRICT_ADMIN])
    client.get(REPORT_URL)  # warm the session and the pinned date

    with CaptureQueriesContext(connection) as before:
        client.get(REPORT_URL)
    expected = len(before.captured_queries)  # (the next request empties the log it reads)
    for i in range(5):
        place_create(code=f"330105001001-E9{i}", name=f"新小区{i}", kind=PlaceKind.ESTATE, parent=organised.community)
    client.get(REPORT_URL)  # the places kept in process were dropped by the change: read again once

    with django_assert_num_queries(expected):
        response = client.get(REPORT_URL)
    assert response.context["report"]["organisation"]["estates"] == 8
    assert Place.objects.of_kind(PlaceKind.ESTATE).count() == 8
