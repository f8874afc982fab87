from __future__ import annotations

from .views import activities, attendance, groups, jobs

app_name = "programs"

# Each part of the app lists its own pages.
urlpatterns = [*activities.urlpatterns, *attendance.urlpatterns, *groups.urlpatterns, *jobs.urlpatterns]
