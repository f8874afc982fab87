"""Conditional agreements (附条件协议): drawn from a household's offer under the published rule set, signed by
every co-owner, numbered in signing order, and switched as a whole by the project's effect threshold.

RULES §3 (Hangzhou, from 2019-05-06): the agreements take effect only if the signing ratio fixed in the plan (at
least 80%) is reached within the signing period; otherwise none takes effect and the decision lapses.
`agreements_decide` is that switch: the moment a signature reaches the threshold (it runs inside
`agreement_sign`), and at the end of the period from the periodic task (`renewal.decide_agreements`, or
`commonground tick` without a broker).

Every write that touches the project's count locks the project row first (sign, cancel, decide), so signing
numbers are gapless and unique and the switch sees a settled count. Numbers are never given twice: a cancelled
agreement keeps its number, and the next is one above the highest ever given in the project.
"""

from __future__ import annotations

import copy
import datetime

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from commonground.core import clock
from commonground.core.models import Person, User
from commonground.core.permissions import can
from commonground.core.services import permit
from commonground.core.uploads import validate_upload

from ..models import (
    Agreement,
    AgreementsState,
    AgreementStatus,
    Household,
    Offer,
    OptionKind,
    Project,
    RuleSetStatus,
    Signature,
)
from ..rules import needed
from .rulesets import offers_compute

BEFORE_EFFECT = (AgreementStatus.SIGNING, AgreementStatus.SIGNED)


def signing_open(project: Project, day: datetime.date | None = None) -> bool:
    """Is `day` (today) inside the project's signing period, with the agreements not lapsed?"""
    day = day or clock.today()
    return bool(project.signing_from and project.signing_until and project.signing_from <= day <= project.signing_until
                and project.agreements_state != AgreementsState.LAPSED)


def require_signing_open(project: Project, field: str) -> None:
    if project.agreements_state == AgreementsState.LAPSED:
        raise ValidationError({field: _("The agreements of this project have lapsed: the signing threshold was not "
                                        "reached in the signing period.")})
    if not (project.signing_from and project.signing_until):
        raise ValidationError({field: _("The project has no signing period yet.")})
    if not signing_open(project):
        raise ValidationError({field: _("Agreements are signed from %(start)s to %(end)s only.") % {
            "start": f"{project.signing_from:%Y-%m-%d}", "end": f"{project.signing_until:%Y-%m-%d}"}})


def lock_project(pk: int) -> Project:
    """The project row, locked: every write that changes its signed count or signing numbers holds it first."""
    return Project.objects.select_for_update().get(pk=pk)


def standing_agreement(household: Household) -> Agreement | None:
    """The household's agreement that is not cancelled (at most one: a constraint)."""
    return household.agreements.exclude(status=AgreementStatus.CANCELLED).first()


def agreement_allowed_actions(actor: User, household: Household, agreement: Agreement | None) -> set[str]:
    """What the household's agreement section offers `actor` now: "draw", "sign", "scan", "cancel" (the services
    check again)."""
    if not can(actor, "renewal.sign", household):
        return set()
    actions = set()
    if agreement is None:
        if signing_open(household.project):
            actions.add("draw")
        return actions
    if agreement.status == AgreementStatus.SIGNING and signing_open(household.project):
        actions.add("sign")
    if agreement.status in (AgreementStatus.SIGNED, AgreementStatus.EFFECTIVE):
        actions.add("scan")
    if agreement.status in BEFORE_EFFECT:
        actions.add("cancel")
    return actions


