"""The district report laid out for people: sections of labelled figures as a printable HTML document and an
XLSX workbook (and the JSON as written). Used by the report page and the `report` command.

The figures come from `reporting.build_report`; the labels, units and sentences from what each section registered
with it. Every section becomes a numbered heading, the sentences that state its figures, and tables of labelled
figures with their units, whatever sections the apps register.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .reporting import UNIT_YUAN, report_label, report_summary, report_unit
from .tables import Sheet, Styled, xlsx_book

MONEY_WORDS = ("fund", "tax", "capital", "yuan", "amount")


def is_rate(key: str) -> bool:
    return key.endswith(("_rate", "_yoy", "_share")) or key == "threshold"


@dataclass
class Cell:
    text: str
    value: Any
    percent: bool = False

    @property
    def numeric(self) -> bool:
        return isinstance(self.value, (int, float)) and not isinstance(self.value, bool)


@dataclass
class Table:
    title: str
    columns: list[str]
    rows: list[list[Cell]] = field(default_factory=list)
    figures: bool = False  # a two-column table of labelled figures (else one row per record)


@dataclass
class Chart:
    """A bar chart of one figure of a table of records (the page draws it with ECharts, the PDF with ReportLab)."""

    id: str
    title: str
    labels: list[str]
    values: list[float]
    percent: bool = False

    @property
    def data(self) -> dict[str, Any]:
        """What web/charts.js draws."""
        return {"labels": self.labels, "horizontal": True, "percent": self.percent,
                "series": [{"name": self.title, "values": self.values, "colour": CHART_COLOUR}]}


CHART_COLOUR = "#2f6f9f"
CHART_MOST_BARS = 30  # a longer table is charted by its largest values


@dataclass
class Section:
    key: str
    title: str
    tables: list[Table] = field(default_factory=list)
    number: int = 0
    sentences: list[str] = field(default_factory=list)

    @property
    def charts(self) -> list[Chart]:
        """A chart for each table of two or more records: their first figure, labelled by their first column."""
        charts = []
        for index, table in enumerate(self.tables):
            if table.figures or len(table.rows) < 2:
                continue
            column = next((i for i in range(1, len(table.columns)) if all(
                row[i].numeric or row[i].value is None for row in table.rows)
                and any(row[i].numeric for row in table.rows)), None)
            if column is None:
                continue
            rows = table.rows
            if len(rows) > CHART_MOST_BARS:
                rows = sorted(rows, key=lambda row: -(row[column].value or 0))[:CHART_MOST_BARS]
            percent = any(row[column].percent for row in rows)
            values = [round((row[column].value or 0) * (100 if percent else 1), 2) for row in rows]
            title = " · ".join(part for part in (table.title, table.columns[column]) if part)
            charts.append(Chart(f"chart-{self.key}-{index}", title, [row[0].text for row in rows], values, percent))
        return charts

    @property
    def heading(self) -> str:
        """"一、党建引领" in Chinese, "1. Party building" otherwise."""
        return f"{section_numeral(self.number)}{self.title}" if self.number else self.title


CHINESE_NUMERALS = "一二三四五六七八九十"


def section_numeral(number: int) -> str:
    if (get_language() or "").startswith("zh") and 0 < number <= 99:
        tens, ones = divmod(number, 10)
        if number <= 10:
            return CHINESE_NUMERALS[number - 1] + "、"
        return (CHINESE_NUMERALS[tens - 1] if tens > 1 else "") + "十" + (CHINESE_NUMERALS[ones - 1] if ones else "") + "、"
    return f"{number}. "


def cell(key: str, value: Any) -> Cell:
    """A figure as shown (grouped digits, percentages, yuan) with its raw value for spreadsheets."""
    if value is None:
        return Cell("—", None)
    if isinstance(value, bool):
        return Cell(_("yes") if value else _("no"), value)
    if isinstance(value, (int, float)) and is_rate(key):
        return Cell(f"{value * 100:.2f}%", value, percent=True)
    if isinstance(value, float) and is_money(key):
        return Cell(f"{value:,.2f}", value)
    if isinstance(value, (int, float)):
        return Cell(f"{value:,}", value)
    return Cell(str(value), value)


def is_money(key: str) -> bool:
    return any(word in key for word in MONEY_WORDS) and not is_rate(key)


def unit_of(key: str, value: Any) -> str:
    """What a figure is counted in: its registered unit, yuan for money, nothing for a rate (it shows "%")."""
    if is_rate(key) or isinstance(value, bool):
        return ""
    if isinstance(value, float) and is_money(key):
        return str(UNIT_YUAN)
    return report_unit(key)


def is_scalar(value: Any) -> bool:
    return not isinstance(value, (dict, list))


def tables_of(title: str, data: dict[str, Any], unit: str = "") -> list[Table]:
    """Scalars of `data` as one figure table (label, value, unit; a nested mapping's figures take the unit of its
    key), then a table for each nested mapping or list."""
    figures = Table(title, [_("Figure"), _("Value"), _("Unit")], figures=True)
    nested: list[Table] = []
    for key, value in data.items():
        if is_scalar(value):
            figures.rows.append([Cell(report_label(key), key), cell(key, value),
                                 Cell(unit_of(key, value) or (unit if not is_rate(key) else ""), None)])
        elif isinstance(value, dict):
            nested += tables_of(f"{title} · {report_label(key)}" if title else report_label(key), value,
                                unit_of(key, value))
        else:
            nested += list_tables(f"{title} · {report_label(key)}" if title else report_label(key), value)
    return ([figures] if figures.rows else []) + nested


def list_tables(title: str, items: list[Any]) -> list[Table]:
    """A list of records as one table with a column per figure; nested lists follow as their own tables."""
    records = [item if isinstance(item, dict) else {"value": item} for item in items]
    keys = list(dict.fromkeys(k for record in records for k, v in record.items() if is_scalar(v)))
    table = Table(title, [report_label(k) for k in keys])
    nested: list[Table] = []
    for record in records:
        table.rows.append([cell(k, record.get(k)) for k in keys])
        name = str(record.get("name", ""))
        for key, value in record.items():
            if isinstance(value, dict):
                nested += tables_of(f"{name} · {report_label(key)}", value)
            elif isinstance(value, list):
                nested += list_tables(f"{name} · {report_label(key)}", value)
    return [table, *nested]


def report_sections(report: dict[str, Any]) -> list[Section]:
    """Every section of the report (all keys but scope and period), numbered, with its sentences and tables."""
    return [
        Section(key, report_label(key), tables_of("", value) if isinstance(value, dict) else list_tables("", value),
                number=number, sentences=report_summary(key, value) if isinstance(value, dict) else [])
        for number, (key, value) in enumerate(
            ((key, value) for key, value in report.items() if key not in ("scope", "period")), 1)
    ]


def report_period(report: dict[str, Any]) -> tuple[datetime.date, datetime.date]:
    """The report's first and last day, as dates to format."""
    return (datetime.date.fromisoformat(report["period"]["from"]),
            datetime.date.fromisoformat(report["period"]["to"]))


