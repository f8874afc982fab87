"""The people and household lists staff search: by name, pinyin initials, phone tail or flat, with filters;
personal data masked unless the user may see it."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ..people_search import parse
from ..people_selectors import (
    HouseholdFilters,
    PeopleFilters,
    Tag,
    filter_places,
    household_list,
    household_rows,
    people_list,
    person_rows,
    place_for_filter,
)
from ..permissions import can

PAGE_SIZE = 30
PHONE_CHOICES = ("yes", "no")


def _page(request: HttpRequest, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


@login_required
def person_list(request: HttpRequest) -> HttpResponse:
    """People in the user's area, searched and filtered, a page at a time."""
    user = request.user
    if not can(user, "person.view"):
        raise PermissionDenied
    query = request.GET.get("q", "")
    tag = request.GET.get("tag", "")
    phone = request.GET.get("phone", "")
    place_code = request.GET.get("place", "")
    filters = PeopleFilters(
        search=parse(query), place=place_for_filter(user, place_code, "person.view"),
        tag=tag if tag in dict(Tag.CHOICES) else "", phone=phone if phone in PHONE_CHOICES else "")
    page = _page(request, people_list(user, filters))
    context = {
        "page": page, "rows": person_rows(user, list(page.object_list)), "query": query, "filters": filters,
        "place_code": filters.place.code if filters.place else "",
        "may_add": can(user, "person.add"),
        "filtered": bool(filters.search or filters.place or filters.tag or filters.phone),
    }
    if getattr(request, "htmx", False):
        return render(request, "core/people/_person_results.html", context)
    context |= {"places": filter_places(user, "person.view"), "tags": Tag.CHOICES}
    return render(request, "core/people/person_list.html", context)


@login_required
def household_list_page(request: HttpRequest) -> HttpResponse:
    """Households in the user's area: by estate, building or flat, or a member's or owner's name."""
    user = request.user
    if not can(user, "household.view"):
        raise PermissionDenied
    query = request.GET.get("q", "")
    place_code = request.GET.get("place", "")
    filters = HouseholdFilters(search=parse(query), place=place_for_filter(user, place_code, "household.view"))
    page = _page(request, household_list(user, filters))
    context = {
        "page": page, "rows": household_rows(user, list(page.object_list)), "query": query,
        "place_code": filters.place.code if filters.place else "",
        "may_add": can(user, "household.add"),
        "filtered": bool(filters.search or filters.place),
    }
    if getattr(request, "htmx", False):
        return render(request, "core/people/_household_results.html", context)
    context["places"] = filter_places(user, "household.view")
    return render(request, "core/people/household_list.html", context)
