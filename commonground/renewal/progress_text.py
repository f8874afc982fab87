"""The progress figures in words: the forecast's sentence and the daily briefing's paragraphs, the same on the
page, in the PDF and in the workbook."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .progress_selectors import Briefing, Forecast


def short_date(day: datetime.date, on: datetime.date | None = None) -> str:
    """"6月30日" (with the year when it is not the year of `on`)."""
    if on is not None and day.year != on.year:
        return _("%(month)d/%(day)d/%(year)d") % {"year": day.year, "month": day.month, "day": day.day}
    return _("%(month)d/%(day)d") % {"month": day.month, "day": day.day}


def pace_text(pace: float) -> str:
    return f"{pace:.1f}".removesuffix(".0")


def forecast_sentence(item: Forecast, *, what: str) -> str:
    """What the forecast says of reaching `what` ("the effect threshold", "every household")."""
    if item.reached:
        return _("Already reached: %(what)s.") % {"what": what}
    if not item.possible:
        return _("Cannot forecast when %(what)s will be reached: nobody signed in the last %(days)d days.") % {
            "what": what, "days": item.window}
    figures = {"days": item.window, "pace": pace_text(item.pace), "what": what,
               "date": short_date(item.date, item.on), "earliest": short_date(item.earliest, item.on)}
    if item.latest is None:
        return _("At the pace of the last %(days)d days (about %(pace)s households a day), %(what)s will be reached "
                 "on %(date)s (not before %(earliest)s; at the slowest likely pace, no date).") % figures
    return _("At the pace of the last %(days)d days (about %(pace)s households a day), %(what)s will be reached on "
             "%(date)s (likely between %(earliest)s and %(latest)s).") % {
        **figures, "latest": short_date(item.latest, item.on)}


def effect_name() -> str:
    return _("the effect threshold")


def all_name() -> str:
    return _("signing by all households")


def briefing_paragraphs(item: Briefing) -> list[str]:
    """The briefing's text: the day's signings and the total, what the threshold still needs, buildings
    completed, the visits, the holdouts."""
    totals = item.totals
    paragraphs = [_("On %(day)s, %(today)s households signed; %(signed)s of %(households)s have signed in all, "
                    "a signing rate of %(rate)s.") % {
        "day": short_date(item.day), "today": item.signed_today, "signed": totals.signed,
        "households": totals.households, "rate": totals.percent}]
    threshold = f"{float(item.project.effect_threshold) * 100:g}%"
    if totals.left:
        paragraphs.append(_("The agreements take effect at %(threshold)s: %(needed)s households; %(left)s more "
                            "signatures are needed.") % {"threshold": threshold, "needed": totals.needed,
                                                          "left": totals.left})
    else:
        paragraphs.append(_("The effect threshold of %(threshold)s (%(needed)s households) has been reached.") % {
            "threshold": threshold, "needed": totals.needed})
    if item.completed_today:
        paragraphs.append(_("Completed today: %(names)s (every household signed).") % {
            "names": "、".join(row.name for row in item.completed_today)})
    paragraphs.append(_("%(completed)s of %(buildings)s buildings are fully signed.") % {
        "completed": item.completed, "buildings": item.buildings})
    if item.visits:
        outcomes = "，".join(f"{label} {n}" for _value, label, n in item.visits_by_outcome)
        paragraphs.append(ngettext("%(visits)s visit was made to %(households)s households (%(outcomes)s).",
                                   "%(visits)s visits were made to %(households)s households (%(outcomes)s).",
                                   item.visits) % {"visits": item.visits, "households": item.visited_households,
                                                   "outcomes": outcomes})
    else:
        paragraphs.append(_("No visit was recorded that day."))
    paragraphs.append(ngettext("%(count)s household has not signed yet.",
                               "%(count)s households have not signed yet.", totals.unsigned) % {
        "count": totals.unsigned})
    return paragraphs
