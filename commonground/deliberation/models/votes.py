"""Owners' joint decisions (Civil Code Art. 278) and elections: the vote, its frozen electorate, ballots."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from commonground.core.models import AreaField, TimeStampedModel
from commonground.core.models.base import AuditHistory, ClockDateTimeField


class Matter(models.TextChoices):
    """The nine matters of Art. 278 (numbered as in the Code)."""

    RULES_OF_PROCEDURE = "1", _("1. make or amend the owners' assembly rules of procedure")
    COVENANT = "2", _("2. make or amend the management covenant")
    COMMITTEE = "3", _("3. elect or replace the owners' committee")
    PROPERTY_SERVICE = "4", _("4. hire or dismiss the property-service company")
    USE_FUND = "5", _("5. use the building maintenance fund")
    RAISE_FUND = "6", _("6. raise the building maintenance fund")
    REBUILD = "7", _("7. rebuild or renovate buildings and their facilities")
    COMMON_PARTS = "8", _("8. change the use of common parts or run a business on them")
    OTHER = "9", _("9. other major matters of common ownership and management")


# Items 6-8 need three quarters of the participating area and owners; the rest more than half.
SUPERMAJORITY_MATTERS = frozenset({Matter.RAISE_FUND, Matter.REBUILD, Matter.COMMON_PARTS})


class VoteKind(models.TextChoices):
    DECISION = "decision", _("owners' decision")
    ELECTION = "election", _("owners' committee election")


class VoteStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("vote status", "draft")
    ANNOUNCED = "announced", pgettext_lazy("vote status", "announced")
    CLOSED = "closed", pgettext_lazy("vote status", "closed")
    CANCELLED = "cancelled", pgettext_lazy("vote status", "cancelled")


class Outcome(models.TextChoices):
    PASSED = "passed", _("passed")
    FAILED = "failed", _("failed")
    NO_QUORUM = "no_quorum", _("no quorum")


class Vote(TimeStampedModel):
    """One owners' vote in one estate: a decision on an Art. 278 matter, or an owners' committee election."""

    estate = models.ForeignKey("core.Place", verbose_name=_("estate"), on_delete=models.PROTECT, related_name="votes")
    kind = models.CharField(_("kind"), max_length=16, choices=VoteKind.choices, default=VoteKind.DECISION)
    matter = models.CharField(_("matter (Civil Code Art. 278)"), max_length=2, choices=Matter.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("what is decided"), blank=True)
    record_date = models.DateField(_("record date of the ownership register"))
    opens_at = models.DateTimeField(_("voting opens"))
    closes_at = models.DateTimeField(_("voting closes"))
    allow_change = models.BooleanField(_("owners may change their ballot until close"), default=True)
    seats = models.PositiveSmallIntegerField(_("seats"), null=True, blank=True)
    term_years = models.PositiveSmallIntegerField(_("term (years)"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=VoteStatus.choices, default=VoteStatus.DRAFT)
    announced_on = models.DateField(_("announced on"), null=True, blank=True)
    electorate_heads = models.PositiveIntegerField(_("owners (heads)"), default=0)
    electorate_area_m2 = models.DecimalField(_("exclusive area (m²)"), max_digits=14, decimal_places=2, default=0)
    outcome = models.CharField(_("result"), max_length=16, choices=Outcome.choices, blank=True)
    result = models.JSONField(_("tally"), default=dict, blank=True)
    record_hash = models.CharField(_("SHA-256 of the ballot record"), max_length=64, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+", verbose_name=_("closed by"))
    committee = models.ForeignKey("core.Organisation", verbose_name=_("elected committee"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="elections")
    appeal_note = models.TextField(_("appeal (Civil Code Art. 280)"), blank=True)
    appeal_noted_at = models.DateTimeField(_("appeal noted at"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("created by"))

    history = AuditHistory()
    scope_path = "estate__path"

    class Meta:
        verbose_name = _("owners' vote")
        verbose_name_plural = _("owners' votes")
        ordering = ["-opens_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(closes_at__gt=models.F("opens_at")), name="vote_window_ordered"),
            models.CheckConstraint(
                condition=Q(kind="decision", seats__isnull=True)
                | Q(kind="election", matter="3", seats__in=[3, 5, 7, 9, 11], term_years__gte=3, term_years__lte=5),
                name="vote_election_seats_odd",
            ),
            models.CheckConstraint(
                condition=Q(status="closed", record_hash__regex=r"^[0-9a-f]{64}$") | (~Q(status="closed") & Q(record_hash="")),
                name="vote_closed_has_hash",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_election(self) -> bool:
        return self.kind == VoteKind.ELECTION

    @property
    def needs_supermajority(self) -> bool:
        return self.matter in SUPERMAJORITY_MATTERS

    @classmethod
    def own_q(cls, user, action: str) -> Q | None:
        """An owner on the electorate sees the vote (and may cast in it) wherever their roles reach."""
        if action in {"vote.view", "vote.cast"} and getattr(user, "person_id", None):
            return Q(Exists(ElectorMember.objects.filter(elector__vote=OuterRef("pk"), person_id=user.person_id)))
        return None

    def is_own(self, user, action: str) -> bool:
        return action in {"vote.view", "vote.cast"} and bool(getattr(user, "person_id", None)) and \
            ElectorMember.objects.filter(elector__vote=self, person_id=user.person_id).exists()


class Elector(models.Model):
    """One voting owner as frozen on the record date: a person with all their flats, co-owners of a flat
    together, or the developer holding every unsold flat. One head each; area = their flats' exclusive area."""

    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="electors")
    key = models.CharField(_("key"), max_length=120)
    label = models.CharField(_("owner"), max_length=300)
    flats = models.JSONField(_("flats"), default=list)
    area_m2 = AreaField(_("exclusive area (m²)"))
    members = models.ManyToManyField("core.Person", through="ElectorMember", related_name="elector_entries")

    scope_path = "vote__estate__path"

    class Meta:
        verbose_name = _("elector")
        verbose_name_plural = _("electors")
        ordering = ["vote", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["vote", "key"], name="elector_once_per_vote"),
            models.CheckConstraint(condition=Q(area_m2__gt=0), name="elector_area_positive"),
        ]

    def __str__(self) -> str:
        return self.label


