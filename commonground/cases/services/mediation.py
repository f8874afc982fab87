"""Mediation records of dispute cases: parties, sessions, outcome, signed agreement."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from commonground.core import clock
from commonground.core.models import User
from commonground.core.permissions import require
from commonground.core.uploads import validate_upload

from ..models import CLOCK_STAGES, Case, Mediation, MediationOutcome, MediationSession
from .events import expect_stage, locked, log_event


def _editable(case: Case, actor: User) -> Case:
    current = locked(case)
    require(actor, "case.handle", current)
    if not current.category.is_dispute:
        raise ValidationError(_("Only dispute cases carry a mediation record."))
    expect_stage(current, *CLOCK_STAGES, action=_("mediated"))
    return current


@transaction.atomic
def mediation_open(*, case: Case, actor: User, parties: list[str]) -> Mediation:
    current = _editable(case, actor)
    parties = [p.strip() for p in parties if p and p.strip()]
    if len(parties) < 2:
        raise ValidationError({"parties": _("Name at least two parties.")})
    mediation, _created = Mediation.objects.update_or_create(
        case=current, defaults={"parties": parties, "mediator": actor})
    log_event(case=current, actor=actor, action="mediation_opened", from_stage=current.stage,
              to_stage=current.stage, data={"parties": parties})
    return mediation


@transaction.atomic
def mediation_session_add(*, case: Case, actor: User, held_on: datetime.date, venue: str, attendees: str,
                          summary: str) -> MediationSession:
    current = _editable(case, actor)
    mediation = Mediation.objects.filter(case=current).first()
    if mediation is None:
        raise ValidationError(_("Open the mediation record (name the parties) first."))
    if held_on > clock.today():
        raise ValidationError({"held_on": _("A session is recorded after it was held.")})
    if not (venue.strip() and attendees.strip() and summary.strip()):
        raise ValidationError(_("Give the place, the attendees and a summary of the session."))
    session = MediationSession.objects.create(mediation=mediation, held_on=held_on, venue=venue.strip(),
                                              attendees=attendees.strip(), summary=summary.strip())
    log_event(case=current, actor=actor, action="mediation_session", from_stage=current.stage,
              to_stage=current.stage, note=summary.strip(), data={"held_on": held_on.isoformat()})
    return session


@transaction.atomic
def mediation_conclude(*, case: Case, actor: User, outcome: str, agreement_text: str = "", referred_to: str = "",
                       signed_agreement: UploadedFile | None = None) -> Mediation:
    current = _editable(case, actor)
    mediation = Mediation.objects.filter(case=current).first()
    if mediation is None or not mediation.sessions.exists():
        raise ValidationError(_("Record at least one mediation session before the outcome."))
    if outcome == MediationOutcome.AGREEMENT and not agreement_text.strip():
        raise ValidationError({"agreement_text": _("Write down what the parties agreed.")})
    if outcome == MediationOutcome.FAILED and not referred_to.strip():
        raise ValidationError({"referred_to": _("Say where the dispute was referred.")})
    if outcome not in (MediationOutcome.AGREEMENT, MediationOutcome.FAILED):
        raise ValidationError({"outcome": _("Choose agreement or failed.")})
    if signed_agreement is not None:
        stored = validate_upload(signed_agreement, field="signed_agreement")
        mediation.signed_agreement, mediation.signed_agreement_type = stored.file, stored.content_type
    mediation.outcome, mediation.agreement_text, mediation.referred_to = outcome, agreement_text.strip(), referred_to.strip()
    mediation.concluded_at = clock.now()
    mediation.save()
    log_event(case=current, actor=actor, action="mediation_concluded", from_stage=current.stage,
              to_stage=current.stage, note=agreement_text.strip() or referred_to.strip(), data={"outcome": outcome})
    return mediation
