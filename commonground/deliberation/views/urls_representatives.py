from __future__ import annotations

from django.urls import path

from . import representatives as views

urlpatterns = [
    path("", views.representatives, name="representatives"),
    path("nominate/", views.nominate, name="representative-nominate"),
    path("publish/", views.publish, name="representatives-publish"),
    path("<int:pk>/<slug:step>/", views.act, name="representative-act"),
]
