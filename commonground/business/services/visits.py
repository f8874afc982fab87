"""Writes about visits: a commissioner records a visit to a firm of their buildings (its demands become cases of
the case engine), and the street's staff record other departments' visits — done, or planned for a later day (the
planner counts them as contacts) — and cancel a planned one. Each write is one transaction; a refusal writes
nothing."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from commonground.core import clock
from commonground.core.models import User
from commonground.core.models.places import scope_columns
from commonground.core.permissions import require
from commonground.core.text import clean_text

from ..models import (
    Commissioner,
    Department,
    Enterprise,
    PlannedVisit,
    Visit,
    VisitDemand,
    VisitPlanStatus,
    VisitStatus,
    assigned_buildings_q,
)

# The parent category of the enterprise demands (enterprise-*, policy-enquiry) in the case engine.
DEMAND_PARENT = "enterprise"
TOPICS_MAX = 500
FEEDBACK_MAX = 4000
DEMANDS_MAX = 10


def demand_categories():
    """The case categories a demand raised in a visit may take: the enterprise demands, active ones."""
    from commonground.cases.models import Category

    return Category.objects.filter(parent__code=DEMAND_PARENT, is_active=True).order_by("code")


def serving_commissioner(user: User) -> Commissioner | None:
    """The active commissioner record of `user`, if they are one."""
    if not getattr(user, "pk", None):
        return None
    return Commissioner.objects.filter(user=user, is_active=True).select_related("business_community").first()


def _texts(topics: str, feedback: str) -> tuple[str, str]:
    topics = clean_text(topics or "", multiline=False).strip()
    feedback = clean_text(feedback or "").strip()
    errors = {}
    if not topics:
        errors["topics"] = _("Say what was discussed.")
    elif len(topics) > TOPICS_MAX:
        errors["topics"] = _("Keep the topics to %(max)d characters.") % {"max": TOPICS_MAX}
    if len(feedback) > FEEDBACK_MAX:
        errors["feedback"] = _("Keep the feedback to %(max)d characters.") % {"max": FEEDBACK_MAX}
    if errors:
        raise ValidationError(errors)
    return topics, feedback


def _visit_place(enterprise: Enterprise):
    place = enterprise.building or enterprise.registered_building
    return place


def visit_row(*, enterprise: Enterprise, visited_on: datetime.date, department: str, status: str,
              commissioner: Commissioner | None, visitor_name: str, topics: str, feedback: str,
              recorded_by: User | None) -> Visit:
    """The Visit row as the services write it (unsaved): the demo bulk-inserts exactly these."""
    return Visit(enterprise=enterprise, visited_on=visited_on, department=department, status=status,
                 commissioner=commissioner, visitor_name=visitor_name[:100], topics=topics, feedback=feedback,
                 recorded_by=recorded_by, **scope_columns(Visit, enterprise.place_path))


def _clean_demands(demands: Sequence[dict[str, Any]]) -> list[tuple[Any, str, dict[str, Any]]]:
    """Each demand's category (one of the enterprise demands) and description; the case engine checks the rest."""
    if len(demands) > DEMANDS_MAX:
        raise ValidationError({"demands": _("Record at most %(max)d demands in one visit.") % {"max": DEMANDS_MAX}})
    categories = {category.code: category for category in demand_categories()}
    cleaned, errors = [], {}
    for index, demand in enumerate(demands):
        category = categories.get(str(demand.get("category_code") or ""))
        if category is None:
            errors[f"demands.{index}.category_code"] = _("Choose one of the enterprise demand categories.")
            continue
        cleaned.append((category, str(demand.get("description") or ""), dict(demand.get("answers") or {})))
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def visit_record(*, actor: User, enterprise: Enterprise, visited_on: datetime.date, topics: str,
                 feedback: str = "", demands: Sequence[dict[str, Any]] = (),
                 planned_visit: PlannedVisit | None = None) -> Visit:
    """A commissioner records their visit to a firm of their assigned buildings, on a day not in the future.
    Each demand ({category_code, description, answers}) becomes a case (taken down on the spot by the
    commissioner, for the firm, at its building, with the category's time limit) and a VisitDemand row. A visit
    planned for them in a plan in force is marked recorded (once)."""
    from commonground.cases.models import Channel
    from commonground.cases.services.intake import Contact, case_report

    commissioner = serving_commissioner(actor)
    if commissioner is None:
        raise PermissionDenied(_("Only a serving building commissioner records their visits."))
    enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    require(actor, "visit.record", enterprise)
    if not assigned_buildings_q(actor).filter(path=enterprise.place_path).exists():
        raise PermissionDenied(_("This enterprise is not in one of your buildings."))
    errors: dict[str, Any] = {}
    if visited_on is None or visited_on > clock.today():
        errors["visited_on"] = _("A visit is recorded on the day it was made, not before.")
    try:
        topics, feedback = _texts(topics, feedback)
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        cleaned = _clean_demands(demands)
    except ValidationError as error:
        errors.update(error.message_dict)
        cleaned = []
    if planned_visit is not None:
        planned_visit = PlannedVisit.objects.select_for_update().select_related("plan").get(pk=planned_visit.pk)
        if (planned_visit.commissioner_id != commissioner.pk or planned_visit.enterprise_id != enterprise.pk
                or planned_visit.plan.status != VisitPlanStatus.PUBLISHED):
            errors["planned_visit"] = _("This is not a visit planned for you to this enterprise.")
        elif planned_visit.visit_id is not None:
            errors["planned_visit"] = _("This planned visit is recorded already.")
    if errors:
        raise ValidationError(errors)
    visit = visit_row(enterprise=enterprise, visited_on=visited_on, department=Department.COMMISSIONER,
                      status=VisitStatus.DONE, commissioner=commissioner, visitor_name=commissioner.display_name,
                      topics=topics, feedback=feedback, recorded_by=actor)
    visit.save()
    place = _visit_place(enterprise)
    for index, (category, description, answers) in enumerate(cleaned):
        try:
            case = case_report(actor=actor, category=category, description=description, place=place,
                               answers=answers, channel=Channel.STAFF,
                               contact=Contact(name=enterprise.name[:100]))
        except ValidationError as error:
            raise ValidationError({f"demands.{index}.{field}": messages
                                   for field, messages in error.message_dict.items()}) from None
        VisitDemand.objects.create(visit=visit, case=case)
    if planned_visit is not None:
        planned_visit.visit = visit
        planned_visit.save(update_fields=["visit", "updated_at"])
    return visit


