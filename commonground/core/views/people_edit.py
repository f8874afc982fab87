"""Staff register and correct people and households here; every write is one service call, refused input is
shown on the form (status 400) and nothing is written."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..forms import HouseholdDateForm, HouseholdForm, MemberAddForm, PersonForm, apply_service_errors
from ..masking import in_full
from ..models import HouseholdMember
from ..people_selectors import filter_places, flat_for, person_by_id_number, place_for_filter
from ..permissions import can, require
from ..selectors import access_household, access_person
from ..services.people import (
    household_create,
    household_member_remove,
    household_member_save,
    household_update,
    person_create,
    person_update,
)
from .people import household_page


def _invalid(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    return render(request, template, context, status=400)


@login_required
def person_create_page(request: HttpRequest) -> HttpResponse:
    """Register a person at a place of the user's area."""
    user = request.user
    if not can(user, "person.add"):
        raise PermissionDenied
    places = list(filter_places(user, "person.add"))
    form = PersonForm(request.POST or None, places=places)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            person = person_create(
                actor=user, name=data["name"], id_number=data["id_number"], phone=data["phone"],
                registered_place=place_for_filter(user, data["registered_place"], "person.add"))
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("%(name)s is registered.") % {"name": person.name})
            return redirect("core:person-detail", person.pk)
    if request.method == "POST":
        return _invalid(request, "core/people/person_form.html", {"form": form})
    return render(request, "core/people/person_form.html", {"form": form})


@login_required
def person_edit_page(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct a person's name, and their phone and ID number where the user sees them in full."""
    user = request.user
    person = access_person(user, pk, "person.change")
    personal = in_full(user, person)
    initial = {"name": person.name} | ({"phone": person.phone, "id_number": person.id_number or ""} if personal else {})
    form = PersonForm(request.POST or None, initial=initial, creating=False, personal=personal)
    context = {"form": form, "person": person}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            person_update(actor=user, person=person, name=data["name"], phone=data.get("phone"),
                          id_number=data.get("id_number"))
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The changes are saved."))
            return redirect("core:person-detail", person.pk)
    if request.method == "POST":
        return _invalid(request, "core/people/person_form.html", context)
    return render(request, "core/people/person_form.html", context)


def _household_inputs(user: Any, form: HouseholdForm) -> dict[str, Any] | None:
    """The flat and head the form names, or None with the reasons on the form."""
    data = form.cleaned_data
    flat, candidates = flat_for(user, data["flat"], "household.add")
    if flat is None:
        form.add_error("flat", _("Several flats match: %(flats)s. Add the estate, building or unit.")
                       % {"flats": "、".join(candidates)} if candidates else
                       _("No flat in your area matches. Give estate, building and room, or the flat's code."))
    head = person_by_id_number(user, data["head"])
    if head is None:
        form.add_error("head", _("No one with this ID number is on record in your area. Register them first."))
    if flat is None or head is None:
        return None
    return {"flat": flat, "head": head, "registered_on": data["registered_on"]}


@login_required
def household_create_page(request: HttpRequest) -> HttpResponse:
    """Register a household at a flat, with a person on record as its head."""
    user = request.user
    if not can(user, "household.add"):
        raise PermissionDenied
    initial = {}
    if request.GET.get("head", "").isdigit():
        head = access_person(user, int(request.GET["head"]))
        if head.id_number and in_full(user, head):
            initial["head"] = head.id_number
    form = HouseholdForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid() and (inputs := _household_inputs(user, form)):
        try:
            household = household_create(actor=user, **inputs)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The household is registered."))
            return redirect("core:household-detail", household.pk)
    if request.method == "POST":
        return _invalid(request, "core/people/household_form.html", {"form": form})
    return render(request, "core/people/household_form.html", {"form": form})


@login_required
def household_edit_page(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct when a household was registered."""
    user = request.user
    household = access_household(user, pk, "household.change")
    form = HouseholdDateForm(request.POST or None, initial={"registered_on": household.registered_on})
    context = {"form": form, "household": household}
    if request.method == "POST" and form.is_valid():
        try:
            household_update(actor=user, household=household, registered_on=form.cleaned_data["registered_on"])
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The changes are saved."))
            return redirect("core:household-detail", household.pk)
    if request.method == "POST":
        return _invalid(request, "core/people/household_edit.html", context)
    return render(request, "core/people/household_edit.html", context)


@require_POST
@login_required
def household_member_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Someone on record joins the household (found by ID number), with their relation."""
    user = request.user
    household = access_household(user, pk, "householdmember.add")
    form = MemberAddForm(request.POST)
    if form.is_valid():
        person = person_by_id_number(user, form.cleaned_data["person"])
        if person is None:
            form.add_error("person", _("No one with this ID number is on record in your area. Register them first."))
        else:
            member = HouseholdMember(household=household, person=person, relation=form.cleaned_data["relation"])
            try:
                household_member_save(actor=user, member=member)
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("%(name)s has joined the household.") % {"name": person.name})
                return redirect("core:household-detail", household.pk)
    return household_page(request, household, member_form=form, status=400)


@require_POST
@login_required
def household_member_remove_page(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    """Take a member other than the head out of the household."""
    user = request.user
    household = access_household(user, pk)
    member = household.memberships.filter(pk=member_pk).select_related("person").first()
    if member is None:
        return redirect("core:household-detail", household.pk)
    require(user, "householdmember.delete", member)
    try:
        household_member_remove(actor=user, member=member)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("%(name)s has left the household.") % {"name": member.person.name})
    return redirect("core:household-detail", household.pk)
