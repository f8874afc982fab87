"""The consent survey (意愿征询): each household answers once within the survey period (all co-owners, or one of
them with the others' written authorisation); after it closes the result is published as a notice on the estate's
board, its figures frozen (RULES §3: the threshold is the project's own; the 2018 survey at 浙工新村 failed under
90%)."""

from __future__ import annotations

import datetime
from decimal import ROUND_DOWN, Decimal

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from commonground.core import clock
from commonground.core.models import User
from commonground.core.services import permit
from commonground.deliberation.models import Notice, NoticeKind
from commonground.deliberation.services._common import stored_upload
from commonground.deliberation.services.notices import notice_publish

from ..field_selectors import consent_by_building, consent_standing
from ..models import ConsentAnswer, Household, Project
from ..models.visits import Consent, ConsentResult


def survey_state(project: Project, day: datetime.date) -> str:
    """"none" (no survey period set), "before", "open" or "closed" on `day`."""
    if not project.survey_from or not project.survey_until:
        return "none"
    if day < project.survey_from:
        return "before"
    if day > project.survey_until:
        return "closed"
    return "open"


@transaction.atomic
def consent_record(
    *, actor: User, household: Household, answer: str, answered_on: datetime.date,
    by_all_owners: bool = True, authorisation: UploadedFile | None = None,
) -> Consent:
    """The household's one answer to the consent survey, given within the survey period and not after the result
    was published. When not every co-owner answers, the others' authorisation (a scan: image or PDF, through the
    one upload path) is required. Sets the household's `consent`. `actor` may "renewal.visit" the household."""
    permit(actor, "renewal.visit", household)
    household = Household.objects.select_for_update().select_related("project").get(pk=household.pk)
    project = household.project
    errors: dict[str, str] = {}
    if Consent.objects.filter(household=household).exists() or household.consent:
        raise ValidationError({"answer": _("This household has already answered the consent survey; an answer is "
                                           "given once.")})
    if ConsentResult.objects.filter(project=project).exists():
        raise ValidationError({"answered_on": _("The survey's result has been published; no answer is taken after "
                                                "it.")})
    if answer not in ConsentAnswer.values:
        errors["answer"] = _("Choose agree or disagree.")
    if answered_on is None:
        errors["answered_on"] = _("Give the day of the answer.")
    elif survey_state(project, answered_on) == "none":
        errors["answered_on"] = _("This project has no consent survey period.")
    elif survey_state(project, answered_on) != "open":
        errors["answered_on"] = _("Answers are taken from %(start)s to %(end)s.") % {
            "start": project.survey_from.isoformat(), "end": project.survey_until.isoformat()}
    elif answered_on > clock.today():
        errors["answered_on"] = _("An answer cannot be dated in the future.")
    stored = None
    if not by_all_owners and authorisation is None:
        errors["authorisation"] = _("When not every co-owner answers, attach the others' authorisation (a scan: "
                                    "image or PDF).")
    elif authorisation is not None:
        try:
            stored = stored_upload(authorisation, "authorisation", required=False)
        except ValidationError as error:
            errors.update({key: " ".join(messages) for key, messages in error.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    consent = Consent(household=household, answer=answer, answered_on=answered_on, by_all_owners=by_all_owners,
                      recorded_by=actor)
    if stored is not None:
        consent.authorisation, consent.authorisation_type = stored.file, stored.content_type
    consent.save()
    household.consent = answer
    household.save(update_fields=["consent", "updated_at"])
    return consent


@transaction.atomic
def consent_publish(*, actor: User, project: Project) -> Notice:
    """Publish the survey's result once it has closed: answered, agree, the rate against the project's threshold
    and whether it passed, as a public notice on the estate's board; the figures are frozen with it.
    `actor` may "renewal.manage" the project."""
    permit(actor, "renewal.manage", project)
    project = Project.objects.select_for_update().select_related("estate").get(pk=project.pk)
    today = clock.today()
    state = survey_state(project, today)
    if state == "none":
        raise ValidationError({"project": _("This project has no consent survey period.")})
    if state != "closed":
        raise ValidationError({"project": _("The result is published after the survey closes (%(day)s).") % {
            "day": project.survey_until.isoformat()}})
    if ConsentResult.objects.filter(project=project).exists():
        raise ValidationError({"project": _("The survey's result has already been published.")})
    standing = consent_standing(project)
    verdict = _("The survey has passed.") if standing.passed else _("The survey has not passed.")
    lines = [
        _("Consent survey of %(project)s, %(start)s to %(end)s.") % {
            "project": project.name, "start": project.survey_from.isoformat(),
            "end": project.survey_until.isoformat()},
        _("Households: %(total)d; answered: %(answered)d; agree: %(agree)d; disagree: %(disagree)d.") % {
            "total": standing.households, "answered": standing.answered, "agree": standing.agree,
            "disagree": standing.disagree},
        _("Consent rate: %(agree)d of %(total)d households (%(rate)s); the threshold is %(threshold)s, "
          "%(needed)d households.") % {
            "agree": standing.agree, "total": standing.households, "rate": percent(standing.rate),
            "threshold": percent(project.consent_threshold), "needed": standing.needed},
        verdict,
    ]
    table = [[_("Building"), _("Households"), _("Answered"), _("Agree"), _("Disagree")]] + [
        [row.name, str(row.households), str(row.answered), str(row.agree), str(row.disagree)]
        for row in consent_by_building(project)]
    notice = notice_publish(
        actor=actor, place=project.estate, kind=NoticeKind.OTHER,
        title=_("Result of the consent survey: %(project)s") % {"project": project.name},
        body="\n\n".join(lines), table=table, posted_on=today, public=True)
    ConsentResult.objects.create(project=project, households=standing.households, answered=standing.answered,
                                 agree=standing.agree, needed=standing.needed, passed=standing.passed,
                                 published_on=today, notice=notice, published_by=actor)
    return notice


def percent(fraction: Decimal) -> str:
    """0.9050 → "90.5%" (cut at two places, never rounded up to a threshold it misses; trailing zeros dropped)."""
    text = f"{(fraction * 100).quantize(Decimal('0.01'), rounding=ROUND_DOWN)}"
    return (text.rstrip("0").rstrip(".") if "." in text else text) + "%"
