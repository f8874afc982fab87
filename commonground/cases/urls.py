"""Case pages under /cases/. Fixed paths come before the case number."""

from django.urls import path

from .views import actions, dashboard, detail, exports, mine, notifications, queue, report

app_name = "cases"
urlpatterns = [
    path("", queue.queue, name="queue"),
    path("map/", queue.case_map, name="map"),
    path("map/open.geojson", queue.map_data, name="map-data"),
    path("report/", report.report, name="report"),
    path("report/questions/", report.questions, name="report-questions"),
    path("report/places/", report.places, name="report-places"),
    path("report/pin/", report.pin, name="report-pin"),
    path("mine/", mine.my_cases, name="mine"),
    path("figures/", dashboard.dashboard, name="dashboard"),
    path("notifications/", notifications.notification_list, name="notifications"),
    path("notifications/read/", notifications.notification_read_all, name="notifications-read-all"),
    path("notifications/<int:pk>/read/", notifications.notification_read, name="notification-read"),
    path("notifications/<int:pk>/open/", notifications.notification_open, name="notification-open"),
    path("notifications/settings/", notifications.preference, name="notification-preference"),
    path("export/cases.csv", exports.export_csv, name="export-csv"),
    path("export/cases.xlsx", exports.export_xlsx, name="export-xlsx"),
    path("export/open.geojson", exports.export_geojson, name="export-geojson"),
    path("<str:number>/", detail.case_detail, name="detail"),
    path("<str:number>/do/<slug:action>/", actions.act, name="act"),
    path("<str:number>/extensions/<int:pk>/", actions.decide_extension, name="extension-decide"),
    path("<str:number>/handlers/", actions.handlers, name="handler-options"),
    path("<str:number>/files/<int:pk>/", actions.attachment, name="attachment"),
    path("<str:number>/agreement/", actions.signed_agreement, name="signed-agreement"),
]
