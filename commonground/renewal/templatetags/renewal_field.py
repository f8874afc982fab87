"""The household page's fieldwork section (`renewal/_household_field.html`): read here so that the household's
page, whoever renders it, shows the visits and the forms only to those who visit the household."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django import template

from commonground.core import clock
from commonground.core.permissions import can

from ..field_forms import ConsentForm, VisitForm
from ..field_selectors import household_timeline
from ..models import Concern, Household, Visit
from ..models.visits import Consent, ConsentResult
from ..services.consent import survey_state

register = template.Library()


@dataclass
class FieldSection:
    may_visit: bool
    visits: list[Visit] = field(default_factory=list)
    visit_form: VisitForm | None = None
    consent: Consent | None = None
    consent_form: ConsentForm | None = None
    survey: str = "none"


@register.simple_tag(takes_context=True)
def field_section(context: Any, household: Household) -> FieldSection:
    """The visits (newest first) and the forms, for a user who may visit `household`; nothing for anyone else
    (an owner sees their household, not the staff's notes of its visits)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not can(user, "renewal.visit", household):
        return FieldSection(may_visit=False)
    bound = getattr(request, "renewal_forms", {})
    project = household.project
    survey = survey_state(project, clock.today())
    consent = Consent.objects.filter(household=household).first()
    consent_form = None
    if survey == "open" and consent is None and not ConsentResult.objects.filter(project=project).exists():
        consent_form = bound.get("consent_form") or ConsentForm()
    return FieldSection(
        may_visit=True, visits=household_timeline(household),
        visit_form=bound.get("visit_form") or VisitForm(household=household, actor=user),
        consent=consent, consent_form=consent_form, survey=survey)


@register.filter
def concern_labels(codes: list[str]) -> str:
    """A visit's concerns as the people reading them say them."""
    labels = dict(Concern.choices)
    return "、".join(str(labels.get(code, code)) for code in codes or ())
