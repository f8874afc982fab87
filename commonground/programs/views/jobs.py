"""The job pages: the board (open postings; one's own interests), a posting (say you are interested, or withdraw),
a job fair with its postings and figures, and for staff and enterprise contacts: post, change, publish, close, put
in a fair, import a fair's postings from a file, and the counts by posting with their export."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from commonground.core.forms import apply_service_errors
from commonground.core.pagination import CappedPaginator
from commonground.core.permissions import can
from commonground.core.tables import table_response

from ..jobs_forms import FairChoiceForm, InterestForm, PostingForm, PostingImportForm
from ..jobs_selectors import (
    BoardFilters,
    access_fair,
    access_posting,
    counts_headers,
    counts_rows,
    fair_figures,
    fair_postings,
    fairs_for,
    interested_flags,
    managed_postings,
    managed_totals,
    manages_postings,
    my_interest,
    my_interests,
    posting_board,
    posting_interests,
    posting_places,
)
from ..models import PostingAudience, PostingStatus
from ..services.jobs import (
    IMPORT_COLUMNS,
    import_column_labels,
    interest_express,
    interest_refusal,
    interest_withdraw,
    posting_allowed_actions,
    posting_attach_to_fair,
    posting_close,
    posting_create,
    posting_publish,
    posting_rows,
    posting_update,
    postings_import,
)

PAGE_SIZE = 30


def _int(value: Any) -> int | None:
    return int(value) if isinstance(value, str) and value.isdigit() and len(value) < 12 else None


@login_required
def postings(request: HttpRequest) -> HttpResponse:
    """The board: open postings, newest first, by fair, audience and words; one's own interests above."""
    filters = BoardFilters(fair=_int(request.GET.get("fair")), audience=request.GET.get("audience", ""),
                           text=request.GET.get("q", "")[:100])
    rows = interested_flags(request.user, posting_board(request.user, filters))
    page = CappedPaginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    fairs = list(fairs_for(request.user)[:10])
    return render(request, "programs/jobs_board.html", {
        "page": page, "filters": filters, "audiences": PostingAudience.choices, "fairs": fairs,
        "mine": list(my_interests(request.user).filter(withdrawn_at__isnull=True)[:10]),
        "manages": manages_postings(request.user)})


@login_required
def posting(request: HttpRequest, pk: int) -> HttpResponse:
    """A posting: what the job is, and the one button (I am interested / withdraw); for its managers, the people
    interested and the steps."""
    item = access_posting(request.user, pk)
    return _posting_page(request, item, InterestForm())


def _posting_page(request: HttpRequest, item, form: InterestForm, status: int = 200) -> HttpResponse:
    actions = posting_allowed_actions(request.user, item)
    manages = can(request.user, "posting.manage", item)
    context = {"posting": item, "actions": actions, "form": form, "mine": my_interest(request.user, item),
               "refusal": interest_refusal(request.user, item), "manages": manages}
    if manages:
        context["interests"] = posting_interests(request.user, item)
        context["fair_form"] = FairChoiceForm(initial={"fair": item.fair_id or ""},
                                              fairs=fairs_for(request.user).filter(status="published")[:50])
    return render(request, "programs/jobs_posting.html", context, status=status)


@login_required
@require_POST
def posting_interest(request: HttpRequest, pk: int) -> HttpResponse:
    item = access_posting(request.user, pk)
    form = InterestForm(request.POST)
    if form.is_valid():
        try:
            interest_express(actor=request.user, posting=item, note=form.cleaned_data["note"],
                             phone_consent=form.cleaned_data["phone_consent"])
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Your interest has been sent to the employer."))
            return redirect("programs:posting", pk=item.pk)
    return _posting_page(request, item, form, status=400)


@login_required
@require_POST
def posting_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    item = access_posting(request.user, pk)
    interest = my_interest(request.user, item)
    if interest is None:
        raise Http404
    try:
        interest_withdraw(actor=request.user, interest=interest)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your interest has been withdrawn."))
    return redirect("programs:posting", pk=item.pk)


