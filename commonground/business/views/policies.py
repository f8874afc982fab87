"""Pages of the policies part: the policy noticeboard (packages and their policies), a policy with its rules in
plain language, its eligible firms (staff; CSV/XLSX) and applications, the package and policy forms (staff), the
applications list with the outcome form, and the enterprise contact's own page (my enterprise): its facts, filing a
demand, its demands, the policies it qualifies for and its applications."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from commonground.core.forms import apply_service_errors
from commonground.core.pagination import CappedPaginator
from commonground.core.permissions import can
from commonground.core.tables import table_response

from ..ledgers_selectors import access_enterprise
from ..models import ApplicationStatus, Enterprise, PackageStatus, PolicyDimension
from ..policies_forms import DecisionForm, DemandForm, PackageForm, PolicyForm, RuleFormSet, rule_initial
from ..policies_selectors import (
    access_application,
    access_package,
    access_policy,
    application_list,
    eligible_enterprises,
    enterprise_demands,
    enterprise_notices,
    enterprise_policies,
    package_places,
    packages_visible,
    place_names,
    rule_lines,
)
from ..services.policies import (
    demand_categories,
    enterprise_demand_file,
    policy_application_create,
    policy_application_decide,
    policy_application_withdraw,
    policy_create,
    policy_notify,
    policy_package_create,
    policy_package_publish,
    policy_package_update,
    policy_update,
)

PAGE_SIZE = 50


def _status(form) -> int:
    return 400 if form.is_bound and form.errors else 200


# ---- the noticeboard ------------------------------------------------------------------------------------------

@login_required
def policies(request: HttpRequest) -> HttpResponse:
    """Packages the user sees (published ones for everyone, drafts for their staff) with their policies by
    dimension."""
    packages = list(packages_visible(request.user).prefetch_related("policies")[:20])
    boards = []
    for package in packages:
        rows = sorted(package.policies.all(), key=lambda policy: policy.number)
        boards.append({"package": package, "dimensions": [
            {"label": label, "policies": [p for p in rows if p.dimension == value]}
            for value, label in PolicyDimension.choices if any(p.dimension == value for p in rows)],
            "may_manage": can(request.user, "policy.manage", package)})
    return render(request, "business/policies_list.html", {
        "boards": boards, "may_create": package_places(request.user).exists(),
        "may_decide": can(request.user, "policyapplication.manage")})


@login_required
def package_new(request: HttpRequest) -> HttpResponse:
    places = list(package_places(request.user)[:100])
    if not places:
        raise PermissionDenied
    form = PackageForm(request.POST or None, places=places, initial={"place": str(places[0].pk)})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        place = next(place for place in places if str(place.pk) == data["place"])
        try:
            package = policy_package_create(actor=request.user, place=place, name=data["name"],
                                            issuer_text=data["issuer_text"], issued_on=data["issued_on"])
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return redirect(f"{_url('business:policies')}#package-{package.pk}")
    return render(request, "business/policies_package_form.html", {"form": form}, status=_status(form))


@login_required
def package_edit(request: HttpRequest, pk: int) -> HttpResponse:
    package = access_package(request.user, pk, "policy.manage")
    form = PackageForm(request.POST or None, initial={"name": package.name, "issuer_text": package.issuer_text,
                                                      "issued_on": package.issued_on})
    if request.method == "POST" and form.is_valid():
        try:
            policy_package_update(actor=request.user, package=package, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return redirect(f"{_url('business:policies')}#package-{package.pk}")
    return render(request, "business/policies_package_form.html", {"form": form, "package": package},
                  status=_status(form))


@require_POST
@login_required
def package_publish(request: HttpRequest, pk: int) -> HttpResponse:
    package = access_package(request.user, pk, "policy.manage")
    try:
        policy_package_publish(actor=request.user, package=package)
        messages.success(request, _("The policy package is published."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(f"{_url('business:policies')}#package-{package.pk}")


def _url(name: str, *args) -> str:
    from django.urls import reverse

    return reverse(name, args=args)


# ---- a policy -------------------------------------------------------------------------------------------------

def _policy_form(request: HttpRequest, initial: dict, rules: list) -> tuple[PolicyForm, RuleFormSet]:
    data = request.POST if request.method == "POST" else None
    return PolicyForm(data, initial=initial), RuleFormSet(data, initial=rule_initial(rules), prefix="rules")


def _save_policy(request: HttpRequest, form, rows, save) -> object | None:
    if not (form.is_valid() and rows.is_valid()):
        return None
    rules = [rule for rule in (row.rule() for row in rows.forms) if rule]
    try:
        return save(rules=rules, **form.cleaned_data)
    except ValidationError as error:
        apply_service_errors(form, error)
        return None


@login_required
def policy_new(request: HttpRequest, pk: int) -> HttpResponse:
    package = access_package(request.user, pk, "policy.manage")
    number = (max((p.number for p in package.policies.all()), default=0)) + 1
    form, rows = _policy_form(request, {"number": number}, [])
    if request.method == "POST":
        saved = _save_policy(request, form, rows, lambda **fields: policy_create(actor=request.user, package=package,
                                                                                 **fields))
        if saved is not None:
            return redirect("business:policy", saved.pk)
    return render(request, "business/policies_policy_form.html", {"form": form, "rows": rows, "package": package},
                  status=400 if request.method == "POST" else 200)


@login_required
def policy_edit(request: HttpRequest, pk: int) -> HttpResponse:
    policy = access_policy(request.user, pk, "policy.manage")
    initial = {field: getattr(policy, field) for field in ("number", "title", "dimension", "summary", "benefit",
                                                           "amount", "opens_on", "closes_on")}
    form, rows = _policy_form(request, initial, policy.rules)
    if request.method == "POST":
        saved = _save_policy(request, form, rows, lambda **fields: policy_update(actor=request.user, policy=policy,
                                                                                 **fields))
        if saved is not None:
            return redirect("business:policy", policy.pk)
    return render(request, "business/policies_policy_form.html", {
        "form": form, "rows": rows, "package": policy.package, "policy": policy},
        status=400 if request.method == "POST" else 200)


@login_required
def policy(request: HttpRequest, pk: int) -> HttpResponse:
    """A policy: its rules in plain language; for staff the eligible firms they serve (count, a page, export,
    notify) and the applications; for an enterprise contact whether their firm may apply."""
    item = access_policy(request.user, pk)
    names = place_names([item])
    context = {"policy": item, "rules": rule_lines(item, names), "may_manage": can(request.user, "policy.manage", item)}
    if can(request.user, "enterprise.view"):
        firms = eligible_enterprises(request.user, item, with_tax=True).select_related("building")
        page = CappedPaginator(firms, PAGE_SIZE).get_page(request.GET.get("page"))
        context.update(page=page, may_notify=can(request.user, "policyapplication.manage")
                       and item.package.status == PackageStatus.PUBLISHED)
        context["applications"] = list(application_list(request.user, policy=item)[:PAGE_SIZE])
    own = list(Enterprise.objects.filter(contacts__user=request.user).order_by("pk")[:5])
    if own:
        context["own"] = [{"firm": row["firm"], "section": row["section"]} for row in (
            {"firm": firm, "section": next((e for e in enterprise_policies(request.user, firm)["eligible"]
                                            if e["policy"].pk == item.pk), None)} for firm in own)]
    return render(request, "business/policies_policy.html", context)


@login_required
def policy_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The eligible firms the user serves, as CSV or XLSX (the one table writer)."""
    if fmt not in ("csv", "xlsx"):
        raise Http404
    item = access_policy(request.user, pk)
    if not can(request.user, "enterprise.view"):
        raise PermissionDenied
    firms = eligible_enterprises(request.user, item, with_tax=True).select_related("building", "registered_building")
    headers = [_("Unified social credit code"), _("Enterprise name"), _("Industry code"), _("Building"),
               _("Registered capital (yuan)"), _("Last full year's tax (yuan)"), _("Number of employees")]
    rows = ([firm.credit_code, firm.name, firm.industry_code, (firm.building or firm.registered_building).name,
             firm.registered_capital, firm.last_year_tax, firm.headcount] for firm in firms.iterator(chunk_size=2000))
    return table_response(fmt, headers, rows, filename=f"policy-{item.pk}-eligible",
                          title=_("Eligible enterprises"), widths=(22, 36, 10, 20, 16, 16, 10))


