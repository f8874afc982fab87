"""After the community resets a password, the user's first stop is choosing a new one."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

ALWAYS_ALLOWED = ("/static/", "/i18n/", "/logout/", "/healthz")


class PasswordChangeRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and getattr(user, "must_change_password", False):
            target = reverse("password-change")
            if request.path != target and not request.path.startswith(ALWAYS_ALLOWED):
                return redirect(target)
        return self.get_response(request)
