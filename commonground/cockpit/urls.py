from __future__ import annotations

from .views import dashboards, signals, warnings

app_name = "cockpit"

# Each part of the app lists its own pages.
urlpatterns = [*dashboards.urlpatterns, *signals.urlpatterns, *warnings.urlpatterns]
