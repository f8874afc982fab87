"""Pages of the three-party offices (三方办), the joint-meeting register (联席会议) and the party and association
network (一核多堡). Thin: selectors read, services write."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from commonground.core.forms import apply_service_errors
from commonground.core.models import PlaceKind
from commonground.core.pagination import CappedPaginator
from commonground.core.permissions import can, require
from commonground.core.tables import table_response
from commonground.deliberation.models import MeetingKind

from ..network_forms import BranchBuildingsForm, StaffAppointForm, StaffEndForm
from ..network_selectors import (
    VIEW,
    access_branch,
    access_office,
    associations_of,
    community_party_of,
    estate_network,
    joint_meetings_for,
    network_counts,
    network_root,
    office_disputes,
    offices_by_level,
    offices_for,
    staff_lines,
)
from ..services.network import branch_buildings_set, office_staff_appoint, office_staff_end

MEETINGS_PAGE = 20


def _levels() -> list[tuple[str, str]]:
    return [("district", _("District three-party office")), ("street", _("Street three-party offices")),
            ("community", _("Community three-party offices"))]


def _new_joint_meeting_url(user) -> str:
    if not can(user, "meeting.add"):
        return ""
    return f"{reverse('deliberation:meeting-create')}?kind={MeetingKind.JOINT}"


@login_required
def offices(request: HttpRequest) -> HttpResponse:
    """The three-party offices in the user's scope by level, each with its director and staff, open disputes and
    joint meetings."""
    require(request.user, VIEW)
    rows = list(offices_for(request.user))
    grouped = offices_by_level(rows)
    levels = [(label, [(office, staff_lines(request.user, office)) for office in grouped[key]])
              for key, label in _levels() if grouped.get(key)]
    return render(request, "coordination/office_list.html", {"levels": levels, "count": len(rows)})


@login_required
def office(request: HttpRequest, pk: int) -> HttpResponse:
    """One office: its staff (appoint, end a term), its open three-party disputes and its joint meetings."""
    item = access_office(request.user, pk)
    may_manage = can(request.user, "coordination.manage", item)
    form = StaffAppointForm(request.POST or None) if may_manage else None
    if request.method == "POST":
        if not may_manage:
            require(request.user, "coordination.manage", item)
        assert form is not None
        if form.is_valid():
            try:
                office_staff_appoint(actor=request.user, office=item, **form.cleaned_data)
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("The appointment is recorded."))
                return redirect("coordination:office", pk=item.pk)
    meetings = list(joint_meetings_for(request.user, office=item)[:MEETINGS_PAGE])
    return render(request, "coordination/office_detail.html", {
        "office": item, "staff": staff_lines(request.user, item), "may_manage": may_manage, "form": form,
        "disputes": office_disputes(request.user, item)[:50], "meetings": meetings,
        "new_meeting_url": _new_joint_meeting_url(request.user),
    }, status=400 if form is not None and form.errors else 200)


@login_required
@require_POST
def office_staff_end_view(request: HttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    """End a staff member's term (today unless a day is given)."""
    item = access_office(request.user, pk)
    membership = next((m for m in item.staff if m.pk == membership_pk), None)
    if membership is None:
        raise Http404
    require(request.user, "coordination.manage", item)
    form = StaffEndForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors)
        office_staff_end(actor=request.user, membership=membership, term_to=form.cleaned_data["term_to"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The term has ended."))
    return redirect("coordination:office", pk=item.pk)


@login_required
def joint_meetings(request: HttpRequest) -> HttpResponse:
    """The joint-meeting register: joint meetings and meetings convened by three-party offices, with their
    resolutions and the cases those opened."""
    require(request.user, VIEW)
    page = CappedPaginator(joint_meetings_for(request.user), MEETINGS_PAGE).get_page(request.GET.get("page"))
    return render(request, "coordination/network_meetings.html", {
        "page": page, "new_meeting_url": _new_joint_meeting_url(request.user)})


def _network_context(request: HttpRequest):
    place = network_root(request.user, request.GET.get("place", "").strip()[:64])
    total, rows = network_counts(place)
    return place, total, rows


@login_required
def network(request: HttpRequest) -> HttpResponse:
    """Counts of the party and association network under a place and per place one level down; at an estate its
    party branch, corridor branches with their buildings and members; the place's mass associations."""
    require(request.user, VIEW)
    place, total, rows = _network_context(request)
    context = {"place": place, "total": total, "rows": rows, "estate": None, "associations": [], "party": None,
               "may_manage": False}
    if place.kind in (PlaceKind.COMMUNITY, PlaceKind.ESTATE):
        context["associations"] = list(associations_of(place)[:100])
    if place.kind == PlaceKind.COMMUNITY:
        context["party"] = community_party_of(place)
    if place.kind == PlaceKind.ESTATE:
        context["estate"] = estate_network(request.user, place)
        context["may_manage"] = can(request.user, "coordination.manage", place)
    ancestors = list(place.get_ancestors().filter(kind__in=[PlaceKind.STREET, PlaceKind.COMMUNITY]))
    context["trail"] = [a for a in ancestors if can(request.user, VIEW, a)]
    return render(request, "coordination/network.html", context)


@login_required
def network_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The network table of a place (its total, then one line per place one level down) as CSV or XLSX."""
    require(request.user, VIEW)
    place, total, rows = _network_context(request)
    headers = [_("Street, community or estate"), _("Community party organisations"), _("Estate party branches"),
               _("Corridor party branches"), _("Party members recorded"), _("Mass associations")]

    def line(name: str, counts) -> list:
        return [name, counts.community_party, counts.estate_branches, counts.corridor_branches,
                counts.party_members, counts.mass_associations]

    lines = [line(place.name, total), *(line(row.place.name, row.counts) for row in rows)]
    return table_response(fmt, headers, lines, filename=f"party-network-{place.code}",
                          title=_("Party and association network"))


@login_required
def branch_buildings(request: HttpRequest, pk: int) -> HttpResponse:
    """Choose the buildings a corridor party branch covers (包楼连片)."""
    branch = access_branch(request.user, pk, "coordination.manage")
    estate = branch.place.parent.parent
    form = BranchBuildingsForm(request.POST or None, estate=estate,
                               initial={"buildings": [c.building_id for c in branch.covered]})
    if request.method == "POST" and form.is_valid():
        try:
            branch_buildings_set(actor=request.user, branch=branch, buildings=list(form.cleaned_data["buildings"]))
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The branch's buildings are saved."))
            return redirect(f"{reverse('coordination:network')}?place={estate.code}")
    return render(request, "coordination/network_branch_form.html", {"branch": branch, "estate": estate,
                                                                     "form": form},
                  status=400 if form.errors else 200)


urlpatterns: list[URLPattern] = [
    path("offices/", offices, name="offices"),
    path("offices/<int:pk>/", office, name="office"),
    path("offices/<int:pk>/staff/<int:membership_pk>/end/", office_staff_end_view, name="office-staff-end"),
    path("joint-meetings/", joint_meetings, name="joint-meetings"),
    path("network/", network, name="network"),
    path("network/export.csv", network_export, {"fmt": "csv"}, name="network-export-csv"),
    path("network/export.xlsx", network_export, {"fmt": "xlsx"}, name="network-export-xlsx"),
    path("network/branches/<int:pk>/buildings/", branch_buildings, name="branch-buildings"),
]
