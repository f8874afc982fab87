"""Writes to organisations and their members."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import Organisation, OrganisationMembership, Person, Place, User
from . import permit, permit_stored


@transaction.atomic
def organisation_create(
    *, name: str, kind: str, place: Place, parent: Organisation | None = None, credit_code: str | None = None,
    phone: str = "", established_on: datetime.date | None = None, actor: User | None = None,
) -> Organisation:
    """Register an organisation at `place`; `actor` may "organisation.add" there."""
    permit(actor, "organisation.add", place)
    organisation = Organisation(
        name=name.strip(), kind=kind, place=place, parent=parent,
        credit_code=(credit_code or "").strip().upper() or None, phone=phone, established_on=established_on,
    )
    organisation.full_clean()
    organisation.save()
    return organisation


@transaction.atomic
def organisation_member_add(
    *, organisation: Organisation, person: Person, position: str = "",
    term_from: datetime.date | None = None, term_to: datetime.date | None = None, actor: User | None = None,
) -> OrganisationMembership:
    """Record `person` serving in `organisation`; `actor` may "organisationmembership.add" there."""
    permit(actor, "organisationmembership.add", organisation)
    membership = OrganisationMembership(
        organisation=organisation, person=person, position=position, term_from=term_from, term_to=term_to
    )
    membership.full_clean()
    membership.save()
    return membership


ORGANISATION_EDITABLE_FIELDS = ("name", "parent", "credit_code", "phone", "established_on", "dissolved_on")
MEMBERSHIP_EDITABLE_FIELDS = ("position", "term_from", "term_to")


def _apply(obj, changes: dict, editable: tuple[str, ...]):
    unknown = set(changes) - set(editable)
    if unknown:
        raise ValidationError(_("These fields cannot be changed here: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    for field, value in changes.items():
        setattr(obj, field, value)
    obj.full_clean()
    obj.save()
    return obj


@transaction.atomic
def organisation_update(*, organisation: Organisation, actor: User | None = None, **changes) -> Organisation:
    """Change an organisation's details (not its kind or place: those make a new organisation); `actor` may
    "organisation.change" it."""
    permit_stored(actor, "organisation.change", organisation)
    permit(actor, "organisation.change", organisation)
    if "credit_code" in changes:
        changes["credit_code"] = (changes["credit_code"] or "").strip().upper() or None
    return _apply(organisation, changes, ORGANISATION_EDITABLE_FIELDS)


@transaction.atomic
def organisation_member_update(
    *, membership: OrganisationMembership, actor: User | None = None, **changes
) -> OrganisationMembership:
    """Change a member's position or term; `actor` may "organisationmembership.change" it."""
    permit_stored(actor, "organisationmembership.change", membership)
    permit(actor, "organisationmembership.change", membership)
    return _apply(membership, changes, MEMBERSHIP_EDITABLE_FIELDS)


@transaction.atomic
def organisation_member_remove(*, membership: OrganisationMembership, actor: User | None = None) -> None:
    """Delete a membership entered by mistake (to record someone leaving, set term_to instead); `actor` may
    "organisationmembership.delete" it."""
    permit_stored(actor, "organisationmembership.delete", membership)
    membership.delete()
