from __future__ import annotations

from .views import ledgers, planner, policies, profile, stats, visits

app_name = "business"

# Each part of the app lists its own pages.
urlpatterns = [*ledgers.urlpatterns, *stats.urlpatterns, *visits.urlpatterns, *planner.urlpatterns,
               *policies.urlpatterns, *profile.urlpatterns]
