"""The home page (the user's work: the cards the apps register, quick actions, for staff their area in one line)
and the "what can I do" page (roles, capabilities, what lies in the user's scope)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import NoReverseMatch, reverse, reverse_lazy
from django.utils.translation import gettext_lazy as _

from commonground.core.clock import today
from commonground.core.models import Household, Person, Place, PlaceKind
from commonground.core.permissions import active_roles, can, visible_to
from commonground.core.services.accounts import user_password_change
from commonground.core.throttle import is_secret_label

from .registry import capabilities_for, quick_actions_for, work_cards_for

COUNTED_PLACE_KINDS = (PlaceKind.COMMUNITY, PlaceKind.ESTATE, PlaceKind.BUILDING)


def scope_counts(user: Any) -> list[tuple[Any, int]]:
    """How many communities, estates, buildings, households and people the user may see: a few queries."""
    by_kind = dict(
        visible_to(user, "place.view", Place.objects.filter(kind__in=COUNTED_PLACE_KINDS))
        .order_by().values_list("kind").annotate(n=Count("pk"))
    )
    counts: list[tuple[Any, int]] = [(PlaceKind(kind).label, by_kind.get(kind, 0)) for kind in COUNTED_PLACE_KINDS]
    if can(user, "household.view"):
        counts.append((_("households"), visible_to(user, "household.view", Household.objects.all()).count()))
    if can(user, "person.view"):
        counts.append((_("people"), visible_to(user, "person.view", Person.objects.all()).count()))
    return counts


def place_link(user: Any, place: Place) -> str | None:
    if not can(user, "place.view", place):
        return None
    try:
        return reverse("core:place-detail", args=[place.code])
    except NoReverseMatch:
        return None


def sees_area(user: Any) -> bool:
    """Staff who keep households or people: for them the numbers of their area mean something."""
    return user.is_superuser or can(user, "household.view") or can(user, "person.view")


def roles_of(user: Any) -> list[dict[str, Any]]:
    return [
        {"role": role.get_role_display(), "place": role.scope, "url": place_link(user, role.scope),
         "valid_to": role.valid_to}
        for role in active_roles(user)
    ]


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """My work: what waits for me in each app, counts leading to the filtered lists; an empty state that says
    what I can do next when nothing waits."""
    user = request.user
    cards = [card for card in work_cards_for(user) if card.is_tile or card.items or card.action]
    return render(request, "web/home.html", {
        "do_now": [card for card in cards if card.action is not None],
        "tiles": [card for card in cards if card.is_tile],
        "lists": [card for card in cards if card.items],
        "has_work": any(card.has_work for card in cards),
        "quick_actions": quick_actions_for(user),
        "roles": roles_of(user) if sees_area(user) else [],
        "counts": scope_counts(user) if sees_area(user) else [],
        "today": today(),
    })


@login_required
def abilities(request: HttpRequest) -> HttpResponse:
    """What can I do: my roles and where, what the resolver lets me do, for staff what lies in their area."""
    user = request.user
    return render(request, "web/abilities.html", {
        "roles": roles_of(user),
        "capabilities": capabilities_for(user),
        "counts": scope_counts(user) if sees_area(user) else [],
    })


def healthz(request: HttpRequest) -> HttpResponse:
    """A no-op page for load balancers, and the floor of the intake benchmark."""
    return HttpResponse("ok", content_type="text/plain")


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico on pages that name no icon (the admin, the printable report)."""
    return redirect(static("web/favicon.svg"))


SERVER_ERROR_FALLBACK = (
    "<!doctype html><meta charset=utf-8><title>500</title>"
    "<h1>出错了 · Something went wrong</h1><p><a href=\"/\">返回首页 · Home</a></p>"
)


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page in the request's language; it reads no database, so it renders when the database fails."""
    try:
        return render(request, "500.html", status=500)
    except Exception:  # the page of last resort must not raise
        return HttpResponseServerError(SERVER_ERROR_FALLBACK)


class PasswordChange(auth_views.PasswordChangeView):
    """Every user changes their own password here (residents too: the admin's page is for staff)."""

    template_name = "web/password_change.html"
    success_url = reverse_lazy("home")

    def form_valid(self, form: Any) -> HttpResponse:
        user = user_password_change(actor=self.request.user, new_password=form.cleaned_data["new_password1"])
        update_session_auth_hash(self.request, user)
        messages.success(self.request, _("Your password has been changed."))
        return redirect(self.get_success_url())


def locked_out(request: HttpRequest, original_response: HttpResponse | None = None,
               credentials: dict | None = None) -> HttpResponse:
    """django-axes' answer once an address is locked out: the lockout page for a login; an API keeps its own
    answer (it refuses locked-out callers itself, in its own format)."""
    username = (credentials or {}).get("username") or ""
    if original_response is not None and is_secret_label(username):
        return original_response
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "web/locked_out.html", {"minutes": minutes}, status=429)
