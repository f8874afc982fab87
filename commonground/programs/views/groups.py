"""Pages of the new employment groups: the couriers' home (小哥之家), the declaration "我是新就业群体", the staff list of
declarations with its export, the couriers' council and the zones of a home. Thin: selectors read, services write.
Who sees what is decided in groups_selectors."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from commonground.core.forms import apply_service_errors
from commonground.core.models import Person, Place
from commonground.core.pagination import CappedPaginator
from commonground.core.permissions import can, require, visible_to
from commonground.core.tables import table_response

from ..groups_forms import (
    PLATFORM_SUGGESTIONS,
    CouncilItemForm,
    DeclarationForm,
    DeskDeclarationForm,
    ZoneForm,
)
from ..groups_selectors import (
    MANAGE,
    VIEW,
    access_declaration,
    access_home,
    access_zone,
    council_items_page,
    council_of,
    declaration_counts,
    declaration_lines,
    declarations_for,
    home_page,
    homes,
    homes_of,
    member_lines,
    own_declarations,
    platforms_in,
)
from ..models import EmploymentGroup
from ..services.groups import (
    council_item_file,
    declaration_change,
    declaration_create,
    declaration_places,
    declaration_revoke,
    may_file_item,
    zone_create,
    zone_update,
)

LIST_PAGE = 50
ITEMS_PAGE = 20


@login_required
def couriers_home(request: HttpRequest) -> HttpResponse:
    """The couriers' home of the user's scope; the chooser of every home when there are several or none of theirs.
    The homes' pages are a noticeboard under /programs/couriers/homes/ (every signed-in user sees them)."""
    mine = homes_of(request.user, list(homes()))
    if len(mine) == 1:
        return redirect("programs:couriers_home_detail", pk=mine[0].pk)
    return redirect(reverse("programs:couriers_homes") + ("?mine=1" if mine else ""))


@login_required
def couriers_homes(request: HttpRequest) -> HttpResponse:
    every = list(homes())
    mine = homes_of(request.user, every) if request.GET.get("mine") else []
    return render(request, "programs/groups_homes.html", {"homes": mine or every, "mine": bool(mine)})


@login_required
def couriers_home_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _home(request, access_home(request.user, pk))


def _home(request: HttpRequest, home: Place) -> HttpResponse:
    page = home_page(request.user, home)
    items = [(case, can(request.user, "case.view", case)) for case in page.items.latest]
    return render(request, "programs/groups_home.html", {
        "page": page, "home": home, "items": items,
        "declared": any(d.active for d in own_declarations(request.user)),
        "may_file": page.council is not None and may_file_item(request.user, page.council)})


@login_required
def declaration(request: HttpRequest) -> HttpResponse:
    """我是新就业群体: declare, see and withdraw one's own declaration (opt-in, revocable)."""
    person = request.user.person
    rows = own_declarations(request.user)
    active = next((d for d in rows if d.active), None)
    places = declaration_places(person) if person else []
    initial = {"group": active.group, "platform": active.platform, "place": active.place_id} if active else {
        "place": places[0].pk if places else None}
    form = DeclarationForm(request.POST or None, places=places, initial=initial) if person else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied(_("Only people with a resident record declare themselves."))
        if form.is_valid():
            data = form.cleaned_data
            place = next((p for p in places if p.pk == data["place"]), None)
            try:
                if active:
                    declaration_change(actor=request.user, declaration=active, group=data["group"],
                                       platform=data["platform"], place=place)
                else:
                    declaration_create(actor=request.user, person=person, group=data["group"],
                                       platform=data["platform"], place=place)
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("Your declaration is recorded."))
                return redirect("programs:couriers_declaration")
    return render(request, "programs/groups_declaration.html", {
        "form": form, "active": active, "history": [d for d in rows if not d.active],
        "platforms": PLATFORM_SUGGESTIONS, "has_places": bool(places)},
        status=400 if form is not None and form.errors else 200)


@login_required
@require_POST
def declaration_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    item = access_declaration(request.user, pk, MANAGE)
    try:
        declaration_revoke(actor=request.user, declaration=item)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your declaration is withdrawn: it no longer counts anywhere."))
    if item.person_id == request.user.person_id:
        return redirect("programs:couriers_declaration")
    return redirect("programs:couriers_declarations")


def _filters(request: HttpRequest) -> dict[str, str]:
    group = request.GET.get("group", "")
    return {"group": group if group in EmploymentGroup.values else "",
            "platform": request.GET.get("platform", "").strip()[:100]}


def _desk(request: HttpRequest, form: DeskDeclarationForm) -> bool:
    """Record a resident's declaration at the desk: the resident found by ID number among the people the user sees,
    declared at the first place of theirs (their estate, or a couriers' home) the user manages."""
    if not form.is_valid():
        return False
    person = visible_to(request.user, "person.view", Person.objects.filter(
        id_number=form.cleaned_data["id_number"].strip().upper())).first()
    if person is None:
        form.add_error("id_number", _("No resident with this ID number in your area."))
        return False
    place = next((p for p in declaration_places(person) if can(request.user, MANAGE, p)), None)
    try:
        declaration_create(actor=request.user, person=person, group=form.cleaned_data["group"],
                           platform=form.cleaned_data["platform"], place=place)
    except ValidationError as error:
        apply_service_errors(form, error)
        return False
    messages.success(request, _("The declaration of %(name)s is recorded.") % {"name": person.name})
    return True


