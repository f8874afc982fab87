"""Writes to an enterprise's contact people (their personal data is masked for those who may not see it)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from commonground.core.models import User
from commonground.core.permissions import require
from commonground.core.validators import validate_phone

from ..models import Enterprise, EnterpriseContact

CONTACT_FIELDS = ("name", "phone", "title", "is_primary")


def _clean(contact: EnterpriseContact) -> None:
    contact.name = (contact.name or "").strip()
    contact.phone = (contact.phone or "").strip()
    contact.title = (contact.title or "").strip()
    if not contact.name:
        raise ValidationError({"name": _("Give the contact person's name.")})
    if contact.phone:
        try:
            validate_phone(contact.phone)
        except ValidationError as error:
            raise ValidationError({"phone": error.messages}) from None


def _one_primary(contact: EnterpriseContact) -> None:
    """A new main contact takes over from the previous one."""
    if contact.is_primary:
        EnterpriseContact.objects.filter(enterprise=contact.enterprise, is_primary=True).exclude(
            pk=contact.pk).update(is_primary=False)


@transaction.atomic
def enterprise_contact_add(*, actor: User, enterprise: Enterprise, name: str, phone: str = "", title: str = "",
                           is_primary: bool = False) -> EnterpriseContact:
    """Add a contact person to an enterprise; a new main contact replaces the previous main one."""
    enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    require(actor, "enterprise.manage", enterprise)
    contact = EnterpriseContact(enterprise=enterprise, name=name, phone=phone, title=title, is_primary=is_primary)
    _clean(contact)
    _one_primary(contact)
    contact.save()
    return contact


@transaction.atomic
def enterprise_contact_update(*, actor: User, contact: EnterpriseContact, **changes: object) -> EnterpriseContact:
    """Change a contact person's name, phone, position or whether they are the main contact."""
    contact = EnterpriseContact.objects.select_for_update().select_related("enterprise").get(pk=contact.pk)
    require(actor, "enterprise.manage", contact.enterprise)
    unknown = set(changes) - set(CONTACT_FIELDS)
    if unknown:
        raise TypeError(f"unknown contact fields: {sorted(unknown)}")
    for field, value in changes.items():
        setattr(contact, field, value)
    _clean(contact)
    _one_primary(contact)
    contact.save()
    return contact
