"""The district report as a PDF (the page's download and the command) and the charts of its tables of records."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from pypdf import PdfReader

from commonground.core.models import RoleKind
from commonground.core.report_render import Cell, Section, Table
from tests.deliberation.test_pdf import fonts, text_of

from .test_report import REPORT_URL, organised  # noqa: F401  (the fixture)


def test_report_page__pdf__the_sections_with_the_font_embedded(organised, client, role_users):  # noqa: F811
    client.force_login(role_users[RoleKind.STREET_STAFF])

    response = client.get(REPORT_URL, {"scope": organised.street.code, "from": "2023-01-01", "to": "2023-08-31",
                                       "format": "pdf"})

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="report-330105001-2023-01-01-2023-08-31.pdf"'
    text = text_of(response.content)
    assert "武林街道" in text and "一、党建与组织建设" in text and "— 2 —" in text
    assert all("/FontFile2" in font["descriptor"] for font in fonts(response.content))


def test_report_page__pdf_of_a_place_outside_the_scope__404(organised, client, role_users):  # noqa: F811
    client.force_login(role_users[RoleKind.STREET_STAFF])

    response = client.get(REPORT_URL, {"scope": organised.other_street.code, "format": "pdf"})

    assert response.status_code == 404 and not response.content.startswith(b"%PDF")


def test_report_command__pdf__written_to_the_file(organised, tmp_path):  # noqa: F811
    target = tmp_path / "report.pdf"

    call_command("report", "--format", "pdf", "-o", str(target))

    assert len(PdfReader(io.BytesIO(target.read_bytes())).pages) >= 1
    assert "拱墅区" in text_of(target.read_bytes())


def test_report_command__pdf_without_a_file__clear_error(organised):  # noqa: F811
    with pytest.raises(CommandError, match="-o "):
        call_command("report", "--format", "pdf", stdout=io.StringIO())


def records(*rows: tuple[str, object]) -> Table:
    table = Table("社区", ["名称", "问题收集", "备注"])
    for name, value in rows:
        table.rows.append([Cell(name, name), Cell(str(value), value), Cell("—", None)])
    return table


def test_section_charts__a_table_of_records__its_first_figure_by_name():
    section = Section("business", "商务", tables=[records(("新天地", 121), ("汇金国际", 150))])

    [chart] = section.charts

    assert (chart.labels, chart.values, chart.percent) == (["新天地", "汇金国际"], [121, 150], False)
    assert chart.title == "社区 · 问题收集" and chart.data["series"][0]["values"] == [121, 150]


def test_section_charts__one_record_or_figures_only__no_chart():
    figures = Table("", ["指标", "数值", "单位"], figures=True)
    figures.rows = [[Cell("企业", "x"), Cell("3", 3), Cell("家", None)], [Cell("楼宇", "y"), Cell("2", 2), Cell("", None)]]

    assert Section("a", "A", tables=[records(("新天地", 121)), figures]).charts == []


def test_section_charts__many_records__the_largest_thirty():
    section = Section("a", "A", tables=[records(*[(f"楼{n}", n) for n in range(40)])])

    assert section.charts[0].values == list(range(39, 9, -1))