def report_context(report: dict[str, Any]) -> dict[str, Any]:
    """What the page and the printable document show: the report, its period as dates, its sections."""
    first, last = report_period(report)
    return {"report": report, "sections": report_sections(report), "first": first, "last": last,
            "days": (last - first).days + 1}


def report_json(report: dict[str, Any]) -> str:
    return json.dumps(report, ensure_ascii=False, indent=2)


def report_html(report: dict[str, Any], *, standalone: bool = True) -> str:
    """The printable document; standalone (a file) carries its stylesheet, a served page links it (the CSP)."""
    return render_to_string("core/report.html", {**report_context(report), "standalone": standalone})


def report_xlsx(report: dict[str, Any]) -> bytes:
    """A workbook with the scope and period first, then one sheet per section (through the one table writer)."""
    sections = report_sections(report)
    cover = Sheet(_("Report"), [[_("Scope"), report["scope"]["name"], report["scope"]["code"]],
                                [_("Period"), report["period"]["from"], report["period"]["to"]],
                                [], *([section.heading, sentence] for section in sections
                                      for sentence in section.sentences)], widths=(24, 80))
    return xlsx_book([cover, *(Sheet(section.title, _section_rows(section), widths=(40, 16, 10))
                               for section in sections)])


def _section_rows(section: Section) -> Iterator[list[Any]]:
    for table in section.tables:
        if table.title:
            yield [Styled(table.title, bold=True)]
        yield [Styled(column, bold=True) for column in table.columns]
        for row in table.rows:
            yield [Styled(c.value, number_format="0.00%") if c.percent else (c.value if c.numeric else c.text)
                   for c in row]
        yield []
