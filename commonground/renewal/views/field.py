"""The fieldwork pages: recording a visit or a consent answer on the household's page, the project's fieldwork tab
(today's planned visits, households not visited for a while, the work groups' figures) and its consent survey tab.
What a user may not see answers 404; what they see but may not do, 403."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from commonground.core import clock
from commonground.core.forms import apply_service_errors
from commonground.core.permissions import can
from commonground.core.uploads import upload_response

from ..field_forms import ConsentForm, VisitForm
from ..field_selectors import (
    consent_by_building,
    consent_standing,
    group_figures,
    may_do_fieldwork,
    planned_visits,
    stale_households,
)
from ..home import project_tabs
from ..models.visits import Consent, ConsentResult
from ..rules import stale_visit_days
from ..selectors import access_household, access_project
from ..services.consent import consent_publish, consent_record, survey_state
from ..services.visits import visit_record
from . import projects

LISTED = 30  # rows of the fieldwork tab's lists; the households tab lists them all


def household_again(request: HttpRequest, pk: int, **forms) -> HttpResponse:
    """The household's page with a refused form bound (status 400): the page reads it from the request."""
    request.renewal_forms = forms
    messages.error(request, _("Nothing was recorded. Please correct the form below."))
    response = projects.household(request, pk)
    response.status_code = 400
    return response


@require_POST
@login_required
def visit_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a visit to the household (renewal.visit: the office, or a member of its group)."""
    household = access_household(request.user, pk, "renewal.visit")
    form = VisitForm(request.POST, household=household, actor=request.user)
    if form.is_valid():
        data = form.cleaned_data
        try:
            visit = visit_record(actor=request.user, household=household, visited_at=data["visited_at"],
                                 outcome=data["outcome"], visitors=list(data["visitors"]), met=data["met"],
                                 concerns=data["concerns"], notes=data["notes"], next_step=data["next_step"],
                                 next_on=data["next_on"], case_category=data["case_category"] or None)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            text = _("The visit was recorded.")
            if visit.case_id:
                text = _("The visit was recorded; case %(number)s was opened.") % {"number": visit.case.number}
            messages.success(request, text)
            return redirect(f"{household_url(pk)}#visits")
    return household_again(request, pk, visit_form=form)


@require_POST
@login_required
def consent_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the household's answer to the consent survey."""
    household = access_household(request.user, pk, "renewal.visit")
    form = ConsentForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            consent_record(actor=request.user, household=household, answer=data["answer"],
                           answered_on=data["answered_on"], by_all_owners=data["by_all_owners"],
                           authorisation=data["authorisation"])
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The answer was recorded."))
            return redirect(f"{household_url(pk)}#consent")
    return household_again(request, pk, consent_form=form)


def household_url(pk: int) -> str:
    return reverse("renewal:household", args=[pk])


@login_required
def consent_authorisation(request: HttpRequest, pk: int) -> HttpResponse:
    """The authorisation scan of a household's answer, for who may visit the household."""
    household = access_household(request.user, pk, "renewal.visit")
    consent = Consent.objects.filter(household=household).exclude(authorisation="").first()
    if consent is None:
        raise Http404(_("No authorisation was attached."))
    return upload_response(consent.authorisation, content_type=consent.authorisation_type,
                           name=f"authorisation-{household.pk}")


@login_required
def fieldwork(request: HttpRequest, pk: int) -> HttpResponse:
    """Today's planned visits, households not visited for the stale-visit days, and the work groups' figures, of
    the households the user reaches."""
    project = access_project(request.user, pk)
    if not may_do_fieldwork(request.user, project):
        raise PermissionDenied(_("The fieldwork is for the campaign's staff."))
    today = clock.today()
    planned_rows = planned_visits(request.user, project, today)
    planned = list(planned_rows[:LISTED])
    stale_rows = stale_households(request.user, project)
    stale = list(stale_rows.select_related("flat", "group")[:LISTED])
    return render(request, "renewal/fieldwork.html", {
        "project": project, "tabs": project_tabs(project.pk, request.path, request.user), "today": today,
        "planned": planned,
        "planned_total": planned_rows.count() if len(planned) == LISTED else len(planned), "stale": stale, "stale_total": stale_rows.count() if len(stale) == LISTED else len(stale),
        "stale_days": stale_visit_days(), "groups": group_figures(request.user, project), "listed": LISTED,
    })


@login_required
def consent(request: HttpRequest, pk: int) -> HttpResponse:
    """The consent survey: the live rate against the threshold, the answers by building, the published result."""
    project = access_project(request.user, pk)
    state = survey_state(project, clock.today())
    result = ConsentResult.objects.filter(project=project).select_related("notice").first()
    return render(request, "renewal/consent.html", {
        "project": project, "tabs": project_tabs(project.pk, request.path, request.user), "state": state,
        "standing": consent_standing(project), "buildings": consent_by_building(project, request.user),
        "result": result, "may_record": state == "open" and result is None and may_do_fieldwork(request.user, project),
        "may_publish": state == "closed" and result is None and can(request.user, "renewal.manage", project),
    })


@require_POST
@login_required
def consent_publish_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Publish the survey's result as a notice on the estate's board (renewal.manage, after it closed)."""
    project = access_project(request.user, pk, "renewal.manage")
    try:
        notice = consent_publish(actor=request.user, project=project)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
        return redirect("renewal:consent", pk=project.pk)
    messages.success(request, _("The result was published: %(title)s") % {"title": notice.title})
    return redirect("renewal:consent", pk=project.pk)
