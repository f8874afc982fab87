"""The one ruler's versions: drafted, approved by another person, published; publishing recomputes every
unsigned household's options, and a household's request is checked against the rules.

Figures come only from the calculator (renewal/calculator.py): no service takes a number to put over a result.
A signed household keeps the offers of the version it signed; an unsigned one always has the published
version's.
"""

from __future__ import annotations

import datetime
import json
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Exists, Max, OuterRef
from django.utils.translation import gettext as _

from commonground.core import clock
from commonground.core.models import User
from commonground.core.permissions import can
from commonground.core.services import permit

from .. import calculator
from ..calculator import HouseholdFacts, OptionResult, RuleBroken
from ..models import Agreement, AgreementStatus, Household, Offer, Project, RuleSet, RuleSetStatus

BATCH = 2_000
CHUNK = 20_000  # offers per executemany


def project_buildings(project: Project) -> list[str]:
    """The names of the buildings the project's households live in (the rules price each of them)."""
    return sorted(set(Household.objects.filter(project=project).order_by()
                      .values_list("building__name", flat=True).distinct()))


def rules_errors(rules: Any, project: Project) -> None:
    """ValidationError({"rules": [...]}) listing every problem of `rules` for `project`, key first."""
    errors = calculator.validate_rules(rules, buildings=project_buildings(project))
    if errors:
        raise ValidationError({"rules": [f"{key}: {message}" for key, message in errors.items()]})


def ruleset_allowed_actions(actor: User, rule_set: RuleSet) -> set[str]:
    """What `actor` may do to `rule_set` now: "approve" (a draft, someone other than its drafter), "publish" (an
    approved version)."""
    actions: set[str] = set()
    if not can(actor, "renewal.approve", rule_set.project):
        return actions
    if rule_set.status == RuleSetStatus.DRAFT and actor.pk != rule_set.drafted_by_id:
        actions.add("approve")
    if rule_set.status == RuleSetStatus.APPROVED:
        actions.add("publish")
    return actions


def _locked(rule_set: RuleSet) -> RuleSet:
    return RuleSet.objects.select_for_update().select_related("project").get(pk=rule_set.pk)


@transaction.atomic
def ruleset_draft(*, actor: User | None, project: Project, rules: dict, note: str = "") -> RuleSet:
    """A new version of the project's rules (the next number), checked against the calculator's rules and the
    project's buildings. `actor` may "renewal.rules" the project."""
    permit(actor, "renewal.rules", project)
    if actor is None:
        raise ValidationError({"drafted_by": _("A rule set is drafted by a person, who answers for it.")})
    Project.objects.select_for_update().filter(pk=project.pk).first()  # one version number at a time
    rules_errors(rules, project)
    note = note.strip()
    if len(note) > 300:
        raise ValidationError({"note": _("Say what changed in at most 300 characters.")})
    last = RuleSet.objects.filter(project=project).aggregate(last=Max("version"))["last"] or 0
    return RuleSet.objects.create(project=project, version=last + 1, rules=rules, note=note, drafted_by=actor)


@transaction.atomic
def ruleset_approve(*, actor: User, rule_set: RuleSet) -> RuleSet:
    """Approve a draft: `actor` may "renewal.approve" the project and did not draft it (four eyes)."""
    permit(actor, "renewal.approve", rule_set.project)
    rule_set = _locked(rule_set)
    if rule_set.status != RuleSetStatus.DRAFT:
        raise ValidationError({"status": _("Only a draft can be approved; this version is %(status)s.") % {
            "status": rule_set.get_status_display()}})
    if actor is None or actor.pk == rule_set.drafted_by_id:
        raise ValidationError({"approved_by": _("Whoever drafted a rule set may not approve it: another person "
                                                "must.")})
    rules_errors(rule_set.rules, rule_set.project)
    rule_set.status = RuleSetStatus.APPROVED
    rule_set.approved_by = actor
    rule_set.save(update_fields=["status", "approved_by", "updated_at"])
    return rule_set


