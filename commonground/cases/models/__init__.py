"""The case engine (事项): categories, cases, their append-only event log, mediation, notifications."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from commonground.core.models import PlaceKind, TimeStampedModel
from commonground.core.models.base import ClockDateTimeField, PortableIndex, literal_in
from commonground.core.models.places import within_q


class Level(models.TextChoices):
    """Handling levels of the escalation ladder, lowest first ("small matters stay in the building")."""

    BUILDING = PlaceKind.BUILDING, _("building")
    ESTATE = PlaceKind.ESTATE, _("estate")
    COMMUNITY = PlaceKind.COMMUNITY, _("community")
    STREET = PlaceKind.STREET, _("street")
    DISTRICT = PlaceKind.DISTRICT, _("district")


LADDER = [Level.BUILDING, Level.ESTATE, Level.COMMUNITY, Level.STREET, Level.DISTRICT]


class CaseKind(models.TextChoices):
    COMPONENT = "component", _("component (部件)")
    EVENT = "event", _("event (事件)")


class ReporterKind(models.TextChoices):
    RESIDENT = "resident", _("residents")
    ENTERPRISE = "enterprise", _("enterprises")
    STAFF = "staff", _("staff")
    PUBLIC = "public", _("anyone (Open311)")


class Category(TimeStampedModel):
    code = models.SlugField(_("service code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children",
                               verbose_name=_("parent category"))
    kind = models.CharField(_("kind"), max_length=16, choices=CaseKind.choices, default=CaseKind.EVENT)
    default_level = models.CharField(_("default handling level"), max_length=16, choices=Level.choices,
                                     default=Level.COMMUNITY)
    sla_hours = models.DecimalField(_("time limit (working hours)"), max_digits=7, decimal_places=2, default=24)
    is_dispute = models.BooleanField(_("is a dispute (needs mediation)"), default=False)
    handler_kind = models.CharField(_("handled by (organisation kind)"), max_length=32, blank=True)
    open_to = models.JSONField(_("open to reporters"), default=list, blank=True)
    description = models.TextField(_("description"), blank=True)
    keywords = models.CharField(_("keywords"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("case category")
        verbose_name_plural = _("case categories")
        ordering = ["code"]
        constraints = [models.CheckConstraint(condition=Q(sla_hours__gt=0), name="category_sla_positive")]

    def __str__(self) -> str:
        return self.name


class QuestionType(models.TextChoices):
    TEXT = "text", _("text")
    NUMBER = "number", _("number")
    CHOICE = "choice", _("choice")
    BOOLEAN = "boolean", _("yes / no")
    DATE = "date", _("date")


class CategoryQuestion(TimeStampedModel):
    """An extra question asked when reporting a case of this category (an Open311 attribute)."""

    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="questions")
    key = models.SlugField(_("key"), max_length=64)
    label = models.CharField(_("question"), max_length=200)
    type = models.CharField(_("type"), max_length=16, choices=QuestionType.choices, default=QuestionType.TEXT)
    required = models.BooleanField(_("required"), default=False)
    choices = models.JSONField(_("choices"), default=list, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("category question")
        verbose_name_plural = _("category questions")
        ordering = ["category", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["category", "key"], name="category_question_key_once")]

    def __str__(self) -> str:
        return self.label


class Stage(models.TextChoices):
    COLLECT = "collect", _("collected")
    CREATE = "create", _("accepted (立案)")
    DISPATCH = "dispatch", _("dispatched")
    HANDLE = "handle", _("being handled")
    FEEDBACK = "feedback", _("handler reports done")
    CLOSED = "closed", _("verified and closed")
    EVALUATED = "evaluated", _("evaluated")
    REJECTED = "rejected", _("not accepted")
    MERGED = "merged", _("merged into another case")


OWN_CASE_ACTIONS = {"case.view", "case.rate"}
OPEN_STAGES = [Stage.COLLECT, Stage.CREATE, Stage.DISPATCH, Stage.HANDLE, Stage.FEEDBACK]
CLOSED_STAGES = [Stage.CLOSED, Stage.EVALUATED]
CLOCK_STAGES = [Stage.DISPATCH, Stage.HANDLE, Stage.FEEDBACK]


class Channel(models.TextChoices):
    WEB = "web", _("web")
    STAFF = "staff", _("staff on the spot")
    PHONE = "phone", _("phone call")
    API = "api", _("API")
    OPEN311 = "open311", _("Open311")
    COCKPIT = "cockpit", _("cockpit warning")
    MEETING = "meeting", _("meeting resolution")


class CaseQuerySet(models.QuerySet["Case"]):
    def open(self) -> CaseQuerySet:
        return self.filter(literal_in("stage", OPEN_STAGES))  # as the partial indexes of open cases say it

    def within(self, place) -> CaseQuerySet:
        return self.filter(within_q("place_path", [place.path]))

    def overdue(self) -> CaseQuerySet:
        return self.filter(is_overdue=True)


class Case(TimeStampedModel):
    number = models.CharField(_("number"), max_length=20, unique=True)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="cases", verbose_name=_("category"))
    description = models.TextField(_("description"))
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    place = models.ForeignKey("core.Place", on_delete=models.PROTECT, related_name="cases", verbose_name=_("place"))
    # The scope, copied from the place so that scoped reads need no join (README, "Scoped tables"): its path,
    # and the paths of its street and community for the queues' equality filters.
    place_path = models.CharField(max_length=255, editable=False)
    street_path = models.CharField(max_length=255, editable=False)
    unit_path = models.CharField(max_length=255, editable=False)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices, default=Channel.WEB)
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="reported_cases", verbose_name=_("reporter"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="recorded_cases", verbose_name=_("recorded by"))
    contact_name = models.CharField(_("contact name"), max_length=100, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)

    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices, default=Stage.COLLECT, db_index=True)
    level = models.CharField(_("handling level"), max_length=16, choices=Level.choices, blank=True)
    handling_place = models.ForeignKey("core.Place", null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="handled_cases", verbose_name=_("handling place"))
    handling_path = models.CharField(max_length=255, blank=True, editable=False)
    handler = models.ForeignKey("core.Organisation", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="handled_cases", verbose_name=_("handling organisation"))
    dispatched_at = models.DateTimeField(_("dispatched at"), null=True, blank=True)
    deadline = models.DateTimeField(_("deadline"), null=True, blank=True, db_index=True)
    warned_at = models.DateTimeField(_("deadline warning sent at"), null=True, blank=True)
    is_overdue = models.BooleanField(_("overdue"), default=False)
    escalations = models.PositiveSmallIntegerField(_("escalations"), default=0)
    reopenings = models.PositiveSmallIntegerField(_("reopenings"), default=0)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_level = models.CharField(_("closed at level"), max_length=16, choices=Level.choices, blank=True)
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="merged_cases", verbose_name=_("merged into"))

    objects = CaseQuerySet.as_manager()
    scope_path = "place_path"
    # Handling follows the case up the ladder: only those whose scope holds the handling place act on it.
    scope_paths_by_action = {"case.handle": "handling_path"}
    place_path_fields = ("place_path", "handling_path")  # rewritten by place_move
    scope_prefixes = {"street_path": 2, "unit_path": 3}  # the first segments of place_path, kept by place_move

    @classmethod
    def own_q(cls, user, action: str) -> Q | None:
        """Reporters see their own cases and rate them."""
        if action in OWN_CASE_ACTIONS and getattr(user, "pk", None):
            return Q(reporter_id=user.pk)
        return None

    def is_own(self, user, action: str) -> bool:
        return action in OWN_CASE_ACTIONS and self.reporter_id is not None and self.reporter_id == user.pk

    @property
    def outcome_case(self) -> Case:
        """Merged cases share the outcome of the case they were merged into."""
        return self.merged_into if self.merged_into_id else self

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["stage", "deadline"], name="case_stage_deadline"),
            models.Index(fields=["category", "stage", "created_at"], name="case_category_stage"),
            models.Index(fields=["place_path", "created_at"], name="case_scope_created"),
            models.Index(fields=["created_at"], name="case_created"),
            models.Index(fields=["closed_at"], name="case_closed"),
            # the queues: every open case of a scope, in the order the queue lists them
            PortableIndex(F("street_path"), F("deadline").asc(nulls_first=True), F("created_at").desc(), F("id"),
                          condition=Q(stage__in=OPEN_STAGES), name="case_open_street"),
            PortableIndex(F("unit_path"), F("deadline").asc(nulls_first=True), F("created_at").desc(), F("id"),
                          condition=Q(stage__in=OPEN_STAGES), name="case_open_unit"),
            models.Index(fields=["handling_place"], condition=Q(stage__in=OPEN_STAGES), name="case_open_handling"),
            PortableIndex(F("deadline").asc(nulls_first=True), F("created_at").desc(), F("id"),
                          condition=Q(stage__in=OPEN_STAGES), name="case_open_order"),
            PortableIndex(F("deadline").asc(nulls_first=True), F("created_at").desc(), F("id"),
                          name="case_queue_order"),
            PortableIndex(F("street_path"), F("deadline").asc(nulls_first=True), F("created_at").desc(), F("id"),
                          name="case_street_queue"),
            PortableIndex(F("unit_path"), F("deadline").asc(nulls_first=True), F("created_at").desc(), F("id"),
                          name="case_unit_queue"),
            models.Index(fields=["category", "closed_at"], name="case_category_closed"),  # disputes resolved
        ]
        constraints = [
            models.CheckConstraint(condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                                   name="case_rating_1_to_5"),
            models.CheckConstraint(condition=~Q(merged_into=models.F("pk")), name="case_not_merged_into_itself"),
            # a pin is both coordinates, each in range, or none (a lone or overflowing one took the feeds down)
            models.CheckConstraint(condition=Q(latitude__isnull=True, longitude__isnull=True)
                                   | Q(latitude__isnull=False, longitude__isnull=False, latitude__gte=-90,
                                       latitude__lte=90, longitude__gte=-180, longitude__lte=180),
                                   name="case_pin_whole_and_in_range"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.category}"


# What each logged action reads as on the timeline.
EVENT_LABELS = {
    "reported": _("reported"), "accepted": _("accepted (立案)"), "rejected": _("not accepted"),
    "dispatched": _("dispatched"), "note": _("progress noted"), "feedback": _("reported done"),
    "closed": _("verified and closed"), "sent_back": _("sent back to the handler"), "rated": _("rated"),
    "reopened": _("reopened"), "escalated": _("escalated"), "overdue": _("marked overdue"),
    "extension_requested": _("more time requested"), "extension_approved": _("extension approved"),
    "extension_refused": _("extension refused"), "merged": _("merged into another case"),
    "merged_in": _("a repeat report was merged in"), "mediation_opened": _("mediation record opened"),
    "mediation_session": _("mediation session held"), "mediation_concluded": _("mediation concluded"),
}


# An escalation names the level it went to ("上报至街道").
ESCALATED_TO = {
    Level.BUILDING: _("escalated to the building"), Level.ESTATE: _("escalated to the estate"),
    Level.COMMUNITY: _("escalated to the community"), Level.STREET: _("escalated to the street"),
    Level.DISTRICT: _("escalated to the district"),
}


class CaseEvent(models.Model):
    """One line of a case's append-only log: who did what, when, from which stage to which."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField(_("at"), db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="case_events", verbose_name=_("actor"))
    action = models.CharField(_("action"), max_length=32)
    from_stage = models.CharField(_("from stage"), max_length=16, choices=Stage.choices, blank=True)
    to_stage = models.CharField(_("to stage"), max_length=16, choices=Stage.choices, blank=True)
    note = models.TextField(_("note"), blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["case", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.action} {self.at:%Y-%m-%d %H:%M}"

    def get_action_display(self) -> str:
        """What the logged action reads as on the timeline (an escalation with the level it went to)."""
        if self.action == "escalated" and (self.data or {}).get("level") in ESCALATED_TO:
            return str(ESCALATED_TO[self.data["level"]])
        return str(EVENT_LABELS.get(self.action, self.action))

    get_action_display.short_description = _("action")  # type: ignore[attr-defined]  (the admin's column)


class CaseAttachment(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="attachments")
    event = models.ForeignKey(CaseEvent, null=True, blank=True, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(_("file"), upload_to="cases/%Y/%m/", blank=True)
    url = models.URLField(_("media URL"), blank=True)
    content_type = models.CharField(_("type"), max_length=100, blank=True)
    size = models.PositiveIntegerField(_("size (bytes)"), default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    uploaded_at = ClockDateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["case", "uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.file.name or self.url

    def file_path(self) -> str:
        """Where an uploaded file is served: behind the case's permission check, with its stored type."""
        return reverse("cases:attachment", args=[self.case.number, self.pk])


class ExtensionStatus(models.TextChoices):
    PENDING = "pending", _("pending")
    APPROVED = "approved", _("approved")
    REFUSED = "refused", _("refused")


class ExtensionRequest(TimeStampedModel):
    """A handler's request, made before the deadline, for more working hours; decided one level up."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="extension_requests")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    hours = models.DecimalField(_("extra working hours"), max_digits=7, decimal_places=2)
    reason = models.TextField(_("reason"))
    status = models.CharField(_("status"), max_length=16, choices=ExtensionStatus.choices,
                              default=ExtensionStatus.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("extension request")
        verbose_name_plural = _("extension requests")
        constraints = [
            models.CheckConstraint(condition=Q(hours__gt=0), name="extension_hours_positive"),
            models.UniqueConstraint(fields=["case"], condition=Q(status="pending"), name="extension_one_pending"),
        ]

    def __str__(self) -> str:
        return f"{self.case} +{self.hours}h"


class MediationOutcome(models.TextChoices):
    PENDING = "pending", _("in progress")
    AGREEMENT = "agreement", _("agreement reached")
    FAILED = "failed", _("failed, referred on")


class Mediation(TimeStampedModel):
    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="mediation")
    parties = models.JSONField(_("parties"), default=list)
    mediator = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="mediations", verbose_name=_("mediator"))
    outcome = models.CharField(_("outcome"), max_length=16, choices=MediationOutcome.choices,
                               default=MediationOutcome.PENDING)
    agreement_text = models.TextField(_("agreement"), blank=True)
    referred_to = models.CharField(_("referred to"), max_length=200, blank=True)
    signed_agreement = models.FileField(_("signed agreement"), upload_to="mediation/%Y/", blank=True)
    signed_agreement_type = models.CharField(_("type of the signed agreement"), max_length=100, blank=True)
    concluded_at = models.DateTimeField(_("concluded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("mediation")
        verbose_name_plural = _("mediations")

    def __str__(self) -> str:
        return str(self.case)


class MediationSession(TimeStampedModel):
    mediation = models.ForeignKey(Mediation, on_delete=models.PROTECT, related_name="sessions")
    held_on = models.DateField(_("date"))
    venue = models.CharField(_("place"), max_length=200)
    attendees = models.TextField(_("attendees"))
    summary = models.TextField(_("summary"))

    class Meta:
        verbose_name = _("mediation session")
        verbose_name_plural = _("mediation sessions")
        ordering = ["mediation", "held_on", "pk"]

    def __str__(self) -> str:
        return f"{self.held_on} {self.venue}"


class NotificationKind(models.TextChoices):
    ASSIGNED = "assigned", _("new assignment")
    DEADLINE = "deadline", _("deadline approaching")
    ESCALATED = "escalated", _("escalated")
    CLOSED = "closed", _("closed")
    REOPENED = "reopened", _("reopened")
    EXTENSION = "extension", _("extension request")
    TERM_ENDING = "term_ending", _("committee term ending")
    POLICY = "policy", _("policy for your enterprise")
    WARNING = "warning", _("early warning")


class Notification(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("kind"), max_length=16, choices=NotificationKind.choices)
    message = models.CharField(_("message"), max_length=300)
    created_at = ClockDateTimeField(_("created at"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("emailed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # the tick may run twice: one notification of a kind per case and user
            models.UniqueConstraint(fields=["user", "case", "kind"], condition=Q(kind="deadline"),
                                    name="notification_deadline_once"),
        ]

    def __str__(self) -> str:
        return self.message


class NotificationPreference(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="notification_preference")
    digest = models.BooleanField(_("send one daily digest instead of each notification"), default=False)
    email = models.BooleanField(_("also by email"), default=True)

    def __str__(self) -> str:
        return str(self.user)


class IdempotencyKey(models.Model):
    """A client's key for a POST, so a retried request returns the first case instead of a second one."""

    key = models.CharField(max_length=100)
    client = models.CharField(max_length=150)
    # Empty only inside the transaction that claims the key and then writes its case (case_report_once).
    case = models.ForeignKey(Case, null=True, on_delete=models.CASCADE, related_name="+")
    created_at = ClockDateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["client", "key"], name="idempotency_key_once")]

    def __str__(self) -> str:
        return self.key


class ApiClient(TimeStampedModel):
    """An Open311 client (an app, a hotline system) identified by its api_key."""

    name = models.CharField(_("name"), max_length=100)
    api_key = models.CharField(_("API key"), max_length=64, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="api_clients", verbose_name=_("acts as user"))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("API client")
        verbose_name_plural = _("API clients")

    def __str__(self) -> str:
        return self.name


# (below: they use Stage and Level)
from .tallies import TALLIES as TALLIES  # noqa: E402
from .tallies import ClosedTally as ClosedTally  # noqa: E402
from .tallies import ReportedCategoryTally as ReportedCategoryTally  # noqa: E402
from .tallies import ReportedState as ReportedState  # noqa: E402
from .tallies import ReportedTally as ReportedTally  # noqa: E402
from .tallies import StandingTally as StandingTally  # noqa: E402
from .tallies import unit_path as unit_path  # noqa: E402
