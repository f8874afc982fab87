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
