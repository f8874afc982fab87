"""In-app notifications, and e-mail through Django's mail framework when configured."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
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


def handler_roles() -> list[str]:
    return [role for role in ROLE_PERMISSIONS if role_permits(role, "case.handle")]


def handlers_of(case: Case) -> list[User]:
    """Users whose role is held exactly at the handling place (the level that must act), plus members
    of the handling organisation who have a login."""
    roles = RoleAssignment.objects.active().filter(scope_id=case.handling_place_id, role__in=handler_roles())
    told = Q(pk__in=roles.values("user_id"))
    if case.handler_id:
        told |= Q(organisation_id=case.handler_id)
    return list(User.objects.filter(told, is_active=True).order_by("pk"))


def notify_user(user: User, case: Case | None, kind: str, message: str) -> Notification | None:
    """Record a notification; e-mail it now unless the user asked for a daily digest."""
    try:
        with transaction.atomic():
            notification = Notification.objects.create(user=user, case=case, kind=kind, message=message[:300])
    except IntegrityError:  # already told (deadline warnings are once per case and user)
        return None
    if not (user.email and settings.CG_EMAIL_NOTIFICATIONS):
        return notification
    preference = NotificationPreference.objects.filter(user=user).first()
    if not (preference and (preference.digest or not preference.email)):
        transaction.on_commit(lambda: _email_one(notification.pk))
    return notification


def notify_handlers(case: Case, kind: str, message: str) -> list[Notification]:
    return [n for user in handlers_of(case) if (n := notify_user(user, case, kind, message))]


def _email_one(notification_id: int) -> None:
    notification = Notification.objects.select_related("user").get(pk=notification_id)
    send_mail(_("CommonGround: %(message)s") % {"message": notification.message[:60]}, notification.message,
              None, [notification.user.email], fail_silently=True)
    Notification.objects.filter(pk=notification_id).update(emailed_at=clock.now())


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