@login_required
def declarations(request: HttpRequest) -> HttpResponse:
    """Staff: the active declarations in scope, counts by group and platform, masked as the role requires; staff who
    manage declarations record one for a resident at the desk."""
    require(request.user, VIEW)
    may_record = can(request.user, MANAGE)
    desk = DeskDeclarationForm(request.POST or None) if may_record else None
    if request.method == "POST":
        if desk is None:
            require(request.user, MANAGE)
        if _desk(request, desk):
            return redirect("programs:couriers_declarations")
    filters = _filters(request)
    page = CappedPaginator(declarations_for(request.user, **filters), LIST_PAGE).get_page(request.GET.get("page"))
    return render(request, "programs/groups_declarations.html", {
        "page": page, "lines": declaration_lines(page.object_list), "counts": declaration_counts(request.user),
        "filters": filters, "groups": EmploymentGroup.choices, "platforms": platforms_in(request.user),
        "query": request.GET.urlencode(), "desk": desk, "suggestions": PLATFORM_SUGGESTIONS},
        status=400 if desk is not None and desk.errors else 200)


@login_required
def declarations_export(request: HttpRequest, fmt: str) -> HttpResponse:
    require(request.user, VIEW)
    headers = [_("Declared person"), _("Mobile phone"), _("New employment group"), _("Platform or company"),
               _("Lives or works at"), _("Declared on")]
    rows = declarations_for(request.user, **_filters(request)).iterator(chunk_size=2000)
    lines = ([line.name, line.phone, line.group, line.platform, line.place,
              timezone.localtime(line.declared_at).date()] for chunk in _chunks(rows) for line in
             declaration_lines(chunk))
    return table_response(fmt, headers, lines, filename="new-employment-declarations",
                          title=_("New employment declarations"))


def _chunks(rows, size: int = 2000):
    chunk = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


@login_required
def council(request: HttpRequest, pk: int) -> HttpResponse:
    """The couriers' council of a home: its members, its items with their progress, and filing an item."""
    home = access_home(request.user, pk)
    item_council = council_of(home)
    if item_council is None:
        raise Http404(_("This home has no couriers' council."))
    may_file = may_file_item(request.user, item_council)
    form = CouncilItemForm(request.POST or None) if may_file else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied(_("Only the council's members and the home's staff file council items."))
        if form.is_valid():
            try:
                case = council_item_file(actor=request.user, council=item_council,
                                         description=form.cleaned_data["description"])
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("The item %(number)s is filed; follow its progress here.") % {
                    "number": case.number})
                return redirect("programs:couriers_council", pk=home.pk)
    page = CappedPaginator(council_items_page(home), ITEMS_PAGE).get_page(request.GET.get("page"))
    items = [(case, can(request.user, "case.view", case)) for case in page.object_list]
    return render(request, "programs/groups_council.html", {
        "home": home, "council": item_council, "members": member_lines(request.user, item_council),
        "form": form, "page": page, "items": items}, status=400 if form is not None and form.errors else 200)


@login_required
def zones(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff: the zones of a home (add one; their areas together stay within the home's floor area)."""
    home = access_home(request.user, pk)
    require(request.user, MANAGE, home)
    form = ZoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            zone_create(actor=request.user, facility=home, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The zone is added."))
            return redirect("programs:couriers_zones", pk=home.pk)
    rows = list(home.zones.order_by("pk"))
    return render(request, "programs/groups_zones.html", {
        "home": home, "zones": rows, "form": form, "total": sum(z.area_m2 or 0 for z in rows)},
        status=400 if form.errors else 200)


@login_required
def zone_edit(request: HttpRequest, pk: int) -> HttpResponse:
    zone = access_zone(request.user, pk)
    form = ZoneForm(request.POST or None, initial={"name": zone.name, "purpose": zone.purpose,
                                                   "area_m2": zone.area_m2})
    if request.method == "POST" and form.is_valid():
        try:
            zone_update(actor=request.user, zone=zone, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The zone is saved."))
            return redirect("programs:couriers_zones", pk=zone.facility_id)
    return render(request, "programs/groups_zone_form.html", {"zone": zone, "form": form,
                                                              "back": reverse("programs:couriers_zones",
                                                                              args=[zone.facility_id])},
                  status=400 if form.errors else 200)


urlpatterns: list[URLPattern] = [
    path("couriers/", couriers_home, name="couriers_home"),
    path("couriers/homes/", couriers_homes, name="couriers_homes"),
    path("couriers/homes/<int:pk>/", couriers_home_detail, name="couriers_home_detail"),
    path("couriers/homes/<int:pk>/council/", council, name="couriers_council"),
    path("couriers/homes/<int:pk>/zones/", zones, name="couriers_zones"),
    path("couriers/zones/<int:pk>/", zone_edit, name="couriers_zone_edit"),
    path("couriers/declaration/", declaration, name="couriers_declaration"),
    path("couriers/declaration/<int:pk>/withdraw/", declaration_withdraw, name="couriers_declaration_withdraw"),
    path("couriers/declarations/", declarations, name="couriers_declarations"),
    path("couriers/declarations/export.csv", declarations_export, {"fmt": "csv"},
         name="couriers_declarations_csv"),
    path("couriers/declarations/export.xlsx", declarations_export, {"fmt": "xlsx"},
         name="couriers_declarations_xlsx"),
]