class ElectorMember(models.Model):
    """Who holds an elector's vote: each owning person (they may cast online), or the owning organisation
    (its ballot is entered on paper or by proxy)."""

    elector = models.ForeignKey(Elector, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey("core.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey("core.Organisation", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")

    scope_path = "elector__vote__estate__path"

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(person__isnull=False) ^ Q(organisation__isnull=False),
                                   name="elector_member_one_holder"),
        ]

    def __str__(self) -> str:
        return f"{self.elector_id}: {self.person_id or self.organisation_id}"


class Choice(models.TextChoices):
    AGREE = "agree", _("agree")
    AGAINST = "against", _("against")
    ABSTAIN = "abstain", _("abstain")


class BallotChannel(models.TextChoices):
    ONLINE = "online", _("online")
    PAPER = "paper", _("paper ballot")
    PROXY = "proxy", _("by proxy")


class Ballot(TimeStampedModel):
    """The ballot of one elector in one vote (the database allows one); every change adds a version."""

    vote = models.ForeignKey(Vote, on_delete=models.PROTECT, related_name="ballots")
    elector = models.ForeignKey(Elector, on_delete=models.PROTECT, related_name="ballots")
    choice = models.CharField(_("choice"), max_length=8, choices=Choice.choices, blank=True)
    candidates = models.JSONField(_("candidates marked"), default=list, blank=True)
    channel = models.CharField(_("channel"), max_length=8, choices=BallotChannel.choices, default=BallotChannel.ONLINE)
    cast_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+", verbose_name=_("cast by"))
    clerk_name = models.CharField(_("entered by (clerk)"), max_length=100, blank=True)
    scan = models.FileField(_("scan of the paper ballot"), upload_to="ballots/%Y/%m/", blank=True)
    scan_type = models.CharField(_("type of the scan"), max_length=100, blank=True)
    proxy_name = models.CharField(_("proxy"), max_length=100, blank=True)
    proxy_authorisation = models.FileField(_("proxy authorisation"), upload_to="proxies/%Y/%m/", blank=True)
    proxy_authorisation_type = models.CharField(_("type of the proxy authorisation"), max_length=100, blank=True)
    receipt_code = models.CharField(_("receipt code"), max_length=12)
    version = models.PositiveSmallIntegerField(_("version"), default=1)

    scope_path = "vote__estate__path"

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        ordering = ["vote", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["vote", "elector"], name="ballot_one_per_owner_per_vote"),
            models.UniqueConstraint(fields=["vote", "receipt_code"], name="ballot_receipt_unique"),
            models.CheckConstraint(condition=~Q(channel="paper") | ~Q(clerk_name=""), name="ballot_paper_has_clerk"),
            models.CheckConstraint(condition=~Q(channel="proxy") | ~Q(proxy_name=""), name="ballot_proxy_named"),
        ]

    def __str__(self) -> str:
        return self.receipt_code


