from __future__ import annotations

from .views import dashboards, signals, warnings

app_name = "cockpit"

# Each part of the app lists its own pages; the dashboards come last, as /cockpit/<place code>/ takes any word.
urlpatterns = [*signals.urlpatterns, *warnings.urlpatterns, *dashboards.urlpatterns]
