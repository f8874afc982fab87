from django.urls import path

from .views import field, progress, projects, rulesets, setup, signing

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
    path("households/<int:pk>/agreement/draw/", signing.draw, name="agreement-draw"),
    path("agreements/<int:pk>/sign/", signing.sign, name="agreement-sign"),
    path("agreements/<int:pk>/scan/", signing.scan, name="agreement-scan"),
    path("agreements/<int:pk>/scan/file/", signing.scan_file, name="agreement-scan-file"),
    path("agreements/<int:pk>/cancel/", signing.cancel, name="agreement-cancel"),
    path("agreements/<int:pk>/pdf/", signing.pdf, name="agreement-pdf"),
    path("<int:pk>/agreements/", signing.agreements, name="agreements"),
    path("<int:pk>/flats/", signing.flats, name="flats"),
    path("<int:pk>/flats/board/", signing.board, name="flats-board"),
    path("<int:pk>/flats/choose/", signing.choose, name="flats-choose"),
    path("<int:pk>/flats/skip/", signing.skip, name="flats-skip"),
    path("<int:pk>/flats/import/", signing.flats_import, name="flats-import"),
    path("<int:pk>/progress/", progress.progress, name="progress"),
    path("<int:pk>/briefing/", progress.briefing, name="briefing"),
    path("<int:pk>/rule-sets/", rulesets.rulesets, name="rulesets"),
    path("rule-sets/<int:pk>/", rulesets.ruleset, name="ruleset"),
    path("rule-sets/<int:pk>/<slug:action>/", rulesets.ruleset_act, name="ruleset-act"),
    path("households/<int:pk>/options/compute/", rulesets.offers_recompute, name="household-offers-compute"),
    path("new/", setup.project_new, name="project-new"),
    path("<int:pk>/edit/", setup.project_edit, name="project-edit"),
    path("<int:pk>/work-groups/", setup.work_groups, name="work-groups"),
    path("work-groups/<int:pk>/buildings/", setup.group_buildings, name="work-group-buildings"),
    path("work-groups/<int:pk>/members/", setup.group_member_add, name="work-group-member-add"),
    path("work-groups/<int:pk>/members/<int:user_id>/remove/", setup.group_member_remove,
         name="work-group-member-remove"),
]
