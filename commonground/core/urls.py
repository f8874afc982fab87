"""Core pages. Each views module adds its own patterns list here."""

from django.urls import path

from .views import people, people_edit, people_lists, places, report, rosters

app_name = "core"
urlpatterns: list = []
urlpatterns += [
    path("places/", places.place_list, name="place-list"),
    path("places/areas.geojson", places.place_areas, name="place-areas"),
    path("places/suggest", places.place_suggest, name="place-suggest"),
    path("places/<str:code>/", places.place_detail, name="place-detail"),
    path("people/", people_lists.person_list, name="person-list"),
    path("people/new/", people_edit.person_create_page, name="person-create"),
    path("people/<int:pk>/", people.person_detail, name="person-detail"),
    path("people/<int:pk>/edit/", people_edit.person_edit_page, name="person-edit"),
    path("people/<int:pk>/password-reset/", people.person_password_reset, name="person-password-reset"),
    path("households/", people_lists.household_list_page, name="household-list"),
    path("households/new/", people_edit.household_create_page, name="household-create"),
    path("households/<int:pk>/", people.household_detail, name="household-detail"),
    path("households/<int:pk>/edit/", people_edit.household_edit_page, name="household-edit"),
    path("households/<int:pk>/members/", people_edit.household_member_add, name="household-member-add"),
    path("households/<int:pk>/members/<int:member_pk>/remove/", people_edit.household_member_remove_page,
         name="household-member-remove"),
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
