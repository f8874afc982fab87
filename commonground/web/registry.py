"""What the apps show in the shell: main-nav entries (with their tab bars), the home's work cards and quick
actions, the capabilities of the "what can I do" page, and header tools.

Each app registers its own in `AppConfig.ready()`; the shell lists whatever is registered, so `web` names no
app. Registering the same entry twice changes nothing (a test run or a reload may import twice).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from commonground.core.permissions import can


@dataclass(frozen=True)
class Tab:
    """A link of the main nav or of a tab bar; `active` marks the page the user is on."""

    label: str
    url: str
    active: bool
    icon: str = ""
    primary: bool = False


TabsProvider = Callable[[Any, str], list[Tab]]  # (user, path) -> the tabs the user may open, in order


@dataclass(frozen=True)
class NavEntry:
    """An item of the main nav, shown to users holding one of `permissions` (none: everyone signed in).

    With `tabs` it leads to the first tab the user may open and is left out when there is none; otherwise to the
    first of `url_names` that resolves. It is current when the path starts with `active_prefix` (a path or a
    lazy `reverse_lazy`); without one, when the path starts with its URL ("/" only on "/" itself).
    `name` lets an app's pages show the entry's tab bar: `{% include "web/_tabs.html" with nav=name %}`.
    `icon` names one of web/icons.py; `primary` entries keep their place in the phone's bottom bar when the
    others have to move into its "More" menu (the daily work of most users, not the clerks' tools).
    """

    name: str
    label: Any
    url_names: tuple[str, ...] = ()
    permissions: tuple[str, ...] = ()
    order: int = 100
    active_prefix: Any = None
    tabs: TabsProvider | None = None
    icon: str = ""
    primary: bool = False


@dataclass(frozen=True)
class HomeCard:
    """A line of the home page's "what you can do here": shown to users holding `permission` somewhere (None:
    everyone signed in), linked to the first of `url_names` that resolves (admin pages only for staff who may use
    the admin)."""

    permission: str | None
    label: Any
    url_names: tuple[str, ...] = ()
    order: int = 100


URGENT, NORMAL, QUIET = "urgent", "normal", "quiet"  # a work card's tone: act now, work to do, for information


@dataclass(frozen=True)
class WorkLink:
    label: str
    url: str


@dataclass(frozen=True)
class WorkItem:
    """A line of a work card (a case, a meeting, a notice): what it is, where it stands or what happens next."""

    title: str
    url: str | None = None
    detail: str = ""
    meta: str = ""
    tone: str = NORMAL


@dataclass(frozen=True)
class WorkCard:
    """A card of the home's work centre. With `count` and no `items` it is a tile: a number leading to the
    filtered list at `url`; with `items` a short list with "see all" at `url`; with `action` a card for one
    thing to do now (an open vote and its ballot). `key` names the card for pages and tests ("<app>.<what>");
    tiles of one `group` (the app's name) are shown together under it."""

    key: str
    label: Any
    url: str | None = None
    count: int | None = None
    items: tuple[WorkItem, ...] = ()
    detail: str = ""
    action: WorkLink | None = None
    tone: str = NORMAL
    order: int = 100
    group: Any = ""

    @property
    def has_work(self) -> bool:
        return bool(self.count) or bool(self.items) or self.action is not None

    @property
    def is_tile(self) -> bool:
        return self.count is not None and not self.items and self.action is None


WorkCardProvider = Callable[[Any], Iterable[WorkCard]]  # (user) -> the cards of this user's work, from selectors


@dataclass(frozen=True)
class QuickAction:
    """A button of the home ("Report a matter") for users holding `permission` somewhere; also what the empty
    home suggests."""

    permission: str
    label: Any
    url_names: tuple[str, ...]
    order: int = 100


@dataclass(frozen=True)
class HeaderTool:
    """A piece of the header beside the user menu: `template` rendered with `context(request)`, for signed-in
    users."""

    template: str
    context: Callable[[HttpRequest], dict[str, Any]]
    order: int = 100


@dataclass(frozen=True)
class Capability:
    label: Any
    url: str | None


NAV: list[NavEntry] = []
HOME_CARDS: list[HomeCard] = []
HEADER_TOOLS: list[HeaderTool] = []
WORK_CARD_PROVIDERS: list[WorkCardProvider] = []
QUICK_ACTIONS: list[QuickAction] = []


def _add(registry: list[Any], entries: tuple[Any, ...]) -> None:
    for entry in entries:
        if entry not in registry:
            registry.append(entry)
    registry.sort(key=lambda entry: entry.order)  # stable: equal orders keep the order of registration


def register_nav(*entries: NavEntry) -> None:
    _add(NAV, entries)


def register_home_cards(*cards: HomeCard) -> None:
    _add(HOME_CARDS, cards)


def register_header_tools(*tools: HeaderTool) -> None:
    _add(HEADER_TOOLS, tools)


def register_work_cards(*providers: WorkCardProvider) -> None:
    """Add functions `(user) -> [WorkCard]` whose cards the home shows; each reads through its app's selectors,
    so a card holds only what the resolver lets the user see, in a fixed number of queries."""
    for provider in providers:
        if provider not in WORK_CARD_PROVIDERS:
            WORK_CARD_PROVIDERS.append(provider)


def register_quick_actions(*actions: QuickAction) -> None:
    _add(QUICK_ACTIONS, actions)


def nav_entry(name: str) -> NavEntry:
    for entry in NAV:
        if entry.name == name:
            return entry
    raise LookupError(f"no nav entry is registered as {name!r}")


def first_url(names: tuple[str, ...]) -> str | None:
    """The first of the URL names that resolves (pages of apps not installed do not)."""
    for name in names:
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    return None


def may_use_admin(user: Any) -> bool:
    return user.is_staff and can(user, "admin.access")


def usable(names: tuple[str, ...], admin_ok: bool) -> tuple[str, ...]:
    return names if admin_ok else tuple(name for name in names if not name.startswith("admin:"))


def nav_for(user: Any, path: str) -> list[Tab]:
    """The main nav's links this user may follow, in order, the one for `path` marked current."""
    admin_ok = may_use_admin(user)
    items: list[Tab] = []
    for entry in NAV:
        if entry.permissions and not any(can(user, permission) for permission in entry.permissions):
            continue
        if entry.tabs is not None:
            tabs = entry.tabs(user, path)
            url = tabs[0].url if tabs else None
        else:
            url = first_url(usable(entry.url_names, admin_ok))
        if url is None:
            continue
        if entry.active_prefix is not None:
            active = path.startswith(str(entry.active_prefix))
        else:
            active = path == url if url == "/" else path.startswith(url)
        items.append(Tab(str(entry.label), url, active, entry.icon, entry.primary))
    return items


PHONE_BAR_SIZE = 5  # a phone's bottom bar holds five items at 390 px; a sixth makes room for "More"


def phone_overflow(nav: list[Tab]) -> list[Tab]:
    """The nav items the phone's bottom bar leaves to its "More" menu: none when all fit, else all but four (the
    primary ones first, then the others in their order)."""
    if len(nav) <= PHONE_BAR_SIZE:
        return []
    room = PHONE_BAR_SIZE - 1
    kept = [item for item in nav if item.primary][:room]
    kept += [item for item in nav if item not in kept][:room - len(kept)]
    return [item for item in nav if item not in kept]


def capabilities_for(user: Any) -> list[Capability]:
    """What the resolver lets this user do somewhere; admin-only work only for staff who may use the admin."""
    admin_ok = may_use_admin(user)
    result = []
    for card in HOME_CARDS:
        if card.permission is not None and not can(user, card.permission):
            continue
        names = usable(card.url_names, admin_ok)
        if card.url_names and not names:
            continue  # done only in the admin, which this user cannot enter
        result.append(Capability(card.label, first_url(names)))
    return result


def work_cards_for(user: Any) -> list[WorkCard]:
    """Every registered provider's cards for this user, in their order."""
    cards = [card for provider in WORK_CARD_PROVIDERS for card in provider(user)]
    return sorted(cards, key=lambda card: card.order)


def first_rows(rows: Any, limit: int) -> tuple[list[Any], int]:
    """A list card's rows: the first `limit` of a queryset and how many there are (one query, two when there are
    more)."""
    first = list(rows[:limit])
    return first, len(first) if len(first) < limit else rows.order_by().count()


def quick_actions_for(user: Any) -> list[WorkLink]:
    """The quick actions this user may take, as links (those whose page is not installed are left out)."""
    links = []
    for action in QUICK_ACTIONS:
        if can(user, action.permission):
            url = first_url(action.url_names)
            if url is not None:
                links.append(WorkLink(str(action.label), url))
    return links
