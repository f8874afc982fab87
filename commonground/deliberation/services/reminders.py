"""The reminder before an owners' committee's term ends: Hangzhou asks for a report to the street office
three months ahead (RULES.md §2). Run daily by `commonground remind_terms` or Celery beat; idempotent."""

from __future__ import annotations

import calendar
import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import translation
from django.utils.translation import gettext as _

from commonground.cases.models import Notification, NotificationKind
from commonground.cases.services.notifications import notify
from commonground.core.clock import today
from commonground.core.models import (
    Organisation,
    OrganisationKind,
    Place,
    PlaceKind,
    RoleAssignment,
    RoleKind,
    User,
)

from .. import rules


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, or the month's last day when it has fewer days (30 Nov + 3 → 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def committees_ending(on: datetime.date) -> list[Organisation]:
    """Owners' committees in office on `on` whose members' latest term ends within the reminder window."""
    horizon = add_months(on, rules.term_reminder_months())
    return list(Organisation.objects.of_kind(OrganisationKind.OWNERS_COMMITTEE).active_on(on)
                .annotate(term_end=Max("memberships__term_to"))
                .filter(term_end__gte=on, term_end__lte=horizon).select_related("place").order_by("pk"))


def street_staff_of(place: Place, on: datetime.date) -> list[User]:
    """Active users holding the street-staff role exactly at the street that contains `place`."""
    street = Place.objects.ancestors(place, include_self=True).filter(kind=PlaceKind.STREET).first()
    if street is None:
        return []
    roles = RoleAssignment.objects.active(on).filter(role=RoleKind.STREET_STAFF, scope=street)
    return list(User.objects.filter(is_active=True, role_assignments__in=roles).distinct().order_by("pk"))


def term_message(committee: Organisation) -> str:
    """In the site's language whatever language the caller has active (cron, Celery, a request)."""
    with translation.override(settings.LANGUAGE_CODE):
        return _("The term of %(committee)s (%(place)s) ends on %(date)s: please ask it for its report and prepare "
                 "the re-election.") % {"committee": committee.name, "place": committee.place.name,
                                        "date": committee.term_end.isoformat()}


def already_told(user: User, committee: Organisation) -> bool:
    """Told about this committee and this term end before: found by the committee's name and the date, which
    no translation changes."""
    return Notification.objects.filter(user=user, kind=NotificationKind.TERM_ENDING,
                                       message__contains=committee.name).filter(
        message__contains=committee.term_end.isoformat()).exists()


def remind_committee_terms(*, on: datetime.date | None = None) -> int:
    """Tell the street staff once per committee and term end; returns how many notifications were sent."""
    on = on or today()
    sent = 0
    for committee in committees_ending(on):
        message = term_message(committee)[:300]
        with transaction.atomic():
            # serialises two runs on the same committee, so neither sends twice
            list(Organisation.objects.select_for_update().filter(pk=committee.pk).order_by().values_list("pk"))
            untold = [user for user in street_staff_of(committee.place, on) if not already_told(user, committee)]
            notify(untold, None, NotificationKind.TERM_ENDING, message)
            sent += len(untold)
    return sent
