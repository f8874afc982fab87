"""The user's notifications (unread first), marking them read, and the e-mail / digest choice."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..models import Notification, NotificationPreference
from ..services.notifications import mark_read, notification_preference_set
from .forms import PreferenceForm

PAGE_SIZE = 30


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    """Unread first, newest first within each; the preference form below."""
    user = request.user
    notifications = (Notification.objects.filter(user=user).select_related("case")
                     .order_by(F("read_at").desc(nulls_first=True), "-created_at", "-pk"))
    page = Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))
    preference = NotificationPreference.objects.filter(user=user).first()
    form = PreferenceForm(initial={"digest": preference.digest if preference else False,
                                   "email": preference.email if preference else True})
    return render(request, "cases/notifications.html", {"page": page, "form": form,
                                                        "has_unread": any(n.read_at is None for n in page)})


def _back(request: HttpRequest) -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return redirect(target)
    return redirect("cases:notifications")


@require_POST
@login_required
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one notification read (only the user's own; others' ids change nothing)."""
    mark_read(actor=request.user, ids=[pk])
    return _back(request)


@require_POST
@login_required
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Follow a notification to its case, marking it read on the way."""
    notification = get_object_or_404(Notification.objects.select_related("case"), pk=pk, user=request.user)
    mark_read(actor=request.user, ids=[notification.pk])
    if notification.case is None:
        return redirect("cases:notifications")
    return redirect("cases:detail", number=notification.case.number)


@require_POST
@login_required
def notification_read_all(request: HttpRequest) -> HttpResponse:
    count = mark_read(actor=request.user)
    messages.success(request, _("%(count)d notifications marked read.") % {"count": count})
    return _back(request)


@require_POST
@login_required
def preference(request: HttpRequest) -> HttpResponse:
    form = PreferenceForm(request.POST)
    if form.is_valid():
        notification_preference_set(actor=request.user, digest=form.cleaned_data["digest"],
                                    email=form.cleaned_data["email"])
        messages.success(request, _("Your notification settings are saved."))
    return redirect("cases:notifications")
