"""The planner's reasons and report in words (the planner itself speaks in codes)."""

from __future__ import annotations

from django.utils.translation import gettext as _


def reason_text(reason: dict) -> str:
    """One reason of a planned visit in words."""
    code = reason.get("code")
    if code == "key_monthly":
        if reason.get("last"):
            return _("Key enterprise, visited monthly: last contact %(last)s, due %(due)s.") % reason
        return _("Key enterprise, visited monthly: no contact yet, due %(due)s.") % reason
    if code == "quarterly":
        if reason.get("last"):
            return _("Visited quarterly: last contact %(last)s, due %(due)s.") % reason
        return _("Visited quarterly: no contact yet, due %(due)s.") % reason
    if code == "newcomer":
        return _("Moved in on %(moved_in)s: a newcomer is visited by %(due)s.") % reason
    if code == "at_risk":
        return _("At risk of leaving: visited as soon as possible (by %(due)s).") % reason
    if code == "grouped":
        return _("Grouped with %(others)s other firms of the building that day.") % reason
    if code == "before_deadline":
        return _("Before its due day %(due)s.") % reason
    if code == "avoids_dnd":
        return _("Avoids the firm's do-not-disturb days.")
    if code == "avoids_contact":
        return _("Kept %(gap)s days from another contact (%(contact)s).") % reason
    if code == "locked":
        return _("Locked by a manager: kept where it is.")
    if code == "recorded":
        return _("Already recorded: kept where it is.")
    if code == "moved":
        return _("Moved by a manager on %(on)s.") % reason
    return str(code or "")


def report_lines(report: dict) -> list[str]:
    """The solver's report in plain words, one sentence a line."""
    if not report:
        return []
    lines = [_("%(required)s firms need a visit in this period; %(covered)s are planned, %(uncovered)s are "
               "not.") % report]
    if report.get("floor"):
        lines.append(_("%(floor)s of them cannot be visited on any day (no commissioner is assigned their "
                       "building, or every day is blocked).") % report)
    lines.append(_("Repeat contacts (a visit close to another contact of the firm): %(repeats)s.") % report)
    lines.append(_("Commissioners' loads differ by at most %(load_range)s visits.") % report)
    lines.append(_("Commissioner-building-days (one commissioner at one building on one day): "
                   "%(building_days)s.") % report)
    status = report.get("status")
    if report.get("method") == "greedy":
        lines.append(_("Planned by the quick method (earliest due first, grouped by building) in %(seconds)s s.")
                     % report)
    elif status == "OPTIMAL":
        lines.append(_("The optimiser proved this plan the best possible, in %(seconds)s s.") % report)
    elif status == "FEASIBLE":
        lines.append(_("The optimiser searched for a better plan within its time limit (%(seconds)s s); the plan "
                       "is within %(gap)s%% of the best bound it proved.") % {
            "seconds": report.get("seconds"), "gap": round(100 * float(report.get("gap") or 0), 2)})
    else:
        lines.append(_("The optimiser found no plan in time; the quick method's plan is used."))
    return lines
