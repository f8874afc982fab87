"""`make screenshots`: the demo district as its users see it, at a phone's and a desk's size, into docs/screenshots/.

Builds the demo into a throwaway database, serves it with `commonground serve`, logs in as each role through the
login page, and takes each role's home and main task page at 390×844 and 1440×900 (the visible screen, not the
whole page, to keep the files small), with axe-core run on every page (tests/browser.py); any serious or critical
violation fails the run. `--url` takes the screenshots of a server already running the demo instead.

    python -m tests.screenshots [--url http://127.0.0.1:8000] [--all]
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.request import urlopen

from tests.browser import CHROMIUM, LAUNCH_ARGS, ROOT, VIEWPORTS, AuditedBrowser, AxeAudit

OUT = ROOT / "docs" / "screenshots"


@dataclass(frozen=True)
class Role:
    """Who logs in (no username: a visitor) and the pages that show their day: home first, then the main task."""

    name: str
    username: str | None
    password: str | None
    pages: tuple[tuple[str, str], ...]  # (name in the file, path)


HOME = ("home", "/")
ROLES = (
    Role("visitor", None, None, (("home", "/"),)),
    Role("owner", "owner", "demo-owner-2023", (HOME, ("votes", "/deliberation/votes/mine/"))),
    Role("enterprise", "enterprise", "demo-enterprise-2023", (HOME, ("demands", "/cases/mine/"))),
    Role("community", "community", "demo-community-2023", (HOME, ("queue", "/cases/"))),
    Role("grid", "grid", "demo-grid-2023", (HOME, ("queue", "/cases/"))),
    Role("district", "district", "demo-district-2023", (HOME, ("figures", "/cases/figures/"))),
)
MORE_ROLES = (
    Role("street", "street", "demo-street-2023", (HOME, ("queue", "/cases/"))),
    Role("commissioner", "commissioner", "demo-commissioner-2023", (HOME, ("queue", "/cases/"))),
    Role("renewal", "renewal", "demo-renewal-2023", (HOME, ("representatives", "/deliberation/representatives/"))),
    Role("property", "property", "demo-property-2023", (HOME, ("queue", "/cases/"))),
    Role("committee", "committee", "demo-committee-2023", (HOME, ("votes", "/deliberation/votes/"))),
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def demo_server():
    """The demo built into a temporary folder (SQLite) and served by gunicorn; yields its URL."""
    var = Path(tempfile.mkdtemp(prefix="cg-screenshots-"))
    port = free_port()
    env = {**os.environ, "CG_VAR_DIR": str(var), "CG_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": "2",
           "PYTHONPATH": str(ROOT)}
    for name in ("DATABASE_URL", "DEBUG", "CG_HTTPS"):
        env.pop(name, None)
    cli = [sys.executable, "-m", "commonground.cli"]
    server = None
    try:
        for command in (["migrate", "--noinput", "-v", "0"], ["demo", "--no-progress"],
                        ["collectstatic", "--noinput", "-v", "0"]):
            print("commonground", *command, flush=True)
            subprocess.run(cli + command, env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        server = subprocess.Popen(cli + ["serve", "--log-level", "warning", "--access-logfile", "/dev/null"],
                                  env=env, cwd=ROOT)
        url = f"http://127.0.0.1:{port}"
        for _ in range(120):
            try:
                urlopen(f"{url}/login/", timeout=2)  # noqa: S310 - our own server on localhost
                break
            except OSError:
                time.sleep(0.5)
        yield url
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        shutil.rmtree(var, ignore_errors=True)


def log_in(page, url: str, role: Role) -> None:
    page.goto(f"{url}/login/")
    page.fill("input[name=username]", role.username)
    page.fill("input[name=password]", role.password)
    with page.expect_navigation():
        page.click(".login-box button[type=submit]")


def take(url: str, roles: tuple[Role, ...]) -> list[Path]:
    from playwright.sync_api import sync_playwright

    OUT.mkdir(parents=True, exist_ok=True)
    audit = AxeAudit()
    taken = []
    with sync_playwright() as playwright:
        browser = AuditedBrowser(playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS), audit)
        for role in roles:
            for size, viewport in VIEWPORTS.items():
                context = browser.new_context(viewport=viewport, locale="zh-CN")
                page = context.new_page()
                if role.username:
                    log_in(page, url, role)
                for name, path in role.pages:
                    page.goto(url + path)
                    page.wait_for_load_state("networkidle")
                    target = OUT / f"{role.name}-{name}-{size}.png"
                    page.screenshot(path=target, animations="disabled")
                    taken.append(target)
                    print(target.relative_to(ROOT), flush=True)
                context.close()
        browser.close()
    write_index(taken, audit)
    failures = audit.failures()
    if failures:
        raise SystemExit(failures)
    print(f"axe checked {len(audit.checks)} pages ({len(audit.pages())} distinct): " + " ".join(audit.pages()))
    return taken


def write_index(taken: list[Path], audit: AxeAudit) -> None:
    lines = ["# Screenshots", "",
             "Written by `make screenshots` (tests/screenshots.py) from the demo district; do not edit by hand.", "",
             "| role | page | phone 390×844 | desktop 1440×900 |", "| --- | --- | --- | --- |"]
    for path in taken:
        role, page, size = path.stem.rsplit("-", 2)
        if size == "phone":
            lines.append(f"| {role} | {page} | ![]({path.name}) | ![]({path.name.replace('-phone', '-desktop')}) |")
    lines += ["", "Pages axe-core checked (no violation of impact serious or critical):", ""]
    lines += [f"- `{page}`" for page in audit.pages()]
    (OUT / "README.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="a server already running the demo (default: build and serve one)")
    parser.add_argument("--all", action="store_true", help="every demo account, not only the six main roles")
    args = parser.parse_args(argv)
    roles = ROLES + MORE_ROLES if args.all else ROLES
    if args.url:
        take(args.url.rstrip("/"), roles)
        return
    with demo_server() as url:
        take(url, roles)


if __name__ == "__main__":
    main()
