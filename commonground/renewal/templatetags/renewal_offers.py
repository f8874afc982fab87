"""The household page's options section (one include line in household.html): the household's options under
the rule set, and the answer to its "what if" (a requested new-flat area, from the page's query string)."""

from __future__ import annotations

from typing import Any

from django import template
from django.core.exceptions import ValidationError

from commonground.core.permissions import can

from ..forms_rulesets import RequestCheckForm
from ..ruleset_selectors import offers_for, published_rule_set
from ..services.rulesets import offer_request_check

register = template.Library()


@register.simple_tag(takes_context=True)
def household_options(context: Any, household: Any) -> dict[str, Any]:
    """What the section shows: the options (each with its lines), the published version, whether the user may
    recompute, and the what-if's form and answer. The household was already checked by the page."""
    request = context["request"]
    offers = offers_for(household)
    published = published_rule_set(household.project)
    form = RequestCheckForm(request.GET if "area" in request.GET else None, prefix=None)
    answer = refusal = None
    if form.is_bound and form.is_valid():
        try:
            answer = offer_request_check(actor=request.user, household=household,
                                         option=form.cleaned_data["option"],
                                         requested_area_m2=form.cleaned_data["area"])
        except ValidationError as error:
            refusal = error.messages
    return {
        "offers": offers, "published": published, "form": form, "answer": answer, "refusal": refusal,
        "stale": bool(published and offers and offers[0].rule_set_id != published.pk),
        "may_compute": can(request.user, "renewal.visit", household) and published is not None
        and household.signed_at is None,
    }


@register.filter
def translated(label: str) -> str:
    """A stored line's label in the reader's language (labels are stored as their English msgids)."""
    from django.utils.translation import gettext

    return gettext(label)


@register.filter
def money(value: Any) -> str:
    """¥1,234.50 (a stored amount, Decimal or its string)."""
    from decimal import Decimal, InvalidOperation

    from ..calculator import fen

    try:
        amount = fen(Decimal(str(value)))
    except (InvalidOperation, ValueError):
        return str(value)
    sign = "-" if amount < 0 else ""
    return f"{sign}¥{abs(amount):,.2f}"
