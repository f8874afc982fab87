"""The project's URLs plus one page that fails, to see the 500 page as a user would."""

from django.urls import path

from commonground.config.urls import handler500  # noqa: F401
from commonground.config.urls import urlpatterns as project_urlpatterns


def boom(request):
    raise RuntimeError("boom")


urlpatterns = [path("boom/", boom), *project_urlpatterns]