@transaction.atomic
def agreement_draw(*, actor: User, household: Household, option: str) -> Agreement:
    """Draw the household's agreement for `option` from its offer under the project's published rule set, computed
    for today: the total, every line with its clause and the entitled area are copied in and never change. Refused when the
    household already has a standing agreement, has no such offer, or the signing period is not open.
    `actor` may "renewal.sign" the household."""
    permit(actor, "renewal.sign", household)
    lock_project(household.project_id)  # a rule set published meanwhile waits, or is seen whole
    household = Household.objects.select_for_update().select_related("project").get(pk=household.pk)
    project = household.project
    require_signing_open(project, "option")
    if option not in OptionKind.values:
        raise ValidationError({"option": _("Choose one of the options of the rule set.")})
    if standing_agreement(household) is not None:
        raise ValidationError({"option": _("This household already has an agreement; cancel it before drawing "
                                           "another.")})
    offers_compute(actor=None, household=household)  # the figures for today: a dated incentive may have passed
    offer = (Offer.objects.filter(household=household, option=option, rule_set__project=project,
                                  rule_set__status=RuleSetStatus.PUBLISHED)
             .select_related("rule_set").first())
    if offer is None:
        raise ValidationError({"option": _("The published rule set gives this household no such option.")})
    return Agreement.objects.create(
        household=household, rule_set=offer.rule_set, option=offer.option, total=offer.total,
        lines=copy.deepcopy(offer.lines), entitled_area_m2=offer.entitled_area_m2, drawn_by=actor)


@transaction.atomic
def agreement_sign(*, actor: User, agreement: Agreement, person: Person, witness: str = "") -> Agreement:
    """Record `person`'s signature (an owner of the flat, once each). When the last co-owner has signed, the
    agreement is signed: it gets the project's next signing number, the household its signing time and number,
    and the switch runs, so the agreements take effect at the signature that reaches the threshold; signed after
    that, it is in effect at once. `actor` records the signature and may "renewal.sign" the household."""
    permit(actor, "renewal.sign", agreement.household)
    project = lock_project(agreement.household.project_id)
    agreement = Agreement.objects.select_for_update(of=("self",)).select_related("household").get(pk=agreement.pk)
    household = agreement.household
    witness = witness.strip()
    if len(witness) > 100:
        raise ValidationError({"witness": _("The witness's name is too long.")})
    if agreement.status != AgreementStatus.SIGNING:
        raise ValidationError({"person": _("This agreement is not waiting for signatures.")})
    require_signing_open(project, "person")
    owners = set(household.owners.values_list("pk", flat=True))
    if person.pk not in owners:
        raise ValidationError({"person": _("Only an owner of this flat signs its agreement.")})
    if agreement.signatures.filter(person=person).exists():
        raise ValidationError({"person": _("%(name)s has already signed this agreement.") % {"name": person.name}})
    now = clock.now()
    Signature.objects.create(agreement=agreement, person=person, signed_at=now, witness=witness, recorded_by=actor)
    if witness:
        agreement.witness = witness
    if set(agreement.signatures.values_list("person_id", flat=True)) >= owners:
        highest = Agreement.objects.filter(household__project=project).aggregate(top=Max("sequence"))["top"]
        agreement.sequence = (highest or 0) + 1
        agreement.signed_at = now
        agreement.status = (AgreementStatus.EFFECTIVE if project.agreements_state == AgreementsState.EFFECTIVE
                            else AgreementStatus.SIGNED)
        agreement.save()
        household.signed_at, household.sequence = now, agreement.sequence
        household.save(update_fields=["signed_at", "sequence", "updated_at"])
        agreements_decide(project=project)
        agreement.refresh_from_db()
    else:
        agreement.save()
    return agreement


@transaction.atomic
def agreement_scan_attach(*, actor: User, agreement: Agreement, scan: UploadedFile) -> Agreement:
    """Attach the scan of the signed paper (an image or a PDF, through the one upload path); a new scan replaces
    the old one, whose version stays in the history. `actor` may "renewal.sign" the household."""
    permit(actor, "renewal.sign", agreement.household)
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if agreement.status not in (AgreementStatus.SIGNED, AgreementStatus.EFFECTIVE):
        raise ValidationError({"scan": _("Attach the scan once every owner has signed.")})
    stored = validate_upload(scan, field="scan")
    agreement.scan.save(stored.file.name, stored.file, save=False)
    agreement.scan_type = stored.content_type
    agreement.save()
    return agreement


