"""Demo logins, one per role kind, each with its role at a fitting place. Demo passwords only."""

from __future__ import annotations

import datetime
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext as _

from commonground.cases.models import ApiClient
from commonground.core.models import Place, RoleAssignment, RoleKind, User
from commonground.core.rules import role_permits
from commonground.core.services.accounts import role_assign

from . import names
from .context import DemoContext

VALID_FROM = datetime.date(2020, 1, 1)  # before the demo's earliest record (the 2020 elections): services check roles on the day


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str | None  # None: the superuser
    scope: Callable[[DemoContext], Place]
    display_name: str
    person: str | None = None  # a key of DemoContext.people
    step: str = "accounts"  # "accounts", or the app whose demo step makes its person (opened after the apps)


def _property_estate(ctx: DemoContext) -> Place:
    """The other populated estate of 浙工新村's community."""
    zhegong = ctx.estates[names.ZHEGONG]
    return next(e for e in ctx.populated_estates[1:] if e.parent_id == zhegong.parent_id)


ACCOUNTS = (
    DemoAccount("admin", None, lambda c: c.district, "系统管理员"),
    DemoAccount("district", RoleKind.DISTRICT_ADMIN, lambda c: c.district, "区三方办 王主任"),
    DemoAccount("street", RoleKind.STREET_STAFF, lambda c: c.streets["朝晖"], "朝晖街道 李科长"),
    DemoAccount("community", RoleKind.COMMUNITY_WORKER, lambda c: c.communities["河东社区"], "河东社区 陈社工"),
    # Grids are leaves of the tree (estates hang from the community), so the grid worker's
    # role is held at the community their grid belongs to.
    DemoAccount("grid", RoleKind.GRID_WORKER, lambda c: c.communities["河东社区"], "河东社区第1网格 周网格员"),
    DemoAccount("commissioner", RoleKind.BUILDING_COMMISSIONER, lambda c: c.business_communities["新天地商务社区"],
                "新天地楼宇专员 赵专员"),
    DemoAccount("renewal", RoleKind.RENEWAL_WORKER, lambda c: c.estates[names.ZHEGONG], "浙工新村现场工作组二组"),
    DemoAccount("property", RoleKind.PROPERTY_MANAGER, _property_estate, "物业项目经理"),
    DemoAccount("committee", RoleKind.OWNERS_COMMITTEE_MEMBER, lambda c: c.estates["远洋公寓"], "远洋公寓业委会主任",
                person="committee_chair"),
    DemoAccount("owner", RoleKind.RESIDENT, lambda c: c.estates[names.ZHEGONG], "浙工新村业主", person="zhegong_owner"),
    DemoAccount("enterprise", RoleKind.ENTERPRISE_CONTACT, lambda c: c.office_buildings[0], "新天地1号楼企业联系人"),
    # A declared courier of 吴家墩新人公寓 with a son of nine: the programmes' demo step makes the household.
    DemoAccount("courier", RoleKind.RESIDENT, lambda c: c.estates["吴家墩新人公寓"], "吴家墩快递小哥", person="courier",
                step="programs"),
)
USERNAMES = tuple(account.username for account in ACCOUNTS)


def password_for(username: str) -> str:
    """The published demo password of a demo login (never use these outside the demo)."""
    return f"demo-{username}-2023"


def build_accounts(ctx: DemoContext) -> None:
    accounts = [account for account in ACCOUNTS if account.step == "accounts"]
    passwords = [password_for(account.username) for account in accounts]
    # Password hashing is slow on purpose; hashlib releases the GIL, so hash on every core.
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        hashes = list(pool.map(make_password, passwords))
    for account, password, hashed in zip(accounts, passwords, hashes, strict=True):
        _open(ctx, account, password, hashed)


def build_late_accounts(ctx: DemoContext) -> None:
    """The demo logins whose person an app's demo step makes (`DemoAccount.step`), opened after the apps' steps as
    `build_accounts` opens the others."""
    for account in ACCOUNTS:
        if account.step != "accounts" and (account.person is None or account.person in ctx.people):
            password = password_for(account.username)
            _open(ctx, account, password, make_password(password))


def _open(ctx: DemoContext, account: DemoAccount, password: str, hashed: str) -> User:
    person = ctx.people.get(account.person) if account.person else None
    user = User(username=account.username, display_name=account.display_name, person=person,
                is_superuser=account.role is None, password=hashed,
                is_staff=account.role is None or role_permits(account.role, "admin.access"))
    validate_password(password, user)
    user.save()
    if account.role:
        role_assign(user=user, role=account.role, scope=account.scope(ctx), valid_from=VALID_FROM)
    return user


DEMO_API_KEY_PREFIX = "demo-"  # the demo's Open311 clients (commonground/cases/demo/__init__.py)


def api_client_rows() -> list[tuple[str, str, str, str]]:
    """(name, api_key, kind, scope) of the demo's Open311 clients present in the database."""
    clients = ApiClient.objects.filter(api_key__startswith=DEMO_API_KEY_PREFIX, is_active=True).order_by("pk")
    return [(client.name, client.api_key, _("Open311 API client"), _("everything")) for client in clients]


def account_rows() -> list[tuple[str, str, str, str]]:
    """(username, password, role, scope) of the demo logins present in the database, then the demo's
    Open311 clients (name, api_key)."""
    users = {u.username: u for u in User.objects.filter(username__in=USERNAMES)}
    roles = {
        r.user.username: r
        for r in RoleAssignment.objects.filter(user__username__in=USERNAMES).select_related("user", "scope")
    }
    rows = []
    for account in ACCOUNTS:
        if account.username not in users:
            continue
        role = roles.get(account.username)
        rows.append((
            account.username, password_for(account.username),
            str(role.get_role_display()) if role else _("superuser"),
            role.scope.name if role else _("everything"),
        ))
    return rows + api_client_rows() if rows else rows
