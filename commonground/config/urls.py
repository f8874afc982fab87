from django.contrib import admin
from django.urls import include, path

from .api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("open311/v2/", include("commonground.cases.open311.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("cases/", include("commonground.cases.urls")),
    path("deliberation/", include("commonground.deliberation.urls")),
    path("", include("commonground.core.urls")),
    path("", include("commonground.web.urls")),
]
# No route serves MEDIA_ROOT, not even with DEBUG: uploads are served by their app's view, through
# core.uploads.upload_response, to those who may see them.

handler500 = "commonground.web.views.server_error"
