"""The daily briefing (每日通报): its figures for a day, as a page, a PDF and a workbook, and who reads what."""

from __future__ import annotations

import datetime
import io

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from commonground.core import clock
from commonground.renewal.progress_selectors import briefing

from .standins import at, sign_small_campaign

D = datetime.date


@pytest.fixture
def signed(campaign):
    return sign_small_campaign(campaign)


def test_briefing__a_day_with_signings__day_total_ranking_buildings_completed(signed):
    item = briefing(signed.office, signed.project, D(2023, 4, 23))

    assert (item.signed_today, item.totals.signed, item.totals.households) == (4, 6, 11)  # 23:50 counts on the 23rd
    assert (item.totals.rate, item.totals.needed, item.totals.left) == (0.5455, 9, 3)
    assert [(g.name, g.signed, g.rate) for g in item.groups] == [("二组", 4, 1.0), ("一组", 2, 0.3333)]
    assert [b.name for b in item.completed_today] == ["乙幢"] and (item.completed, item.buildings) == (1, 3)
    assert item.visits == 0
    # unsigned at the end of the 23rd: flats 2 (signs on the 25th), 3, 4, 5 and 1幢 101
    assert item.holdouts_count == 5


def test_briefing__a_day_with_visits__visits_from_the_visit_rows(signed):
    item = briefing(signed.office, signed.project, D(2023, 4, 24))

    assert item.signed_today == 0 and item.totals.signed == 6
    assert item.visits == 1 and item.visited_households == 1
    assert [(outcome, n) for outcome, _label, n in item.visits_by_outcome] == [("concerns", 1)]
    assert item.completed_today == []


def test_briefing__field_member__project_figures_holdouts_of_their_buildings(signed):
    item = briefing(signed.member, signed.project, D(2023, 4, 23))

    assert item.totals.signed == 6 and item.totals.households == 11
    assert item.holdouts_count == 4 and {h.flat_id for h in item.holdouts} == {
        signed.flats[i].pk for i in (2, 3, 4, 5)}


def fetch(client, user, url):
    client.force_login(user)
    with clock.frozen_at(at(D(2023, 4, 26), 9)):
        return client.get(url)


def test_briefing_page__default_day__today_on_the_clock(client, signed):
    response = fetch(client, signed.office, f"/renewal/{signed.project.pk}/briefing/")

    assert response.status_code == 200 and response.context["day"] == D(2023, 4, 26)
    page = response.content.decode()
    assert "每日通报" in page or "Daily briefing" in page


def test_briefing_page__a_day__paragraphs_and_ranking(client, signed):
    response = fetch(client, signed.office, f"/renewal/{signed.project.pk}/briefing/?day=2023-04-23")

    page = response.content.decode()
    assert response.context["briefing"].signed_today == 4
    assert "乙幢" in page and 'data-figure="signed">6<' in page


def test_briefing_pdf__text_extractable__carries_the_figures(client, signed):
    response = fetch(client, signed.office, f"/renewal/{signed.project.pk}/briefing/?day=2023-04-23&format=pdf")

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    compact = text.replace(" ", "").replace("\n", "")
    assert signed.project.name in compact
    assert "2023-04-23" in compact
    assert "54.5%" in compact  # 6 of 11
    assert "二组" in compact and "乙幢" in compact


def test_briefing_xlsx__carries_the_figures(client, signed):
    response = fetch(client, signed.office, f"/renewal/{signed.project.pk}/briefing/?day=2023-04-23&format=xlsx")

    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    figures = {row[0]: row[1] for row in book.worksheets[0].iter_rows(values_only=True) if len(row) > 1}
    assert 6 in figures.values() and 4 in figures.values() and 9 in figures.values()
    ranking = list(book.worksheets[1].iter_rows(values_only=True))
    assert ranking[1][:5] == (1, "二组", 1, 4, 4)
    holdouts = list(book.worksheets[2].iter_rows(values_only=True))
    assert len(holdouts) == 1 + 5


def test_api_briefing__a_day__figures(client, signed):
    response = fetch(client, signed.office, f"/api/renewal/projects/{signed.project.pk}/briefing?day=2023-04-23")

    body = response.json()
    assert (body["signed_today"], body["signed"], body["left"], body["holdouts"]) == (4, 6, 3, 5)
    assert body["buildings_completed_today"] == ["乙幢"] and body["groups"][0]["name"] == "二组"
    assert fetch(client, signed.office,
                 f"/api/renewal/projects/{signed.project.pk}/briefing?day=2023-02-30").status_code == 422