@transaction.atomic
def ruleset_publish(*, actor: User | None, rule_set: RuleSet) -> RuleSet:
    """Publish an approved version: the published one before it is superseded, and every unsigned household's
    options are recomputed under it (signed households keep the version they signed). `actor` may
    "renewal.approve" the project."""
    permit(actor, "renewal.approve", rule_set.project)
    Project.objects.select_for_update().filter(pk=rule_set.project_id).first()
    rule_set = _locked(rule_set)
    if rule_set.status != RuleSetStatus.APPROVED:
        raise ValidationError({"status": _("Only an approved version can be published; this one is %(status)s.")
                               % {"status": rule_set.get_status_display()}})
    RuleSet.objects.filter(project_id=rule_set.project_id, status=RuleSetStatus.PUBLISHED).update(
        status=RuleSetStatus.SUPERSEDED, updated_at=clock.now())
    rule_set.status = RuleSetStatus.PUBLISHED
    rule_set.published_at = clock.now()
    rule_set.save(update_fields=["status", "published_at", "updated_at"])
    withdraw_unsigned_agreements(rule_set)
    recompute_unsigned(rule_set)
    return rule_set


def withdraw_unsigned_agreements(rule_set: RuleSet) -> None:
    """Agreements drawn under an earlier version and not yet signed by every co-owner are cancelled (history
    kept): the household signs the figures of the version now published, drawn again."""
    reason = _("Rule set version %(version)s was published before every owner had signed; draw the agreement "
               "again.") % {"version": rule_set.version}
    now = clock.now()
    for agreement in Agreement.objects.filter(household__project_id=rule_set.project_id,
                                              status=AgreementStatus.SIGNING).exclude(rule_set=rule_set):
        agreement.status, agreement.cancelled_at, agreement.cancel_reason = AgreementStatus.CANCELLED, now, reason
        agreement.save(update_fields=["status", "cancelled_at", "cancel_reason", "updated_at"])


def recompute_unsigned(rule_set: RuleSet) -> int:
    """Every unsigned household's options under `rule_set`, for today: one query for the households, the
    arithmetic in Python, the offers written with one executemany per chunk; the offers of other versions go for
    the households with no agreement. Returns the number of offers written."""
    now, today = clock.now(), clock.today()
    households = (Household.objects.filter(project_id=rule_set.project_id, signed_at__isnull=True).order_by()
                  .values_list("pk", "area_m2", "floor", "building__name"))
    ruler = calculator.ruler(rule_set.rules)
    at = connection.ops.adapt_datetimefield_value(now)
    rows = []
    for pk, area, floor, building in households.iterator(chunk_size=BATCH):
        try:
            results = ruler.options(HouseholdFacts(area, floor, building, today))
        except RuleBroken as broken:
            raise ValidationError({"rules": f"{broken.clause}: {broken.message}"}) from None
        rows.extend((pk, rule_set.pk, result.option, result.total, json.dumps(result.lines_json()),
                     result.entitled_area_m2, at) for result in results)
    Offer.objects.filter(household__project_id=rule_set.project_id, household__signed_at__isnull=True).exclude(
        rule_set=rule_set).exclude(Exists(Agreement.objects.filter(household=OuterRef("household")))).delete()
    Offer.objects.filter(rule_set=rule_set, household__signed_at__isnull=True).delete()
    _insert_offers(rows)
    return len(rows)


OFFER_COLUMNS = ("household", "rule_set", "option", "total", "lines", "entitled_area_m2", "computed_at")


def _insert_offers(rows: list[tuple]) -> None:
    """Offers as tuples in OFFER_COLUMNS' order (the lines already JSON), in one executemany per chunk: the same
    rows Offer.objects.create would write (the model has no audit history, no signals, no timestamps of its
    own), without building 150,000 model instances and adapting each value through its field at 50,000
    households (a third of the time of a publish on PostgreSQL)."""
    quote = connection.ops.quote_name
    columns = ", ".join(quote(Offer._meta.get_field(name).column) for name in OFFER_COLUMNS)
    json_value = "%s::jsonb" if connection.vendor == "postgresql" else "%s"
    values = ", ".join(json_value if name == "lines" else "%s" for name in OFFER_COLUMNS)
    sql = f"INSERT INTO {quote(Offer._meta.db_table)} ({columns}) VALUES ({values})"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), CHUNK):
            cursor.executemany(sql, rows[start:start + CHUNK])


