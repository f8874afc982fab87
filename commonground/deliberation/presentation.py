"""How tally figures read: shares as numerator/denominator with a percentage, areas in m², labels."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from .models import Choice, Outcome, Vote


def area_text(area_m2: Decimal) -> str:
    return f"{Decimal(area_m2):,.2f} m²"


def share_text(share: list[int], *, area: bool = False) -> str:
    """[part, whole] as "1,234.50 m² / 2,000.00 m² (61.73%)" or "12 / 18 (66.67%)" (the percentage is only a
    reading aid; decisions compare the integers)."""
    part, whole = share
    percent = f" ({Decimal(part * 100) / Decimal(whole):.2f}%)" if whole else ""
    if area:
        return f"{area_text(Decimal(part) / 100)} / {area_text(Decimal(whole) / 100)}{percent}"
    return f"{part} / {whole}{percent}"


def threshold_text(vote: Vote) -> str:
    if vote.is_election:
        return _("A candidate is elected with more than half of the participating area AND more than half of the "
                 "participating owners, in order of owners then area.")
    if vote.needs_supermajority:
        return _("It passes with at least 3/4 of the participating area AND at least 3/4 of the participating owners.")
    return _("It passes with more than half of the participating area AND more than half of the participating owners.")


def outcome_label(outcome: str) -> str:
    return str(Outcome(outcome).label) if outcome else _("not decided yet")


def choice_label(choice: str) -> str:
    return str(Choice(choice).label) if choice else ""