OTHER_DEPARTMENTS = (Department.TAX, Department.MARKET, Department.POLICE, Department.OTHER)


@transaction.atomic
def visit_record_other(*, actor: User, enterprise: Enterprise, department: str, visited_on: datetime.date,
                       visitor_name: str, topics: str = "", feedback: str = "") -> Visit:
    """The street's staff record another department's visit to a firm: done (today or before), or planned for a
    later day, so that the planner keeps the firm undisturbed around it."""
    enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    require(actor, "visit.manage", enterprise)
    errors: dict[str, Any] = {}
    if department not in OTHER_DEPARTMENTS:
        errors["department"] = _("Choose the tax bureau, market supervision, the police or another department.")
    visitor_name = clean_text(visitor_name or "", multiline=False).strip()
    if not visitor_name:
        errors["visitor_name"] = _("Name who visits (a person or an office).")
    elif len(visitor_name) > 100:
        errors["visitor_name"] = _("Keep the visitor's name to 100 characters.")
    if visited_on is None:
        errors["visited_on"] = _("Give the day of the visit.")
    topics = clean_text(topics or "", multiline=False).strip()
    feedback = clean_text(feedback or "").strip()
    if len(topics) > TOPICS_MAX:
        errors["topics"] = _("Keep the topics to %(max)d characters.") % {"max": TOPICS_MAX}
    if len(feedback) > FEEDBACK_MAX:
        errors["feedback"] = _("Keep the feedback to %(max)d characters.") % {"max": FEEDBACK_MAX}
    if errors:
        raise ValidationError(errors)
    status = VisitStatus.PLANNED if visited_on > clock.today() else VisitStatus.DONE
    visit = visit_row(enterprise=enterprise, visited_on=visited_on, department=department, status=status,
                      commissioner=None, visitor_name=visitor_name, topics=topics, feedback=feedback,
                      recorded_by=actor)
    visit.save()
    return visit


@transaction.atomic
def visit_cancel(*, actor: User, visit: Visit) -> Visit:
    """Cancel a planned visit of another department (a done visit stays as it was)."""
    visit = Visit.objects.select_for_update().get(pk=visit.pk)
    require(actor, "visit.manage", visit)
    if visit.status != VisitStatus.PLANNED:
        raise ValidationError({"status": _("Only a planned visit can be cancelled.")})
    visit.status = VisitStatus.CANCELLED
    visit.save(update_fields=["status", "updated_at"])
    return visit
