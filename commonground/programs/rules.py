"""Programmes: permissions per role kind and the local rules (settings `CG_PROGRAMS_*`).

Published activities and job postings are a noticeboard: everyone signed in sees them (the models' `own_q`), and
the services check who may sign up (the activity's audience, age range and window). Running them is staff work at
the activity's place: a community worker runs their community's, a building commissioner their business
community's, street staff their street's. What a person did (their enrolments, attendance, interest in a job) they
see as their own.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings

from commonground.core.models import RoleKind
from commonground.core.rules import grant

# activity.view (drafts too; published ones everyone sees) / activity.manage (activities, sessions, certificates);
# enrolment.view / enrolment.manage (sign others up or off, the lists and their export);
# attendance.record (take attendance); participation.view (participation records and figures);
# employment.view / employment.manage (the declared couriers, riders and drivers; the facilities' zones);
# posting.view (drafts and interest lists; published postings everyone sees) / posting.manage (post positions,
# job fairs).
STAFF_PERMISSIONS = {"activity.*", "enrolment.*", "attendance.*", "participation.*", "employment.*", "posting.*"}
grant(RoleKind.STREET_STAFF, STAFF_PERMISSIONS)
grant(RoleKind.COMMUNITY_WORKER, STAFF_PERMISSIONS)
grant(RoleKind.BUILDING_COMMISSIONER, {"activity.*", "enrolment.*", "attendance.*", "participation.*",
                                       "posting.*"})
grant(RoleKind.GRID_WORKER, {"activity.view", "enrolment.view", "participation.view", "employment.view"})
# An enterprise posts its own positions (at its office building, where its contact's role is held).
grant(RoleKind.ENTERPRISE_CONTACT, {"posting.view", "posting.manage"})


def adult_age() -> int:
    """From this age a person signs up themselves; below it a member of their household signs them up."""
    return int(getattr(settings, "CG_PROGRAMS_ADULT_AGE", 18))


def certificate_attendance() -> Decimal:
    """A course's certificate needs at least this share of its sessions attended."""
    return Decimal(str(getattr(settings, "CG_PROGRAMS_CERTIFICATE_ATTENDANCE", "0.8")))