@require_POST
@login_required
def policy_notify_view(request: HttpRequest, pk: int) -> HttpResponse:
    item = access_policy(request.user, pk)
    try:
        told = policy_notify(actor=request.user, policy=item)
        messages.success(request, _("%(count)d enterprises were told about this policy.") % {"count": told})
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("business:policy", item.pk)


@require_POST
@login_required
def policy_apply(request: HttpRequest, pk: int) -> HttpResponse:
    """The enterprise's contact applies for the policy for their firm (credit code posted)."""
    item = access_policy(request.user, pk)
    firm = access_enterprise(request.user, request.POST.get("enterprise", ""))
    try:
        policy_application_create(actor=request.user, enterprise=firm, policy=item,
                                  note=request.POST.get("note", "")[:500])
        messages.success(request, _("The application is submitted."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    target = request.POST.get("next") == "mine"
    return redirect("business:my_enterprise") if target else redirect("business:policy", item.pk)


# ---- applications ---------------------------------------------------------------------------------------------

@login_required
def applications(request: HttpRequest) -> HttpResponse:
    """Applications the user sees, by status, each with the outcome form while it awaits its decision."""
    status = request.GET.get("status", "")
    status = status if status in ApplicationStatus.values else ""
    rows = application_list(request.user, status=status)
    page = CappedPaginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    may_decide = can(request.user, "policyapplication.manage")
    return render(request, "business/policies_applications.html", {
        "page": page, "status": status, "statuses": ApplicationStatus.choices, "may_decide": may_decide,
        "form": DecisionForm() if may_decide else None})


@require_POST
@login_required
def application_decide(request: HttpRequest, pk: int) -> HttpResponse:
    application = access_application(request.user, pk, "policyapplication.manage")
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            policy_application_decide(actor=request.user, application=application, **form.cleaned_data)
            messages.success(request, _("The outcome is recorded."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    else:
        messages.error(request, _("Please choose the outcome."))
    return redirect("business:policy-applications")


@require_POST
@login_required
def application_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    application = access_application(request.user, pk)
    try:
        policy_application_withdraw(actor=request.user, application=application)
        messages.success(request, _("The application is withdrawn."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("business:my_enterprise")


# ---- my enterprise --------------------------------------------------------------------------------------------

@login_required
def my_enterprise(request: HttpRequest) -> HttpResponse:
    """The contact's home for their firm (phone first): facts, filing a demand, its demands, the policies it
    qualifies for and its applications, and the policies it was told about."""
    if not can(request.user, "enterprise.self"):
        raise PermissionDenied
    firms = list(Enterprise.objects.filter(contacts__user=request.user).order_by("pk")[:10])
    chosen = request.GET.get("firm") or request.POST.get("firm") or (firms[0].credit_code if firms else "")
    if not firms:
        return render(request, "business/policies_my_enterprise.html", {"firm": None})
    firm = get_object_or_404(Enterprise.objects.select_related("building", "registered_building"),
                             pk__in=[f.pk for f in firms], credit_code=chosen)
    categories = demand_categories()
    form = DemandForm(request.POST or None, request.FILES or None, categories=categories)
    if request.method == "POST" and form.is_valid():
        category = next(c for c in categories if c.code == form.cleaned_data["category"])
        try:
            case = enterprise_demand_file(actor=request.user, enterprise=firm, category=category,
                                          description=form.cleaned_data["description"],
                                          answers=form.answers(category),
                                          attachments=[form.cleaned_data["attachment"]]
                                          if form.cleaned_data.get("attachment") else [])
        except ValidationError as error:
            apply_service_errors(form, error, field_of={"attachments": "attachment"})
        else:
            messages.success(request, _("Your demand is filed as case %(number)s.") % {"number": case.number})
            return redirect(f"{_url('business:my_enterprise')}?firm={firm.credit_code}")
    section = enterprise_policies(request.user, firm)
    return render(request, "business/policies_my_enterprise.html", {
        "firm": firm, "firms": firms, "form": form, "demands": list(enterprise_demands(request.user, firm)[:30]),
        "section": section, "notices": list(enterprise_notices(firm)[:20])}, status=_status(form))


urlpatterns = [
    path("my-enterprise/", my_enterprise, name="my_enterprise"),
    path("policies/", policies, name="policies"),
    path("policies/packages/new/", package_new, name="policy-package-new"),
    path("policies/packages/<int:pk>/edit/", package_edit, name="policy-package-edit"),
    path("policies/packages/<int:pk>/publish/", package_publish, name="policy-package-publish"),
    path("policies/packages/<int:pk>/new-policy/", policy_new, name="policy-new"),
    path("policies/applications/", applications, name="policy-applications"),
    path("policies/applications/<int:pk>/decide/", application_decide, name="policy-application-decide"),
    path("policies/applications/<int:pk>/withdraw/", application_withdraw, name="policy-application-withdraw"),
    path("policies/<int:pk>/", policy, name="policy"),
    path("policies/<int:pk>/edit/", policy_edit, name="policy-edit"),
    path("policies/<int:pk>/eligible.<str:fmt>", policy_export, name="policy-eligible-export"),
    path("policies/<int:pk>/notify/", policy_notify_view, name="policy-notify"),
    path("policies/<int:pk>/apply/", policy_apply, name="policy-apply"),
]
