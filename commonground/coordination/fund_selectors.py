"""Reads of the micro-governance fund: which funds and projects a user sees (one access function each, used by
the pages, the API and the ledger export), the lists, a fund's figures, and what the public page shows."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from commonground.core.models import Place, User
from commonground.core.permissions import access_object, scope_paths, visible_to
from commonground.core.place_cache import top_place

from .models import ZERO, Disbursement, Fund, FundProject, FundStage, PhotoKind, ProjectPhoto, ProjectReview


def funds_for(actor: User, action: str = "fund.view") -> QuerySet[Fund]:
    """The funds `actor` sees: those held at or above a place where they see fund projects, and below."""
    return visible_to(actor, action, Fund.objects.select_related("place")).order_by("-year", "pk")


def access_fund(actor: User, pk: int, action: str = "fund.view") -> Fund:
    """The fund for `action`: Http404 unless the actor sees it, PermissionDenied when seen but not theirs."""
    return access_object(actor, funds_for(actor), action, view_action="fund.view", missing=_("No such fund."),
                         pk=pk)


def fund_projects_for(actor: User, action: str = "fund.view") -> QuerySet[FundProject]:
    """The projects `actor` sees: the fund office all, a street's staff their street's, a community worker their
    community's, an owners' committee member their estate's."""
    return visible_to(actor, action, FundProject.objects.select_related("fund", "estate"))


def access_fund_project(actor: User, pk: int, action: str = "fund.view") -> FundProject:
    """The project for `action`: Http404 unless the actor sees it, PermissionDenied when seen but not theirs."""
    return access_object(actor, fund_projects_for(actor), action, view_action="fund.view",
                         missing=_("No such fund project."), pk=pk)


@dataclass(frozen=True)
class ProjectFilters:
    fund: int | None = None
    stage: str = ""
    estate: int | None = None
    awaiting: bool = False  # only those waiting for the actor's review


def fund_project_list(actor: User, filters: ProjectFilters) -> QuerySet[FundProject]:
    """The projects of the lists (newest first), filtered by fund, stage and estate, in the database."""
    rows = fund_projects_for(actor)
    if filters.awaiting:
        rows = rows.filter(pk__in=awaiting_review(actor).values("pk"))
    if filters.fund:
        rows = rows.filter(fund_id=filters.fund)
    if filters.stage:
        rows = rows.filter(stage=filters.stage)
    if filters.estate:
        rows = rows.filter(estate_id=filters.estate)
    return rows.order_by("-created_at", "-pk")


@dataclass
class StageFigures:
    stage: str
    label: str
    projects: int = 0
    requested: Decimal = ZERO
    approved: Decimal = ZERO


@dataclass
class FundFigures:
    total: Decimal
    committed: Decimal
    disbursed: Decimal
    by_stage: list[StageFigures] = field(default_factory=list)

    @property
    def left(self) -> Decimal:
        return self.total - self.committed

    @property
    def committed_percent(self) -> int:
        return int(self.committed * 100 / self.total) if self.total else 0

    @property
    def disbursed_percent(self) -> int:
        return int(self.disbursed * 100 / self.total) if self.total else 0


def fund_figures(fund: Fund, projects: QuerySet[FundProject] | None = None) -> FundFigures:
    """The fund's money (as its row keeps it) and its projects by stage (of `projects`, by default all the
    fund's: a fund's figures are public). One query for the stages."""
    rows = (projects if projects is not None else FundProject.objects.filter(fund=fund)).order_by()
    counted = {row["stage"]: row for row in rows.values("stage").annotate(
        n=Count("pk"), requested=Sum("requested_amount"), approved=Sum("approved_amount"))}
    stages = [StageFigures(stage, str(label), counted.get(stage, {}).get("n", 0),
                           counted.get(stage, {}).get("requested") or ZERO,
                           counted.get(stage, {}).get("approved") or ZERO)
              for stage, label in FundStage.choices]
    return FundFigures(fund.total, fund.committed, fund.disbursed, stages)


def fund_project_detail(project: FundProject) -> dict[str, object]:
    """What the project page lists beside the project: lines, review trail, payments, photos by kind."""
    photos = list(project.photos.order_by("kind", "pk"))
    return {
        "lines": list(project.budget_lines.all()),
        "reviews": list(ProjectReview.objects.filter(project=project).select_related("actor").order_by(
            "created_at", "pk")),
        "disbursements": list(Disbursement.objects.filter(project=project).order_by("paid_on", "pk")),
        "before_photos": [p for p in photos if p.kind == PhotoKind.BEFORE],
        "after_photos": [p for p in photos if p.kind == PhotoKind.AFTER],
    }


def fund_projects_of_estate(estate: Place) -> QuerySet[FundProject]:
    """The estate's fund projects for its profile page (which checked who may see the estate), newest first;
    withdrawn drafts left out."""
    return (FundProject.objects.filter(estate=estate).exclude(stage=FundStage.WITHDRAWN, submitted_at__isnull=True)
            .select_related("fund").order_by("-created_at", "-pk"))


