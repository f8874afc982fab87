from __future__ import annotations

from django.urls import path

from ._placeholder import placeholder

urlpatterns = [
    path("votes/mine/", placeholder, name="my_votes"),
    path("notices/", placeholder, name="notices"),
]
