"""Core pages. Each views module adds its own patterns list here."""

from django.urls import path

from .views import people, places, report, rosters

app_name = "core"
urlpatterns: list = []
urlpatterns += [
    path("places/", places.place_list, name="place-list"),
    path("places/areas.geojson", places.place_areas, name="place-areas"),
    path("places/<str:code>/", places.place_detail, name="place-detail"),
    path("people/<int:pk>/", people.person_detail, name="person-detail"),
    path("people/<int:pk>/password-reset/", people.person_password_reset, name="person-password-reset"),
    path("households/<int:pk>/", people.household_detail, name="household-detail"),
]

urlpatterns += [
    path("rosters/", rosters.roster_index, name="roster-index"),
    path("rosters/import/", rosters.roster_upload, name="roster-upload"),
    path("rosters/import/<int:pk>/", rosters.roster_job, name="roster-job"),
    path("rosters/<slug:roster>/export/", rosters.roster_download, name="roster-download"),
]

urlpatterns += [
    path("report/", report.report_page, name="report"),
]
