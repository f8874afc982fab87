"""Guessing a secret is throttled like guessing a password: django-axes counts the failures per label and
address and locks the pair out for the cool-off time. Login forms go through axes' backend; other secrets
(an Open311 api_key) use these two functions with a fixed label, so guessing many keys from one address
is one lockout."""

from __future__ import annotations

from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest

API_KEY_LABEL = "api_key:open311"


def secret_allowed(request: HttpRequest, label: str) -> bool:
    """False while this address is locked out for `label`."""
    from axes.handlers.proxy import AxesProxyHandler

    return AxesProxyHandler.is_allowed(request, {"username": label})


def secret_failed(request: HttpRequest, label: str) -> None:
    """Count (and log) one wrong secret from this address."""
    user_login_failed.send(sender=__name__, credentials={"username": label}, request=request)


def is_secret_label(username: str) -> bool:
    return username.startswith("api_key:")
