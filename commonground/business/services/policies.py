"""Writes of the policies part: packages and their policies (staff), notifying the eligible firms, applications
(the firm applies, staff decide) — and a firm's own demands, filed as cases through the case engine's intake."""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from commonground.cases.categories import ENTERPRISE
from commonground.cases.models import Case, Category, NotificationKind
from commonground.cases.services.intake import Contact, case_report
from commonground.cases.services.notifications import notify
from commonground.core import clock
from commonground.core.models import Organisation, Place, PlaceKind, User
from commonground.core.models.places import scope_columns
from commonground.core.permissions import require

from .. import policy_rules
from ..models import (
    ApplicationStatus,
    Enterprise,
    EnterpriseContact,
    EnterpriseDemand,
    PackageStatus,
    Policy,
    PolicyApplication,
    PolicyDimension,
    PolicyNotice,
    PolicyPackage,
)

CENT = Decimal("0.01")
MAX_AMOUNT = Decimal("999999999999.99")
POLICY_FIELDS = ("number", "title", "dimension", "summary", "benefit", "amount", "opens_on", "closes_on", "rules")


def _amount(value: Any, field: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError({field: _("Give an amount in yuan, such as 1200.50.")}) from None
    if not amount.is_finite() or amount < 0 or amount > MAX_AMOUNT:
        raise ValidationError({field: _("Give an amount of zero or more.")})
    return amount


# ---- packages -----------------------------------------------------------------------------------------------

def _check_package(package: PolicyPackage) -> None:
    errors = {}
    package.name = (package.name or "").strip()
    package.issuer_text = (package.issuer_text or "").strip()
    if not package.name:
        errors["name"] = _("Give the policy package a name.")
    if package.place.kind not in (PlaceKind.DISTRICT, PlaceKind.STREET):
        errors["place"] = _("A policy package is issued for the district or a street.")
    if package.issued_on and package.issued_on > clock.today():
        errors["issued_on"] = _("The issue date cannot be in the future.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def policy_package_create(*, actor: User, place: Place, name: str, issuer: Organisation | None = None,
                          issuer_text: str = "", issued_on: datetime.date | None = None) -> PolicyPackage:
    """A draft package for the district or a street ("policy.manage" there)."""
    package = PolicyPackage(place=place, name=name, issuer=issuer, issuer_text=issuer_text, issued_on=issued_on,
                            place_path=place.path)
    _check_package(package)
    require(actor, "policy.manage", package)
    package.save()
    return package


@transaction.atomic
def policy_package_update(*, actor: User, package: PolicyPackage, **changes: Any) -> PolicyPackage:
    """Change a package's name, issuer or issue date."""
    unknown = set(changes) - {"name", "issuer", "issuer_text", "issued_on"}
    if unknown:
        raise TypeError(f"policy_package_update() cannot change {', '.join(sorted(unknown))}")
    package = PolicyPackage.objects.select_for_update().select_related("place").get(pk=package.pk)
    require(actor, "policy.manage", package)
    for field, value in changes.items():
        setattr(package, field, value)
    _check_package(package)
    package.save()
    return package


@transaction.atomic
def policy_package_publish(*, actor: User, package: PolicyPackage) -> PolicyPackage:
    """Publish a draft package: from now on every signed-in user sees it, and firms may apply."""
    package = PolicyPackage.objects.select_for_update().get(pk=package.pk)
    require(actor, "policy.manage", package)
    if package.status == PackageStatus.PUBLISHED:
        raise ValidationError({"status": _("The package is already published.")})
    if not package.policies.exists():
        raise ValidationError({"status": _("Add at least one policy before publishing.")})
    package.status, package.published_at = PackageStatus.PUBLISHED, clock.now()
    package.save(update_fields=["status", "published_at", "updated_at"])
    return package


# ---- policies -----------------------------------------------------------------------------------------------

def _check_policy(policy: Policy, *, window_changed: bool) -> None:
    errors: dict[str, Any] = {}
    policy.title = (policy.title or "").strip()
    if not policy.title:
        errors["title"] = _("Give the policy a title.")
    if policy.dimension not in PolicyDimension.values:
        errors["dimension"] = _("Choose one of the five dimensions.")
    if not policy.number or not 1 <= int(policy.number) <= 999:
        errors["number"] = _("Give the article number, 1 to 999.")
    elif Policy.objects.filter(package=policy.package_id, number=policy.number).exclude(pk=policy.pk).exists():
        errors["number"] = _("The package already has an article with this number.")
    if policy.opens_on and policy.closes_on and policy.closes_on < policy.opens_on:
        errors["closes_on"] = _("Applications must close after they open.")
    elif window_changed and policy.closes_on and policy.closes_on < clock.today():
        errors["closes_on"] = _("The closing day cannot be in the past.")
    try:
        policy.amount = _amount(policy.amount, "amount")
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        policy.rules = policy_rules.validate_rules(policy.rules)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def policy_create(*, actor: User, package: PolicyPackage, number: int, title: str, dimension: str,
                  summary: str = "", benefit: str = "", amount: Decimal | None = None,
                  opens_on: datetime.date | None = None, closes_on: datetime.date | None = None,
                  rules: list[dict[str, Any]] | None = None) -> Policy:
    """Add a policy (an article) to a package, with its eligibility rules (policy_rules)."""
    package = PolicyPackage.objects.select_for_update().get(pk=package.pk)
    require(actor, "policy.manage", package)
    policy = Policy(package=package, number=number, title=title, dimension=dimension, summary=(summary or "").strip(),
                    benefit=(benefit or "").strip(), amount=amount, opens_on=opens_on, closes_on=closes_on,
                    rules=rules or [])
    _check_policy(policy, window_changed=True)
    policy.save()
    return policy


@transaction.atomic
def policy_update(*, actor: User, policy: Policy, **changes: Any) -> Policy:
    """Change a policy's text, benefit, window or rules. A closing day moved is never set in the past."""
    unknown = set(changes) - set(POLICY_FIELDS)
    if unknown:
        raise TypeError(f"policy_update() cannot change {', '.join(sorted(unknown))}")
    policy = Policy.objects.select_for_update().select_related("package").get(pk=policy.pk)
    require(actor, "policy.manage", policy)
    window_changed = any(field in changes and changes[field] != getattr(policy, field)
                         for field in ("opens_on", "closes_on"))
    for field, value in changes.items():
        setattr(policy, field, value)
    _check_policy(policy, window_changed=window_changed)
    policy.save()
    return policy


# ---- notices ------------------------------------------------------------------------------------------------

@transaction.atomic
def policy_notify(*, actor: User, policy: Policy) -> int:
    """Tell the eligible firms the actor serves about a published policy: a notice per firm (once; firms told
    before are skipped) and an in-app notification to each of their contacts with an account. Returns how many
    firms were told now."""
    from ..policies_selectors import eligible_enterprises

    policy = Policy.objects.select_related("package").get(pk=policy.pk)
    require(actor, "policy.view", policy)
    require(actor, "policyapplication.manage")
    if policy.package.status != PackageStatus.PUBLISHED:
        raise ValidationError({"policy": _("Publish the package before telling firms about its policies.")})
    firms = (eligible_enterprises(actor, policy).exclude(policy_notices__policy=policy)
             .values_list("pk", "place_path"))
    now = clock.now()
    notices = [PolicyNotice(enterprise_id=pk, policy=policy, notified_at=now, notified_by=actor,
                            **scope_columns(PolicyNotice, path)) for pk, path in firms]
    PolicyNotice.objects.bulk_create(notices, batch_size=1000, ignore_conflicts=True)
    users = (EnterpriseContact.objects.filter(enterprise_id__in=[n.enterprise_id for n in notices],
                                              user__isnull=False, user__is_active=True)
             .values_list("user_id", flat=True).distinct())
    message = _("Your enterprise qualifies for the policy “%(policy)s” of %(package)s: see it and apply on your "
                "enterprise's page.") % {"policy": policy.title, "package": policy.package.name}
    notify(sorted(set(users)), None, NotificationKind.POLICY, message)
    return len(notices)


# ---- applications -------------------------------------------------------------------------------------------

@transaction.atomic
def policy_application_create(*, actor: User, enterprise: Enterprise, policy: Policy, note: str = "") -> PolicyApplication:
    """The firm applies for a policy (its contact, or staff for it): the package is published, the window is
    open today, the firm meets the rules, and it has not applied before."""
    from ..policies_selectors import enterprise_facts

    enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    require(actor, "policyapplication.manage", enterprise)
    policy = Policy.objects.select_related("package").get(pk=policy.pk)
    require(actor, "policy.view", policy)
    today = clock.today()
    if policy.package.status != PackageStatus.PUBLISHED:
        raise ValidationError({"policy": _("This policy is not published.")})
    if not policy.window_open(today):
        raise ValidationError({"policy": _("Applications for this policy are not open today.")})
    if not enterprise.place_path.startswith(policy.package.place_path):
        raise ValidationError({"policy": _("This policy is not for enterprises here.")})
    if PolicyApplication.objects.filter(enterprise=enterprise, policy=policy).exists():
        raise ValidationError({"policy": _("The enterprise has already applied for this policy.")})
    verdict = policy_rules.evaluate(policy.rules, enterprise_facts(enterprise, today), today)
    if not verdict.eligible:
        raise ValidationError({"policy": [failure.reason for failure in verdict.failures]})
    return PolicyApplication.objects.create(
        enterprise=enterprise, policy=policy, applied_on=today, applied_by=actor, note=(note or "").strip()[:500],
        **scope_columns(PolicyApplication, enterprise.place_path))


@transaction.atomic
def policy_application_decide(*, actor: User, application: PolicyApplication, status: str,
                              granted_amount: Decimal | None = None, note: str = "") -> PolicyApplication:
    """Staff record the outcome of an application: approved (with the amount granted, when money) or rejected
    (with the reason). Decided applications are final."""
    application = PolicyApplication.objects.select_for_update().get(pk=application.pk)
    require(actor, "policyapplication.manage", application)
    errors: dict[str, Any] = {}
    if application.status != ApplicationStatus.APPLIED:
        raise ValidationError({"status": _("This application is already decided or withdrawn.")})
    if status not in (ApplicationStatus.APPROVED, ApplicationStatus.REJECTED):
        errors["status"] = _("Choose approved or rejected.")
    amount = None
    try:
        amount = _amount(granted_amount, "granted_amount")
    except ValidationError as error:
        errors.update(error.message_dict)
    if status == ApplicationStatus.REJECTED and amount is not None:
        errors["granted_amount"] = _("A rejected application grants nothing.")
    note = (note or "").strip()
    if status == ApplicationStatus.REJECTED and not note:
        errors["note"] = _("Say why the application is rejected.")
    if errors:
        raise ValidationError(errors)
    application.status, application.granted_amount = status, amount
    application.decided_on, application.decided_by = clock.today(), actor
    if note:
        application.note = note[:500]
    application.save()
    return application


@transaction.atomic
def policy_application_withdraw(*, actor: User, application: PolicyApplication) -> PolicyApplication:
    """The firm withdraws an application not yet decided."""
    application = PolicyApplication.objects.select_for_update().select_related("enterprise").get(pk=application.pk)
    require(actor, "policyapplication.manage", application.enterprise)
    if application.status != ApplicationStatus.APPLIED:
        raise ValidationError({"status": _("Only an application awaiting its decision can be withdrawn.")})
    application.status = ApplicationStatus.WITHDRAWN
    application.save()
    return application


# ---- demands ------------------------------------------------------------------------------------------------

def demand_categories() -> list[Category]:
    """The categories a firm files its demands under: the active children of the enterprise parent."""
    return list(Category.objects.filter(parent__code=ENTERPRISE, is_active=True).prefetch_related("questions")
                .order_by("code"))


@transaction.atomic
def enterprise_demand_file(*, actor: User, enterprise: Enterprise, category: Category, description: str,
                           answers: dict[str, Any] | None = None,
                           attachments: list[UploadedFile] = ()) -> Case:
    """The firm's contact files a demand: a case of an enterprise-* category at the firm's building (its premises,
    else its registration building), reported by the contact, the contact name the firm's, with the category's
    time limit. The case engine's intake checks the text, answers and attachments."""
    enterprise = Enterprise.objects.select_related("building", "registered_building").get(pk=enterprise.pk)
    require(actor, "enterprise.view", enterprise)
    if not EnterpriseContact.objects.filter(enterprise=enterprise, user=actor).exists():
        raise PermissionDenied(_("Only the enterprise's own contacts file its demands here."))
    if category.parent_id is None or category.parent.code != ENTERPRISE:
        raise ValidationError({"category": _("Choose one of the enterprise demand categories.")})
    # the web channel: the contact is the reporter, the firm the contact name
    case = case_report(actor=actor, category=category, description=description,
                       place=enterprise.building or enterprise.registered_building, answers=answers or {},
                       contact=Contact(name=enterprise.name[:100]), attachments=list(attachments))
    EnterpriseDemand.objects.create(enterprise=enterprise, case=case)
    return case
