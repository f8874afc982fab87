from django.urls import path

from .views import progress, projects

app_name = "renewal"

urlpatterns = [
    path("", projects.projects, name="projects"),
    path("<int:pk>/", projects.project, name="project"),
    path("<int:pk>/households/", projects.households, name="households"),
    path("households/<int:pk>/", projects.household, name="household"),
    path("<int:pk>/progress/", progress.progress, name="progress"),
    path("<int:pk>/briefing/", progress.briefing, name="briefing"),
]
