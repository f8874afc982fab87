"""Public notices (公示): frozen at publication, shown on an estate's board, printable as PDF."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from commonground.core.models import TimeStampedModel

from ..boards import boards_above_home


class NoticeKind(models.TextChoices):
    VOTE = "vote", _("notice of an owners' vote")
    RESULT = "result", _("result of an owners' vote")
    PREPARATORY_GROUP = "preparatory", _("preparatory group and election rules")
    CANDIDATES = "candidates", _("candidates")
    REPRESENTATIVES = "representatives", _("renewal representatives")
    MEETING = "meeting", _("meeting")
    OTHER = "other", _("other")


class Notice(TimeStampedModel):
    """What was posted, as posted: title, text and table never change after publication."""

    place = models.ForeignKey("core.Place", verbose_name=_("place"), on_delete=models.PROTECT, related_name="notices")
    kind = models.CharField(_("kind"), max_length=16, choices=NoticeKind.choices)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    table = models.JSONField(_("table"), default=list, blank=True, help_text=_("first row is the header"))
    posted_on = models.DateField(_("posted on"))
    ends_on = models.DateField(_("posted until"), null=True, blank=True)
    vote = models.ForeignKey("deliberation.Vote", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="notices")
    meeting = models.ForeignKey("deliberation.Meeting", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="notices")
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("published by"))
    issuer = models.CharField(_("issued by"), max_length=200, blank=True,
                              help_text=_("the committee or organisation in whose name it is posted"))
    public = models.BooleanField(_("public"), default=False,
                                 help_text=_("readable by anyone, without logging in, on the place's public board"))

    scope_path = "place__path"

    class Meta:
        verbose_name = _("public notice")
        verbose_name_plural = _("public notices")
        ordering = ["-posted_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("posted_on")),
                                   name="notice_period_ordered"),
        ]
        indexes = [models.Index(fields=["place", "-posted_on"], condition=Q(public=True), name="notice_public_board")]

    def __str__(self) -> str:
        return self.title

    @property
    def issued_by(self) -> str:
        """Whose name the notice is posted under (notices from before the field: the place's name)."""
        return self.issuer or self.place.name

    @classmethod
    def own_q(cls, user, action: str) -> Q | None:
        """A resident sees the boards above their home (`boards_above_home`); an owner on a vote's register sees
        that vote's notices, whatever their roles."""
        if action != "notice.view":
            return None
        boards = boards_above_home(user, action)
        condition = Q(place_id__in=boards) if boards else None
        if getattr(user, "person_id", None):
            from .votes import ElectorMember

            voters = Q(vote__in=ElectorMember.objects.filter(person_id=user.person_id).values("elector__vote"))
            condition = voters if condition is None else condition | voters
        return condition

    def is_own(self, user, action: str) -> bool:
        from .votes import ElectorMember

        if action != "notice.view":
            return False
        if self.place_id in boards_above_home(user, action):
            return True
        return bool(self.vote_id) and bool(getattr(user, "person_id", None)) and \
            ElectorMember.objects.filter(elector__vote_id=self.vote_id, person_id=user.person_id).exists()
