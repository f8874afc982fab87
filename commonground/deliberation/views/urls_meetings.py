"""Meeting pages, mounted at /deliberation/meetings/. Fixed paths come before the meeting id."""

from __future__ import annotations

from django.urls import path

from . import meetings

urlpatterns = [
    path("", meetings.meetings, name="meetings"),
    path("new/", meetings.meeting_create, name="meeting-create"),
    path("new/place-fields/", meetings.meeting_place_fields, name="meeting-place-fields"),
    path("calendar.ics", meetings.meetings_ics, name="meetings-ics"),
    path("<int:pk>/", meetings.meeting, name="meeting"),
    path("<int:pk>/edit/", meetings.meeting_edit, name="meeting-edit"),
    path("<int:pk>/do/<slug:action>/", meetings.meeting_act, name="meeting-act"),
    path("<int:pk>.ics", meetings.meeting_ics, name="meeting-ics"),
    path("<int:pk>.pdf", meetings.meeting_pdf, name="meeting-pdf"),
]
