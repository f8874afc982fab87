"""Deliberation permissions per role kind (added to core's table) and the local rules, as configuration.

Numbers that are local (Hangzhou) or may change are read from Django settings (`CG_*`), with the
defaults below from ../shared/domain/RULES.md §1-2.
"""

from __future__ import annotations

from django.conf import settings

from commonground.core.models import RoleKind
from commonground.core.rules import explicit_only, grant

# Who voted how: the owners' committee keeps the ballots for the owners' inspection, so only its members see
# them by name. Organisers (street, community) see the paper ballots they enter, not the online ones; no
# wildcard (a district administrator's "*", the organisers' "ballot.*") carries it.
explicit_only({"ballot.inspect"})
ORGANISE = {"vote.*", "ballot.*", "candidate.*", "notice.*", "meeting.*", "representative.*"}
grant(RoleKind.STREET_STAFF, ORGANISE)
grant(RoleKind.COMMUNITY_WORKER, ORGANISE)
grant(RoleKind.OWNERS_COMMITTEE_MEMBER, {"vote.view", "vote.manage", "ballot.view", "ballot.enter", "ballot.inspect",
                                         "candidate.*", "notice.view", "notice.publish", "meeting.*"})
grant(RoleKind.RENEWAL_WORKER, {"vote.view", "notice.view", "notice.publish", "meeting.*", "representative.*"})
grant(RoleKind.GRID_WORKER, {"vote.view", "notice.view", "meeting.view", "meeting.attend"})
grant(RoleKind.PROPERTY_MANAGER, {"notice.view", "meeting.view"})
grant(RoleKind.BUILDING_COMMISSIONER, {"notice.view", "meeting.*"})
grant(RoleKind.RESIDENT, {"vote.view", "notice.view", "meeting.view"})
grant(RoleKind.ENTERPRISE_CONTACT, {"notice.view", "meeting.view"})

# Roles held at a home (a resident's estate or building, an enterprise's office building): besides what lies
# under it, they see the notices and the announced meetings of every place above it (community, street,
# district), as a resident reads the boards of their estate, community and street.
HOME_ROLES = frozenset({RoleKind.RESIDENT, RoleKind.OWNERS_COMMITTEE_MEMBER, RoleKind.ENTERPRISE_CONTACT})
# Kinds of notice that are public by nature (a vote's result, representatives confirmed by a notice): readable
# without logging in. Other notices are public when their publisher says so.
PUBLIC_NOTICE_KINDS = frozenset({"result", "representatives"})


def setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def notice_days() -> int:
    """Days a vote's notice must be posted before voting opens (national guideline: 15)."""
    return setting("CG_VOTE_NOTICE_DAYS", 15)


def small_estate_households() -> int:
    """Below this many households an owners' committee may have fewer than 5 seats (Hangzhou: 100)."""
    return setting("CG_SMALL_ESTATE_HOUSEHOLDS", 100)


def small_estate_min_seats() -> int:
    return setting("CG_SMALL_ESTATE_MIN_SEATS", 3)


def committee_term_years() -> tuple[int, int]:
    return setting("CG_COMMITTEE_TERM_MIN_YEARS", 3), setting("CG_COMMITTEE_TERM_MAX_YEARS", 5)


def term_reminder_months() -> int:
    """Months before a committee's term ends that the street office is reminded (Hangzhou: 3)."""
    return setting("CG_COMMITTEE_TERM_REMINDER_MONTHS", 3)


def representative_notice_days() -> int:
    """Days renewal representatives stay on public notice before they can be confirmed."""
    return setting("CG_REPRESENTATIVE_NOTICE_DAYS", 5)


# A meeting's agenda fits one sitting and one notice; more items than this is a second meeting.
MAX_AGENDA_ITEMS = 30


def public_base_url() -> str:
    """Where the public board is reached from outside (e.g. "https://gongzhi.example.cn"), for the QR codes
    posted in corridors; empty: the address the request came to."""
    return str(getattr(settings, "CG_PUBLIC_BASE_URL", "")).rstrip("/")
