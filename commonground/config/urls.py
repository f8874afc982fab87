from django.conf import settings
from django.conf.urls.static import static
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
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler500 = "commonground.web.views.server_error"
