from django.urls import path

from .views import field, projects

app_name = "renewal"

urlpatterns = [
    path("", projects.projects, name="projects"),
    path("<int:pk>/", projects.project, name="project"),
    path("<int:pk>/households/", projects.households, name="households"),
    path("households/<int:pk>/", projects.household, name="household"),
    path("<int:pk>/fieldwork/", field.fieldwork, name="fieldwork"),
    path("<int:pk>/consent/", field.consent, name="consent"),
    path("<int:pk>/consent/publish/", field.consent_publish_view, name="consent-publish"),
    path("households/<int:pk>/visits/", field.visit_add, name="visit-add"),
    path("households/<int:pk>/consent/", field.consent_add, name="consent-add"),
    path("households/<int:pk>/consent/authorisation/", field.consent_authorisation, name="consent-authorisation"),
]