def public_projects(fund: Fund) -> QuerySet[FundProject]:
    """The public page's projects (公开透明): every one ever submitted, with its estate, amounts and stage.
    Nothing personal is read: no applicant, no reviewer. Completed projects carry their after photos."""
    after = ProjectPhoto.objects.filter(kind=PhotoKind.AFTER).order_by("pk")
    return (FundProject.objects.filter(fund=fund, submitted_at__isnull=False)
            .select_related("estate__parent__parent")
            .prefetch_related(Prefetch("photos", queryset=after, to_attr="after_photos"))
            .order_by("estate__parent__parent__path", "estate__path", "pk"))


def public_photo(fund: Fund, pk: int) -> ProjectPhoto | None:
    """A photo the public page may show: after the work, of a completed project of the fund."""
    return ProjectPhoto.objects.filter(pk=pk, kind=PhotoKind.AFTER, project__fund=fund,
                                       project__stage=FundStage.COMPLETED).first()


LEDGER_HEADERS = ("project", "estate", "street", "stage", "requested", "approved", "disbursed", "submitted",
                  "approved_on", "completed_on", "accepted_on", "payment_day", "payment_amount", "payment_note")


def ledger_headers() -> list[str]:
    return [_("Fund project"), _("Estate"), _("Street"), _("Stage"), _("Requested (yuan)"), _("Approved (yuan)"),
            _("Disbursed (yuan)"), _("Submitted on"), _("Approved on"), _("Completed on"),
            _("Accepted by residents on"), _("Paid on"), _("Payment (yuan)"), _("Payment note")]


def ledger_rows(actor: User, fund: Fund) -> Iterator[list[object]]:
    """The fund ledger as the actor sees it: one row per project (its figures), then one per payment below it.
    Scoped like the list (a street's staff export their street's projects only)."""
    payments = Prefetch("disbursements", queryset=Disbursement.objects.order_by("paid_on", "pk"))
    rows = (fund_projects_for(actor).filter(fund=fund).select_related("estate__parent__parent")
            .prefetch_related(payments).order_by("place_path", "pk"))

    def day(moment) -> str:
        return moment.date().isoformat() if moment else ""

    for project in rows:
        street = project.estate.parent.parent if project.estate.parent else None
        yield [project.title, project.estate.name, street.name if street else "", project.get_stage_display(),
               project.requested_amount, project.approved_amount, project.disbursed_amount,
               day(project.submitted_at), day(project.approved_at), day(project.completed_at),
               project.accepted_on.isoformat() if project.accepted_on else "", "", "", ""]
        for payment in project.disbursements.all():
            yield [project.title, project.estate.name, "", "", "", "", "", "", "", "", "",
                   payment.paid_on.isoformat(), payment.amount, payment.note]


def awaiting_review(actor: User) -> QuerySet[FundProject]:
    """The projects waiting for a review `actor` may give: at the community or street level where they hold that
    review's permission, at the fund office where they may approve on the fund's place."""
    from .services.fund import REVIEWS

    condition = Q(pk__in=[])
    for stage, (_level, permission, _next) in REVIEWS.items():
        if permission == "fund.approve":
            condition |= Q(stage=stage, fund__in=funds_for(actor, "fund.approve").values("pk"))
        else:
            condition |= Q(pk__in=visible_to(actor, permission, FundProject.objects.filter(stage=stage)).values("pk"))
    return FundProject.objects.filter(condition).select_related("fund", "estate")


def may_review_somewhere(actor: User) -> bool:
    from commonground.core.permissions import can

    return any(can(actor, permission) for permission in ("fund.review_community", "fund.review_street",
                                                          "fund.approve"))


def apply_estates(actor: User, fund: Fund) -> QuerySet[Place]:
    """The estates inside the fund's area for which `actor` may apply."""
    from commonground.core.models import PlaceKind
    from commonground.core.models.places import within_q

    return visible_to(actor, "fund.apply", Place.objects.filter(kind=PlaceKind.ESTATE)).filter(
        within_q("path", [fund.place.path])).order_by("path")


def decision_choices(estates: QuerySet[Place]) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """(resolutions, votes) a project of one of `estates` may name: resolutions of held meetings at the estates or
    their communities, and the estates' passed owners' decisions; newest first, a bounded number of each."""
    from commonground.deliberation.models import (
        MeetingStatus,
        Outcome,
        Resolution,
        Vote,
        VoteKind,
        VoteStatus,
    )

    ids = estates.values("pk")
    communities = estates.values("parent_id")
    resolutions = (Resolution.objects.filter(meeting__status=MeetingStatus.HELD)
                   .filter(Q(meeting__place_id__in=ids) | Q(meeting__place_id__in=communities))
                   .select_related("meeting__place").order_by("-meeting__starts_at", "position")[:200])
    votes = (Vote.objects.filter(estate_id__in=ids, kind=VoteKind.DECISION, status=VoteStatus.CLOSED,
                                 outcome=Outcome.PASSED).select_related("estate").order_by("-closes_at")[:100])
    return ([(r.pk, f"{r.meeting.place.name} · {localtime(r.meeting.starts_at):%Y-%m-%d} · {r.text[:40]}") for r in resolutions],
            [(v.pk, f"{v.estate.name} · {v.title}") for v in votes])


def fund_places(actor: Any) -> list[Place]:
    """The places where `actor` may open a fund ("fund.approve" there): the district for its fund office."""
    paths = scope_paths(actor, "fund.approve")
    if paths is None:
        return [top_place()]
    return list(Place.objects.filter(path__in=paths).order_by("path"))
