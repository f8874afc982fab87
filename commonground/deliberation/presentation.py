"""How tally figures read: shares as numerator/denominator with a percentage, areas in m², labels, and the
threshold bars (a share against the quorum or the majority it must reach) the staff and owner pages share."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.utils.translation import gettext as _

from .models import Choice, Outcome, Vote
from .tally import ORDINARY, QUORUM, SUPERMAJORITY, Share


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


def elected_names(vote: Vote, names: dict[int, str]) -> list[str]:
    """The elected candidates of a closed election, in rank order (`names`: candidate id to name)."""
    rows = (vote.result or {}).get("candidates", [])
    return [names.get(row["candidate"], "?") for row in rows if row.get("elected")]


def names_of_candidates(votes: list[Vote]) -> dict[int, str]:
    """Candidate id to name for the elections among `votes` (one query, none without elections)."""
    from .models import Candidate

    elections = [vote.pk for vote in votes if vote.is_election and vote.outcome]
    if not elections:
        return {}
    return dict(Candidate.objects.filter(vote__in=elections).values_list("pk", "person__name"))


def outcome_text(vote: Vote, names: dict[int, str] | None = None) -> str:
    """The result in words: who was elected ("当选：张三、李四") for an election, else passed / failed / no quorum."""
    if vote.is_election and vote.outcome and names is not None:
        elected = elected_names(vote, names)
        if elected:
            return _("Elected: %(names)s") % {"names": "、".join(elected)}
        return _("Nobody was elected")
    return outcome_label(vote.outcome)


def choice_label(choice: str) -> str:
    return str(Choice(choice).label) if choice else ""


# Where each threshold's mark sits on a bar (a CSS class: the CSP allows no inline style).
THRESHOLD_MARKS = {QUORUM: "2-3", SUPERMAJORITY: "3-4", ORDINARY: "1-2"}


def bar_width(part: int, whole: int) -> str:
    """The filled share of a bar, in percent (capped at 100)."""
    return f"{min(part * 100 / whole, 100):.2f}" if whole else "0"


def threshold_label(threshold: Fraction, *, strict: bool) -> str:
    if strict:
        return _("more than %(fraction)s") % {"fraction": f"{threshold.numerator}/{threshold.denominator}"}
    return _("at least %(fraction)s") % {"fraction": f"{threshold.numerator}/{threshold.denominator}"}


def share_bar(key: str, label: str, share: list[int], *, area: bool, threshold: Fraction,
              strict: bool = False) -> dict[str, Any]:
    """One bar: `share` ([part, whole], area in hundredths of m²) against `threshold` (reached when at least it,
    or with `strict` more than it), with the words a reader needs beside it."""
    counted = Share(*share)
    met = counted.more_than(threshold) if strict else counted.at_least(threshold)
    part, whole = share
    amount = (f"{area_text(Decimal(part) / 100)} / {area_text(Decimal(whole) / 100)}" if area else f"{part} / {whole}")
    return {"key": key, "label": label, "met": met, "bar": bar_width(part, whole), "mark": THRESHOLD_MARKS[threshold],
            "threshold": threshold_label(threshold, strict=strict), "text": share_text(share, area=area),
            "percent": f"{Decimal(part * 100) / Decimal(whole):.2f}%" if whole else "—", "amount": amount}


def result_bars(vote: Vote) -> dict[str, list[dict[str, Any]]]:
    """A closed vote's result as bars: who took part against the 2/3 quorum and, for a decision, who agreed
    against its majority (3/4 at least, or more than half), each by area and by owners."""
    result = vote.result
    quorum = result.get("quorum", {"area": [0, 0], "heads": [0, 0]})
    bars = {"quorum": [share_bar("quorum-area", _("Area taking part"), quorum["area"], area=True, threshold=QUORUM),
                       share_bar("quorum-heads", _("Owners taking part"), quorum["heads"], area=False,
                                 threshold=QUORUM)], "agree": []}
    if not vote.is_election and "agree" in result:
        threshold, strict = (SUPERMAJORITY, False) if vote.needs_supermajority else (ORDINARY, True)
        bars["agree"] = [
            share_bar("agree-area", _("Area agreeing, of the area taking part"), result["agree"]["area"], area=True,
                      threshold=threshold, strict=strict),
            share_bar("agree-heads", _("Owners agreeing, of those taking part"), result["agree"]["heads"],
                      area=False, threshold=threshold, strict=strict)]
    return bars