class BallotVersion(models.Model):
    """Every version of a ballot, kept for the record (Art. 280)."""

    ballot = models.ForeignKey(Ballot, on_delete=models.PROTECT, related_name="versions")
    version = models.PositiveSmallIntegerField()
    choice = models.CharField(max_length=8, choices=Choice.choices, blank=True)
    candidates = models.JSONField(default=list, blank=True)
    channel = models.CharField(max_length=8, choices=BallotChannel.choices)
    cast_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+")
    clerk_name = models.CharField(max_length=100, blank=True)
    proxy_name = models.CharField(max_length=100, blank=True)
    recorded_at = ClockDateTimeField(auto_now_add=True)

    scope_path = "ballot__vote__estate__path"

    class Meta:
        ordering = ["ballot", "version"]
        constraints = [models.UniqueConstraint(fields=["ballot", "version"], name="ballot_version_once")]

    def __str__(self) -> str:
        return f"{self.ballot_id} v{self.version}"


class CandidateStatus(models.TextChoices):
    REGISTERED = "registered", _("registered")
    APPROVED = "approved", _("qualified")
    REJECTED = "rejected", _("not qualified")


# Conditions for an owners' committee member (national guideline 2009, Art. 31), checked one by one.
CANDIDATE_CONDITIONS = {
    "is_owner": _("is an owner in this estate"),
    "law_abiding": _("abides by laws, regulations and the covenant"),
    "no_arrears": _("owes no property fees or maintenance fund"),
    "capable": _("has the time, health and ability to serve"),
    "no_conflict": _("neither they nor close relatives work for the property-service company"),
    "no_record": _("has no criminal record"),
}


class Candidate(TimeStampedModel):
    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="candidates")
    person = models.ForeignKey("core.Person", verbose_name=_("candidate"), on_delete=models.PROTECT,
                               related_name="candidacies")
    statement = models.TextField(_("statement"), blank=True)
    conditions = models.JSONField(_("conditions checked"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=CandidateStatus.choices,
                              default=CandidateStatus.REGISTERED)
    rejection_reason = models.CharField(_("reason"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(_("order on the ballot"), default=0)

    scope_path = "vote__estate__path"

    class Meta:
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        ordering = ["vote", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["vote", "person"], name="candidate_once_per_election")]

    def __str__(self) -> str:
        return str(self.person)


class PreparatoryRole(models.TextChoices):
    LEADER = "leader", _("leader (street office)")
    OWNER = "owner", _("owner representative")
    DEVELOPER = "developer", _("developer")
    RESIDENTS_COMMITTEE = "residents_committee", _("residents' committee")
    OTHER = "other", _("other")


class PreparatoryMember(models.Model):
    """A member of the preparatory group (筹备组) that organises an election."""

    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="preparatory_members")
    name = models.CharField(_("name"), max_length=100)
    person = models.ForeignKey("core.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("role"), max_length=24, choices=PreparatoryRole.choices)

    scope_path = "vote__estate__path"

    class Meta:
        verbose_name = _("preparatory group member")
        verbose_name_plural = _("preparatory group members")
        ordering = ["vote", "pk"]

    def __str__(self) -> str:
        return self.name