def _save_posting(request: HttpRequest, form: PostingForm, item=None):
    if not form.is_valid():
        return None
    data = form.cleaned_data
    fields = {key: data[key] for key in ("title", "employer_name", "employer_credit_code", "positions", "pay_min",
                                         "pay_max", "requirements", "work_location", "audience", "closes_on")}
    try:
        if item is None:
            place = get_object_or_404(posting_places(request.user), pk=data["place"])
            fair = access_fair(request.user, int(data["fair"])) if data.get("fair") else None
            return posting_create(actor=request.user, place=place, fair=fair, **fields)
        return posting_update(actor=request.user, posting=item, **fields)
    except ValidationError as error:
        apply_service_errors(form, error)
        return None


@login_required
def posting_new(request: HttpRequest) -> HttpResponse:
    """Post positions (a draft) at a place where the user posts."""
    places = list(posting_places(request.user)[:200])
    if not places:
        raise PermissionDenied
    fair = _int(request.GET.get("fair"))
    form = PostingForm(request.POST or None, places=places, fairs=fairs_for(request.user)[:50],
                       initial={"place": str(places[0].pk), "fair": str(fair or ""),
                                "audience": PostingAudience.EVERYONE})
    if request.method == "POST":
        saved = _save_posting(request, form)
        if saved is not None:
            return redirect("programs:posting", pk=saved.pk)
    return render(request, "programs/jobs_form.html", {"form": form},
                  status=400 if form.is_bound and form.errors else 200)


@login_required
def posting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = access_posting(request.user, pk, "posting.manage")
    if item.status == PostingStatus.CLOSED:
        return redirect("programs:posting", pk=item.pk)
    initial = {field: getattr(item, field) for field in (
        "title", "employer_name", "employer_credit_code", "positions", "pay_min", "pay_max", "requirements",
        "work_location", "audience", "closes_on")}
    form = PostingForm(request.POST or None, initial=initial)
    if request.method == "POST":
        saved = _save_posting(request, form, item)
        if saved is not None:
            return redirect("programs:posting", pk=saved.pk)
    return render(request, "programs/jobs_form.html", {"form": form, "posting": item},
                  status=400 if form.is_bound and form.errors else 200)


def _step(request: HttpRequest, pk: int, service, done: str) -> HttpResponse:
    item = access_posting(request.user, pk, "posting.manage")
    try:
        service(actor=request.user, posting=item)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect("programs:posting", pk=item.pk)


@login_required
@require_POST
def posting_publish_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(request, pk, posting_publish, _("The posting is on the board."))


@login_required
@require_POST
def posting_close_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(request, pk, posting_close, _("The posting is closed."))


@login_required
@require_POST
def posting_fair(request: HttpRequest, pk: int) -> HttpResponse:
    """Put the posting in a job fair (or take it out)."""
    item = access_posting(request.user, pk, "posting.manage")
    fair_pk = _int(request.POST.get("fair"))
    fair = access_fair(request.user, fair_pk) if fair_pk else None
    try:
        posting_attach_to_fair(actor=request.user, posting=item, fair=fair)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The posting's job fair is saved."))
    return redirect("programs:posting", pk=item.pk)


@login_required
def postings_manage(request: HttpRequest) -> HttpResponse:
    """The organiser's view: the postings the user manages, with the people interested in each."""
    if not manages_postings(request.user):
        raise PermissionDenied
    fair, status = _int(request.GET.get("fair")), request.GET.get("status", "")
    rows = managed_postings(request.user, fair=fair, status=status)
    page = CappedPaginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "programs/jobs_manage.html", {
        "page": page, "fair": fair, "status": status if status in PostingStatus.values else "",
        "statuses": PostingStatus.choices, "fairs": list(fairs_for(request.user)[:50]),
        "totals": managed_totals(rows)})