def _offer(household_id: int, rule_set: RuleSet, result: OptionResult, now: datetime.datetime) -> Offer:
    return Offer(household_id=household_id, rule_set=rule_set, option=result.option, total=result.total,
                 lines=result.lines_json(), entitled_area_m2=result.entitled_area_m2, computed_at=now)


def facts_of(household: Household, on: datetime.date | None = None) -> HouseholdFacts:
    return HouseholdFacts(area_m2=household.area_m2, floor=household.floor, building=household.building.name,
                          on=on or clock.today())


def published(project: Project) -> RuleSet | None:
    return RuleSet.objects.filter(project=project, status=RuleSetStatus.PUBLISHED).first()


@transaction.atomic
def offers_compute(*, actor: User | None = None, household: Household) -> list[Offer]:
    """The household's options under the published version, for today, stored (the same figures twice give the
    same rows: nothing changes). A signed household keeps the offers it has. `actor` may "renewal.visit" the
    household."""
    permit(actor, "renewal.visit", household)
    household = Household.objects.select_for_update().select_related("building").get(pk=household.pk)
    if household.signed_at is not None:
        return _ordered(Offer.objects.filter(household=household).select_related("rule_set"), latest_only=True)
    rule_set = published(household.project)
    if rule_set is None:
        raise ValidationError({"rule_set": _("The project has no published rule set yet.")})
    try:
        results = calculator.compute(rule_set.rules, facts_of(household))
    except RuleBroken as broken:
        raise ValidationError({"rules": f"{broken.clause}: {broken.message}"}) from None
    stored = {offer.option: offer for offer in Offer.objects.filter(household=household, rule_set=rule_set)}
    same = set(stored) == {r.option for r in results} and all(
        stored[r.option].total == r.total and stored[r.option].lines == r.lines_json()
        and stored[r.option].entitled_area_m2 == r.entitled_area_m2 for r in results)
    if not same:
        now = clock.now()
        Offer.objects.filter(household=household, rule_set=rule_set).delete()
        Offer.objects.bulk_create([_offer(household.pk, rule_set, result, now) for result in results])
    if not Agreement.objects.filter(household=household).exists():
        Offer.objects.filter(household=household).exclude(rule_set=rule_set).delete()
    return _ordered(Offer.objects.filter(household=household, rule_set=rule_set).select_related("rule_set"))


def _ordered(offers, latest_only: bool = False) -> list[Offer]:
    rows = list(offers)
    if latest_only and rows:
        newest = max(offer.rule_set.version for offer in rows)
        rows = [offer for offer in rows if offer.rule_set.version == newest]
    return sorted(rows, key=lambda offer: calculator.OPTIONS.index(offer.option))


def offer_request_check(*, actor: User | None, household: Household, option: str,
                        requested_area_m2: Decimal | str) -> OptionResult:
    """Whether the household may ask for `requested_area_m2` of new flat under `option` by the published rules:
    the option as it would then stand, or ValidationError naming the clause the request breaks. Writes nothing;
    `actor` may "renewal.view" the household (an owner asks about their own)."""
    permit(actor, "renewal.view", household)
    try:
        area = Decimal(str(requested_area_m2)).quantize(Decimal("0.01"))
    except InvalidOperation:
        raise ValidationError({"requested_area_m2": _("Give the area in square metres, e.g. 75.5.")}) from None
    if option not in calculator.OPTIONS:
        raise ValidationError({"option": _("Unknown option.")})
    rule_set = published(household.project)
    if rule_set is None:
        raise ValidationError({"rule_set": _("The project has no published rule set yet.")})
    try:
        return calculator.compute_request(rule_set.rules, facts_of(household), option, area)
    except RuleBroken as broken:
        raise ValidationError({"requested_area_m2": _("Refused under %(clause)s: %(reason)s") % {
            "clause": broken.clause, "reason": broken.message}}) from broken