@transaction.atomic
def agreement_cancel(*, actor: User, agreement: Agreement, reason: str) -> Agreement:
    """Cancel an agreement before it takes effect (being signed or signed, conditional), with the reason; its
    history stays. A signed one gives up the household's signing time and number (the number is not given
    again). `actor` may "renewal.sign" the household."""
    permit(actor, "renewal.sign", agreement.household)
    lock_project(agreement.household.project_id)  # the switch never counts a half-cancelled agreement
    agreement = Agreement.objects.select_for_update(of=("self",)).select_related("household").get(pk=agreement.pk)
    reason = reason.strip()
    if agreement.status not in BEFORE_EFFECT:
        raise ValidationError({"reason": _("Only an agreement not yet in effect can be cancelled.")})
    if not reason:
        raise ValidationError({"reason": _("Say why the agreement is cancelled.")})
    if len(reason) > 300:
        raise ValidationError({"reason": _("Keep the reason under 300 characters.")})
    was_signed = agreement.status == AgreementStatus.SIGNED
    agreement.status = AgreementStatus.CANCELLED
    agreement.cancelled_at = clock.now()
    agreement.cancel_reason = reason
    agreement.save()
    household = agreement.household
    if was_signed and household.sequence == agreement.sequence:
        household.signed_at, household.sequence = None, None
        household.save(update_fields=["signed_at", "sequence", "updated_at"])
    return agreement


def period_end(project: Project) -> datetime.datetime:
    """The moment the signing period ends: midnight (local) after its last day."""
    after = project.signing_until + datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(after, datetime.time()))


@transaction.atomic
def agreements_decide(*, project: Project) -> str:
    """The switch (run by the system, no actor): within the signing period, once the signed households reach
    the threshold (`needed(households, effect_threshold)`), the project's agreements take effect, every signed
    one with them; after the period, without the threshold reached in it, they lapse, every signed one with them
    (RULES §3: "otherwise none takes effect and the decision lapses"). Idempotent; returns the state."""
    project = lock_project(project.pk)
    if project.agreements_state != AgreementsState.PENDING or not (project.signing_from and project.signing_until):
        return project.agreements_state
    today = clock.today()
    if today < project.signing_from:
        return project.agreements_state
    households = Household.objects.filter(project=project)
    total = households.count()
    if not total:
        return project.agreements_state
    threshold = needed(total, project.effect_threshold)
    if today <= project.signing_until:
        if households.filter(signed_at__isnull=False).count() >= threshold:
            switch(project, AgreementsState.EFFECTIVE, AgreementStatus.EFFECTIVE)
    else:
        in_time = households.filter(signed_at__isnull=False, signed_at__lt=period_end(project)).count()
        if in_time >= threshold:  # reached in time, with the switch not run then
            switch(project, AgreementsState.EFFECTIVE, AgreementStatus.EFFECTIVE)
        else:
            switch(project, AgreementsState.LAPSED, AgreementStatus.LAPSED)
    return project.agreements_state


def switch(project: Project, state: str, status: str) -> None:
    now = clock.now()
    project.agreements_state, project.agreements_decided_at = state, now
    project.save(update_fields=["agreements_state", "agreements_decided_at", "updated_at"])
    signed = list(Agreement.objects.select_for_update(of=("self",)).filter(household__project=project,
                                                              status=AgreementStatus.SIGNED))
    for agreement in signed:
        agreement.status = status
        agreement.updated_at = now
    bulk_update_with_history(signed, Agreement, ["status", "updated_at"], batch_size=500, default_date=now)


def decide_all() -> dict[int, str]:
    """Run the switch for every project still pending whose signing period has begun (the periodic job)."""
    today = clock.today()
    pending = Project.objects.filter(agreements_state=AgreementsState.PENDING, signing_from__lte=today,
                                     signing_until__isnull=False).values_list("pk", flat=True)
    return {pk: agreements_decide(project=Project(pk=pk)) for pk in pending}
