"""Person and household pages. Personal data is shown in full only where the user may see it."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from ..forms import MemberAddForm
from ..masking import in_full as may_see_in_full
from ..masking import shown
from ..models import (
    PERSONAL_DATA_FIELDS,
    Household,
    HouseholdMember,
    OrganisationMembership,
    Ownership,
    Person,
    Relation,
)
from ..permissions import can, visible_to
from ..selectors import access_household, access_person, recent_history, visible_person_ids
from ..services.accounts import may_reset_password, user_password_reset


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One person: masked or full ID and phone, households, ownerships, memberships, history."""
    user = request.user
    person = access_person(user, pk)
    in_full = may_see_in_full(user, person)
    personal = {field: shown(field, getattr(person, field), in_full=in_full) for field in PERSONAL_DATA_FIELDS}
    households = list(
        visible_to(user, "household.view", Household.objects.filter(memberships__person=person))
        .select_related("flat").prefetch_related(
            Prefetch("memberships", queryset=HouseholdMember.objects.filter(person=person), to_attr="this_person")
        )
    )
    ownerships = list(
        visible_to(user, "ownership.view", Ownership.objects.filter(person=person)).select_related("flat")
    )
    memberships = list(
        visible_to(user, "organisationmembership.view", OrganisationMembership.objects.filter(person=person))
        .select_related("organisation__place")
    )
    return render(request, "core/people/person_detail.html", {
        "person": person,
        "in_full": in_full,
        "id_number": personal["id_number"],
        "phone": personal["phone"],
        "households": households,
        "ownerships": ownerships,
        "memberships": memberships,
        "history": recent_history(user, person, excluded=PERSONAL_DATA_FIELDS),
        "may_reset_password": _account(person) is not None and may_reset_password(user, _account(person)),
        "may_change": can(user, "person.change", person),
        "back_to_list": can(user, "person.view"),
        "may_add_household": not households and can(user, "household.add") and in_full and bool(person.id_number),
    })


def _account(person: Person):
    try:
        return person.user
    except Person.user.RelatedObjectDoesNotExist:
        return None


@require_POST
@login_required
def person_password_reset(request: HttpRequest, pk: int) -> HttpResponse:
    """The community resets a resident's password and tells them the temporary one in person (no e-mail)."""
    person = access_person(request.user, pk)
    account = _account(person)
    if account is None:
        raise Http404
    temporary = user_password_reset(actor=request.user, user=account)
    response = render(request, "core/people/password_reset.html", {
        "person": person, "account": account, "temporary": temporary})
    response["Cache-Control"] = "no-store"
    return response


@login_required
def household_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One household: its flat, its members (linked where the user may open them), its history."""
    return household_page(request, access_household(request.user, pk))


def household_page(request: HttpRequest, household: Household, *, member_form: MemberAddForm | None = None,
                   status: int = 200) -> HttpResponse:
    """The household page, with the form to add a member (bound and showing its errors after a refused add)."""
    user = request.user
    members = list(household.memberships.select_related("person").order_by("pk"))
    ids = {member.person_id for member in members}
    linkable = visible_person_ids(user, ids)
    cleared = visible_person_ids(user, ids, "person.view_personal_data")
    may_remove = can(user, "householdmember.delete", household)
    rows = [
        {"member": member, "linked": member.person_id in linkable,
         "phone": shown("phone", member.person.phone, in_full=member.person_id in cleared),
         "removable": may_remove and member.relation != Relation.HEAD}
        for member in members
    ]
    may_add_member = can(user, "householdmember.add", household)
    return render(request, "core/people/household_detail.html", {
        "household": household,
        "flat_linked": can(user, "place.view", household.flat),
        "members": rows,
        "may_change": can(user, "household.change", household),
        "back_to_list": can(user, "household.view"),
        "member_form": (member_form or MemberAddForm()) if may_add_member else None,
        "history": recent_history(user, household),
    }, status=status)
