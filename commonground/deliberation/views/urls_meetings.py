from __future__ import annotations

from django.urls import path

from ._placeholder import placeholder

urlpatterns = [
    path("", placeholder, name="meetings"),
]
