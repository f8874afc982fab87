from django.urls import include, path

app_name = "deliberation"

urlpatterns = [
    path("", include("commonground.deliberation.views.urls_owner")),
    path("", include("commonground.deliberation.views.urls_staff")),
    path("meetings/", include("commonground.deliberation.views.urls_meetings")),
    path("representatives/", include("commonground.deliberation.views.urls_representatives")),
]
