from __future__ import annotations

from .views import evaluation, fund, network, profiles

app_name = "coordination"

# Each part of the app lists its own pages.
urlpatterns = [*profiles.urlpatterns, *network.urlpatterns, *evaluation.urlpatterns, *fund.urlpatterns]