@login_required
def postings_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The counts by posting (the postings the user manages) as CSV or XLSX."""
    if fmt not in ("csv", "xlsx"):
        raise Http404
    if not manages_postings(request.user):
        raise PermissionDenied
    rows = managed_postings(request.user, fair=_int(request.GET.get("fair")), status=request.GET.get("status", ""))
    return table_response(fmt, counts_headers(), counts_rows(request.user, rows), filename="job-postings-counts",
                          title=_("Job postings"), widths=(28, 20, 24, 10, 12, 12, 16, 14, 24, 18, 14, 10))


@login_required
def job_fair(request: HttpRequest, pk: int) -> HttpResponse:
    """A job fair: when and where, its postings (positions counted by posting) and its figures."""
    fair = access_fair(request.user, pk)
    rows = interested_flags(request.user, fair_postings(request.user, fair))
    return render(request, "programs/jobs_fair.html", {
        "fair": fair, "figures": fair_figures(fair), "rows": list(rows[:500]),
        "sessions": list(fair.sessions.all()[:10]),
        "manages": can(request.user, "posting.manage", fair.place)})


@login_required
def job_fair_import(request: HttpRequest, pk: int) -> HttpResponse:
    """Import the fair's postings from a spreadsheet: all rows or none, each error told by row and column."""
    fair = access_fair(request.user, pk)
    if not can(request.user, "posting.manage", fair.place):
        raise PermissionDenied
    form = PostingImportForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            rows = posting_rows(form.cleaned_data["file"])
            added = postings_import(actor=request.user, fair=fair, rows=rows,
                                    publish=form.cleaned_data["publish"])
        except ValidationError as error:
            errors = error.message_dict.get("rows", [])
            if not errors:
                apply_service_errors(form, error)
        else:
            messages.success(request, _("%(count)d postings imported.") % {"count": len(added)})
            return redirect("programs:job_fair", pk=fair.pk)
    labels = import_column_labels()
    return render(request, "programs/jobs_import.html", {
        "fair": fair, "form": form, "errors": errors, "columns": [labels[c] for c in IMPORT_COLUMNS]},
        status=400 if request.method == "POST" else 200)


@login_required
def job_fair_template(request: HttpRequest, pk: int) -> HttpResponse:
    """An empty postings file with the headers the import reads, and one example row."""
    fair = access_fair(request.user, pk)
    labels = import_column_labels()
    example = ["杭州某物流有限公司", "", "快递分拣员", 10, 4500, 6500, "身体健康，能适应夜班", "康桥街道", "小哥家属", ""]
    return table_response("xlsx", [labels[c] for c in IMPORT_COLUMNS], [example],
                          filename=f"job-fair-{fair.pk}-postings", title=_("Job postings"))


urlpatterns: list[URLPattern] = [
    path("postings/", postings, name="postings"),
    path("postings/new/", posting_new, name="posting_new"),
    path("postings/manage/", postings_manage, name="postings_manage"),
    path("postings/manage/export.<str:fmt>", postings_export, name="postings_export"),
    path("postings/<int:pk>/", posting, name="posting"),
    path("postings/<int:pk>/interest/", posting_interest, name="posting_interest"),
    path("postings/<int:pk>/withdraw/", posting_withdraw, name="posting_withdraw"),
    path("postings/<int:pk>/edit/", posting_edit, name="posting_edit"),
    path("postings/<int:pk>/publish/", posting_publish_view, name="posting_publish"),
    path("postings/<int:pk>/close/", posting_close_view, name="posting_close"),
    path("postings/<int:pk>/fair/", posting_fair, name="posting_fair"),
    path("postings/fairs/<int:pk>/", job_fair, name="job_fair"),
    path("postings/fairs/<int:pk>/import/", job_fair_import, name="job_fair_import"),
    path("postings/fairs/<int:pk>/template.xlsx", job_fair_template, name="job_fair_template"),
]
