"""In-app notifications, and e-mail through Django's mail framework when configured."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commonground.core import clock
from commonground.core.models import RoleAssignment, User
from commonground.core.rules import ROLE_PERMISSIONS, role_permits

from ..models import Case, Notification, NotificationKind, NotificationPreference
from ..presentation import what_and_where

# What each notification about a case says: what (the category) and where (the place), then the news.
CASE_MESSAGES = {
    "rejected": gettext_lazy("Your report “%(category)s” (%(place)s) was not accepted: %(reason)s"),
    "closed": gettext_lazy("Your report “%(category)s” (%(place)s) is done. Please rate how it was handled."),
    "closed_merged": gettext_lazy("Your report “%(category)s” (%(place)s) was handled together with the same "
                                  "matter and is done."),
    "assigned": gettext_lazy("New case to handle: “%(category)s” (%(place)s), due %(deadline)s."),
    "reopened": gettext_lazy("“%(category)s” (%(place)s) is taken up again after a dissatisfied rating."),
    "escalated": gettext_lazy("“%(category)s” (%(place)s) was escalated to you: %(reason)s"),
    "deadline": gettext_lazy("“%(category)s” (%(place)s) is due at %(deadline)s."),
}


def case_message(key: str, case: Case, **extra: str) -> str:
    """The text of a notification about `case`: its category and place, then the news (`CASE_MESSAGES[key]`)."""
    return str(CASE_MESSAGES[key]) % {**what_and_where(case), **extra}


HANDLER_ROLES = [role for role in ROLE_PERMISSIONS if role_permits(role, "case.handle")]


def handlers_of(case: Case) -> list[User]:
    """Users whose role is held exactly at the handling place (the level that must act), plus members
    of the handling organisation who have a login."""
    roles = RoleAssignment.objects.active().filter(scope_id=case.handling_place_id, role__in=HANDLER_ROLES)
    told = Q(pk__in=roles.values("user_id"))
    if case.handler_id:
        told |= Q(organisation_id=case.handler_id)
    return list(User.objects.filter(told, is_active=True).order_by("pk"))


def notify(users: Iterable[User | int], case: Case | None, kind: str, message: str) -> None:
    """Record one notification per user (users or their ids), in one statement; a deadline warning a user
    already has about the case is skipped (the tick may run twice). Each is e-mailed after the commit unless
    its user asked for a daily digest."""
    rows = [Notification(user_id=getattr(user, "pk", user), case=case, kind=kind, message=message[:300])
            for user in users]
    if not rows:
        return
    Notification.objects.bulk_create(rows, ignore_conflicts=kind == NotificationKind.DEADLINE)
    if settings.CG_EMAIL_NOTIFICATIONS:
        since = rows[0].created_at  # the statement stamped every row with this moment
        user_ids = [row.user_id for row in rows]
        transaction.on_commit(lambda: _email_new(user_ids, case, kind, since))


def notify_handlers(case: Case, kind: str, message: str) -> None:
    notify(handlers_of(case), case, kind, message)


def _email_new(user_ids: list[int], case: Case | None, kind: str, since: datetime.datetime) -> None:
    """E-mail the notifications just recorded, one by one, to users with an address who did not ask for a digest
    (or for no e-mail)."""
    recorded = (Notification.objects.filter(user_id__in=user_ids, case=case, kind=kind, created_at__gte=since,
                                            emailed_at__isnull=True, user__email__gt="")
                .exclude(user__notification_preference__digest=True)
                .exclude(user__notification_preference__email=False)
                .select_related("user"))
    for notification in recorded:
        send_mail(_("CommonGround: %(message)s") % {"message": notification.message[:60]}, notification.message,
                  None, [notification.user.email], fail_silently=True)
        Notification.objects.filter(pk=notification.pk).update(emailed_at=clock.now())


def send_digests() -> int:
    """One e-mail per digest user with everything not yet e-mailed; idempotent. Returns e-mails sent."""
    now = clock.now()
    sent = 0
    for preference in NotificationPreference.objects.filter(digest=True, email=True).select_related("user"):
        pending = Notification.objects.filter(user=preference.user, emailed_at__isnull=True, read_at__isnull=True)
        lines = [f"- {n.message}" for n in pending[:200]]
        if not lines or not preference.user.email:
            continue
        send_mail(_("CommonGround: %(count)d notifications") % {"count": len(lines)}, "\n".join(lines), None,
                  [preference.user.email], fail_silently=True)
        pending.update(emailed_at=now)
        sent += 1
    return sent


def rating_request_settled(*, actor: User, case: Case) -> int:
    """The reporter rated the case: the requests to rate it are done with (marked read), so they stop asking."""
    return (Notification.objects.filter(user=actor, case=case, kind=NotificationKind.CLOSED, read_at__isnull=True)
            .update(read_at=clock.now()))


def mark_read(*, actor: User, ids: list[int] | None = None) -> int:
    notifications = Notification.objects.filter(user=actor, read_at__isnull=True)
    if ids is not None:
        notifications = notifications.filter(pk__in=ids)
    return notifications.update(read_at=clock.now())


@transaction.atomic
def notification_preference_set(*, actor: User, digest: bool, email: bool) -> NotificationPreference:
    """A user's choice: each notification by e-mail, one daily digest, or in-app only."""
    preference, _created = NotificationPreference.objects.update_or_create(
        user=actor, defaults={"digest": digest, "email": email})
    return preference
