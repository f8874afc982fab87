"""The report's `business` section from the ledgers, tax records, cases and visit demands (REPORT.md's contract
keys and a few more), read through `stats_selectors.business_stats` — see its docstring for what each figure
counts. Periods:

- business_communities, buildings, enterprises, occupancy_rate, registered_here_rate, grades and the communities'
  building counts, floor area, population and enterprises: the ledgers as they stand now;
- new_enterprises_1m (and its yoy and registered capital): registered in the report period (yoy: the same period
  a year earlier; None when that had none);
- building_tax (and yoy), tax_per_m2: the months the period covers whole, whole-year records only for a year it
  covers whole (yoy: the same months a year earlier);
- communities[].disputes_resolved and needs_met: closed in the report period, except for the community named by the
  setting `xintiandi_first_year` (新天地): its first year, which its row states in cases_from / cases_to;
- communities[].problems_collected and matters_solved: since records began, up to the period's end.

The communities' `activities` come from the programmes app (merged into the same rows by name).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from commonground.core.models import Place
from commonground.core.reporting import Period, count_text, rate_text, report_section

from .stats_selectors import BusinessStats, CommunityStats, business_stats, money

UNIT_ENTERPRISES = pgettext_lazy("report unit", "enterprises")  # 家
UNIT_BUILDINGS = pgettext_lazy("report unit", "buildings")  # 栋
UNIT_COMMUNITIES = pgettext_lazy("report unit", "business communities")  # 个
UNIT_PEOPLE = pgettext_lazy("report unit", "people")  # 人
UNIT_M2 = pgettext_lazy("report unit", "square metres")  # 平方米
UNIT_MATTERS = pgettext_lazy("report unit", "matters")  # 件
UNIT_YUAN_PER_M2 = pgettext_lazy("report unit", "yuan per square metre")  # 元/平方米


def community_row(stats: CommunityStats, period: Period) -> dict[str, Any]:
    """A business community's row of the report (the seed's counts, then its rates); the window of its disputes
    and needs (cases_from, cases_to) only where it is not the report period."""
    row = {
        "name": stats.name,
        "office_buildings": stats.office_buildings,
        "apartment_buildings": stats.apartment_buildings,
        "floor_area_m2": float(stats.floor_area_m2),
        "population": stats.population,
        "enterprises": stats.enterprises,
        "disputes_resolved": stats.disputes_resolved,
        "needs_met": stats.needs_met,
        "problems_collected": stats.problems_collected,
        "matters_solved": stats.matters_solved,
        "occupancy_rate": stats.occupancy_rate,
        "registered_here_rate": stats.registered_here_rate,
        "tax_per_m2": stats.tax_per_m2,
    }
    if stats.cases_from and (stats.cases_from, stats.cases_to) != (period.start, period.end):
        row["cases_from"], row["cases_to"] = stats.cases_from.isoformat(), stats.cases_to.isoformat()
    return row


def business_section(stats: BusinessStats) -> dict[str, Any]:
    total = stats.total
    return {
        "business_communities": stats.business_communities,
        "buildings": total.office_buildings,
        "enterprises": total.enterprises,
        "new_enterprises_1m": total.new_1m,
        "new_enterprises_1m_yoy": total.new_1m_yoy,
        "new_enterprises_1m_registered_capital": money(total.new_1m_capital),
        "building_tax": money(total.tax),
        "building_tax_yoy": total.tax_yoy,
        "occupancy_rate": total.occupancy_rate,
        "registered_here_rate": total.registered_here_rate,
        "tax_per_m2": total.tax_per_m2,
        "grades": dict(total.grades),
        "enterprises_by_status": dict(total.by_status),
        "communities": [community_row(community, stats.period) for community in stats.communities],
    }


def business_summary(section: Mapping[str, Any]) -> list[str]:
    if "new_enterprises_1m" not in section:
        return []
    sentences = [gettext("%(communities)s business communities with %(buildings)s office buildings serve "
                         "%(enterprises)s operating enterprises.") % {
        "communities": count_text(section["business_communities"]), "buildings": count_text(section["buildings"]),
        "enterprises": count_text(section["enterprises"])}]
    change = section["new_enterprises_1m_yoy"]
    figures = {"new": count_text(section["new_enterprises_1m"]),
               "capital": f"{section['new_enterprises_1m_registered_capital'] / 1e8:,.2f}",
               "change": "—" if change is None else f"{change * 100:+.2f}%"}
    if change is None:
        sentences.append(gettext("%(new)s new enterprises with a registered capital of ¥1m or more were registered, "
                                 "with %(capital)s hundred million yuan of registered capital; a year earlier there "
                                 "were none to compare with.") % figures)
    else:
        sentences.append(gettext("%(new)s new enterprises with a registered capital of ¥1m or more were registered "
                                 "(%(change)s on the year before), with %(capital)s hundred million yuan of "
                                 "registered capital.") % figures)
    tax_change = section["building_tax_yoy"]
    sentences.append(gettext("The building economy paid %(tax)s hundred million yuan of tax (%(change)s on the same "
                             "months of the year before); occupancy is %(occupancy)s, and %(here)s of the firms "
                             "present are registered where they are.") % {
        "tax": f"{section['building_tax'] / 1e8:,.2f}",
        "change": "—" if tax_change is None else f"{tax_change * 100:+.2f}%",
        "occupancy": rate_text(section["occupancy_rate"]), "here": rate_text(section["registered_here_rate"])})
    for row in section.get("communities", []):
        if row.get("cases_from"):  # a community whose disputes and needs cover another window
            sentences.append(gettext("%(name)s resolved %(disputes)s disputes and met %(needs)s enterprise needs "
                                     "from %(start)s to %(end)s.") % {
                "name": row["name"], "disputes": count_text(row["disputes_resolved"]),
                "needs": count_text(row["needs_met"]), "start": row["cases_from"], "end": row["cases_to"]})
    return sentences


@report_section("business", title=_("Business communities and the building economy"), summary=business_summary,
                labels={
                    "business_communities": _("Business communities"),
                    "buildings": _("Buildings"),  # the office buildings (renewal labels the key too)
                    "enterprises": _("Operating enterprises"),
                    "new_enterprises_1m": _("New enterprises with registered capital of ¥1m or more"),
                    "new_enterprises_1m_yoy": _("New ¥1m+ enterprises, change on the year before"),
                    "new_enterprises_1m_registered_capital": _("Registered capital of the new ¥1m+ enterprises"),
                    "building_tax": _("Building-economy tax"),
                    "building_tax_yoy": _("Building-economy tax, change on the year before"),
                    "occupancy_rate": _("Occupancy of the business buildings"),
                    "registered_here_rate": _("Firms present registered at their building"),
                    "tax_per_m2": _("Tax per square metre in use"),
                    "grades": _("Business buildings by grade"),
                    "grade_a": _("Grade A buildings"),
                    "grade_b": _("Grade B buildings"),
                    "grade_c": _("Grade C buildings"),
                    "ungraded": _("Buildings not graded"),
                    "enterprises_by_status": _("Enterprises of the ledger by status"),
                    "active": _("Enterprises operating"),
                    "moved_out": _("Enterprises moved out"),
                    "deregistered": _("Enterprises deregistered"),
                    "communities": _("Business communities' figures"),
                    "office_buildings": _("Office buildings"),
                    "apartment_buildings": _("Serviced-apartment buildings"),
                    "floor_area_m2": _("Floor area of the buildings"),
                    "population": _("Working population"),
                    "needs_met": _("Enterprise needs met"),
                    "cases_from": _("Disputes and needs counted from"),
                    "cases_to": _("Disputes and needs counted to"),
                    "problems_collected": _("Enterprise problems collected by commissioners"),
                    "matters_solved": _("Matters solved by the building councils"),
                },
                units={"business_communities": UNIT_COMMUNITIES, "buildings": UNIT_BUILDINGS,
                       "enterprises": UNIT_ENTERPRISES, "new_enterprises_1m": UNIT_ENTERPRISES,
                       "grades": UNIT_BUILDINGS, "enterprises_by_status": UNIT_ENTERPRISES,
                       "office_buildings": UNIT_BUILDINGS, "apartment_buildings": UNIT_BUILDINGS,
                       "floor_area_m2": UNIT_M2, "population": UNIT_PEOPLE, "needs_met": UNIT_MATTERS,
                       "problems_collected": UNIT_MATTERS, "matters_solved": UNIT_MATTERS,
                       "tax_per_m2": UNIT_YUAN_PER_M2})
def business_statistics(scope: Place, period: Period) -> dict[str, Any]:
    """The building economy of the scope over the period (the periods each key covers: the module's docstring)."""
    return business_section(business_stats(scope, period))
