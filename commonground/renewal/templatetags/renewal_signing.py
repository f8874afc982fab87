"""The household page's agreement section, rendered where household.html includes it (the page's view stays the
project part's; the section reads its own data through the signing selectors)."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.inclusion_tag("renewal/_agreement_section.html", takes_context=True)
def agreement_section(context: template.Context, household: Any) -> dict[str, Any]:
    from ..views.signing import agreement_section as section

    data = section(context["request"].user, household, context.get("signing_forms"))
    data["request"] = context["request"]
    data["csrf_token"] = context.get("csrf_token")
    return data
