from django.urls import path

from .views import projects, rulesets

app_name = "renewal"

urlpatterns = [
    path("", projects.projects, name="projects"),
    path("<int:pk>/", projects.project, name="project"),
    path("<int:pk>/households/", projects.households, name="households"),
    path("households/<int:pk>/", projects.household, name="household"),
    path("<int:pk>/rule-sets/", rulesets.rulesets, name="rulesets"),
    path("rule-sets/<int:pk>/", rulesets.ruleset, name="ruleset"),
    path("rule-sets/<int:pk>/<slug:action>/", rulesets.ruleset_act, name="ruleset-act"),
    path("households/<int:pk>/options/compute/", rulesets.offers_recompute, name="household-offers-compute"),
]
