"""Writes to organisations and their members."""

from __future__ import annotations

import datetime

from django.db import transaction

from ..models import Organisation, OrganisationMembership, Person, Place


@transaction.atomic
def organisation_create(
    *, name: str, kind: str, place: Place, parent: Organisation | None = None, credit_code: str | None = None,
    phone: str = "", established_on: datetime.date | None = None,
) -> Organisation:
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
    term_from: datetime.date | None = None, term_to: datetime.date | None = None,
) -> OrganisationMembership:
    membership = OrganisationMembership(
        organisation=organisation, person=person, position=position, term_from=term_from, term_to=term_to
    )
    membership.full_clean()
    membership.save()
    return membership
