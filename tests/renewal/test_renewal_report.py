"""The report's renewal section: keys and values from the records, scoped, and laid out in every output."""

from __future__ import annotations

import datetime
import io
import json

import pytest
from openpyxl import load_workbook

from commonground.core import clock
from commonground.core.models import PlaceKind, RoleKind
from commonground.core.report_render import report_html, report_xlsx
from commonground.core.reporting import build_report
from commonground.core.services.people import ownership_create
from commonground.core.services.places import place_create
from commonground.deliberation.services.representatives import (
    representative_confirm,
    representative_nominate,
    representative_register,
    representative_review,
    representatives_publish_notice,
)
from commonground.renewal.models import AgreementsState, Household, Project
from commonground.renewal.progress_selectors import rate
from commonground.renewal.services.projects import households_from_register

from .standins import at, sign_small_campaign, stand_in_for_services

D = datetime.date
PERIOD = {"start": D(2023, 1, 1), "end": D(2023, 8, 31)}


@pytest.fixture
def reported(campaign, make_user, tree):
    """The small campaign signed part way, mobilised on 4-07, with 甲幢's representative confirmed (and 乙幢's
    only nominated)."""
    sign_small_campaign(campaign)
    Project.objects.filter(pk=campaign.project.pk).update(mobilised_on=D(2023, 4, 7))
    clerk = make_user(RoleKind.COMMUNITY_WORKER, tree.community)
    with clock.frozen_at(at(D(2023, 3, 1))):
        confirmed = representative_nominate(actor=clerk, building=campaign.buildings[0], person=campaign.owners[0])
        representative_register(actor=clerk, representative=confirmed)
        representative_review(actor=clerk, representative=confirmed, approve=True)
        representatives_publish_notice(actor=clerk, estate=tree.estate)
        representative_nominate(actor=clerk, building=campaign.buildings[1], person=campaign.owners[6])
    confirmed.refresh_from_db()
    with clock.frozen_at(at(D(2023, 3, 20))):
        representative_confirm(actor=clerk, representative=confirmed)
    return campaign


def section(scope, **period):
    return build_report(scope=scope, **(period or PERIOD))["renewal"]


def test_renewal_section__small_campaign__keys_and_values(reported, tree):
    projects = section(tree.district)["projects"]

    assert projects == [{
        "name": "竹竿巷小区有机更新", "households": 11, "signed": 7, "signing_rate": 0.6364,
        "days": 19,  # 2023-04-07 to the last signature on 2023-04-25, both counted
        "representatives": 1, "threshold": 0.8, "effective": False,
        "work_groups": [
            {"name": "一组", "buildings": 1, "households": 6, "signed": 3, "signing_rate": 0.5},
            {"name": "二组", "buildings": 1, "households": 4, "signed": 4, "signing_rate": 1.0},
        ],
    }]


def test_renewal_section__period_ends_before_the_last_signatures__counts_those_signed_by_its_end(reported, tree):
    project = section(tree.district, start=D(2023, 1, 1), end=D(2023, 4, 23))["projects"][0]

    assert (project["signed"], project["days"]) == (6, 17)  # 4-22 and 4-23 (the 23:50 one included)


def test_renewal_section__effective_project__effective_true(reported, tree):
    Project.objects.filter(pk=reported.project.pk).update(agreements_state=AgreementsState.EFFECTIVE)

    assert section(tree.district)["projects"][0]["effective"] is True


def test_renewal_section__scope_outside_or_period_before_signing__no_project(reported, tree):
    assert section(tree.other_street) == {"projects": []}
    assert section(tree.neighbour) == {"projects": []}
    assert section(tree.street)["projects"][0]["name"] == "竹竿巷小区有机更新"
    assert section(tree.district, start=D(2022, 1, 1), end=D(2022, 12, 31)) == {"projects": []}
    assert section(tree.district, start=D(2023, 7, 1), end=D(2023, 12, 31)) == {"projects": []}  # until 6-30


def test_renewal_section__547_of_548_signed_last_at_23_54_on_6_30__0_9982_in_85_days(campaign, tree):
    extra = place_create(code=f"{tree.estate.code}-BZ", name="丙幢", kind=PlaceKind.BUILDING, parent=tree.estate)
    for n in range(548 - 11):
        flat = place_create(code=f"{extra.code}-{n}", name=f"丙幢{n}室", kind=PlaceKind.FLAT, parent=extra,
                            floor_area_m2=50)
        ownership_create(flat=flat, organisation=tree.developer, exclusive_area_m2=50, acquired_on=D(2005, 1, 1))
    Household.objects.filter(project=campaign.project).delete()
    households_from_register(campaign.project, D(2023, 4, 1))
    Project.objects.filter(pk=campaign.project.pk).update(mobilised_on=D(2023, 4, 7))
    rows = Household.objects.filter(project=campaign.project).order_by("pk")
    holdout, last = rows[0], rows[1]
    stand_in_for_services(rows.exclude(pk__in=[holdout.pk, last.pk]), signed_at=at(D(2023, 5, 10)))
    stand_in_for_services(Household.objects.get(pk=last.pk), signed_at=at(D(2023, 6, 30), 23, 54))

    project = section(tree.district)["projects"][0]

    assert (project["households"], project["signed"], project["signing_rate"], project["days"]) == (548, 547, 0.9982,
                                                                                                   85)
    assert rate(547, 548) == 0.9982


def test_renewal_section__rendered__html_and_xlsx_carry_it(reported, tree):
    report = build_report(scope=tree.district, **PERIOD)
    json.dumps(report)  # plain JSON

    html = report_html(report)
    assert "竹竿巷小区有机更新" in html and "63.64%" in html and "一组" in html
    book = load_workbook(io.BytesIO(report_xlsx(report)))
    cells = {cell for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for cell in row}
    assert "竹竿巷小区有机更新" in cells and 548 not in cells and 11 in cells and 19 in cells
