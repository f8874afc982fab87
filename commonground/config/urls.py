from django.contrib import admin
from django.urls import include, path, re_path
from django.views import defaults

from commonground.web.views import server_error as page_server_error

from . import api as json_api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", json_api.api.urls),
    re_path(r"^api/", json_api.not_found),  # every other /api/ path: a JSON 404, not a page
    path("open311/v2/", include("commonground.cases.open311.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("cases/", include("commonground.cases.urls")),
    path("deliberation/", include("commonground.deliberation.urls")),
    path("renewal/", include("commonground.renewal.urls")),
    path("coordination/", include("commonground.coordination.urls")),
    path("programs/", include("commonground.programs.urls")),
    path("business/", include("commonground.business.urls")),
    path("cockpit/", include("commonground.cockpit.urls")),
    path("gongshi/", include("commonground.deliberation.views.urls_public")),  # the public board, no login
    path("", include("commonground.core.urls")),
    path("", include("commonground.web.urls")),
]
# No route serves MEDIA_ROOT, not even with DEBUG: uploads are served by their app's view, through
# core.uploads.upload_response, to those who may see them.


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def server_error(request):
    """JSON under /api/ (a client cannot read a page), the branded page elsewhere."""
    return json_api.server_error(request) if _is_api(request) else page_server_error(request)


def bad_request(request, exception):
    return json_api.bad_request(request, exception) if _is_api(request) else defaults.bad_request(request, exception)


handler400 = bad_request
handler500 = server_error
