"""The Content-Security-Policy: on every page, without inline script; and the sources it relies on — templates
with no inline script, handler or style, and static scripts with no HTML or code sinks."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.http import HttpResponse
from django.test import Client

from commonground.config.settings import tile_source
from commonground.core.models import RoleKind
from commonground.web.csp import ContentSecurityPolicyMiddleware

PACKAGE = Path(__file__).resolve().parents[2] / "commonground"
TEMPLATES = sorted(path for path in PACKAGE.glob("*/templates/**/*.html"))
SCRIPTS = sorted(path for path in PACKAGE.glob("*/static/**/*.js") if "vendor" not in path.parts)

POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data: blob:",
    "connect-src": "'self'",
    "font-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'self'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}


def directives(header: str) -> dict[str, str]:
    return {name: value for name, _, value in (part.strip().partition(" ") for part in header.split(";"))}


@pytest.fixture
def failing_client(client, settings):
    settings.ROOT_URLCONF = "tests.web.boom_urls"
    client.raise_request_exception = False
    return client


@pytest.mark.parametrize("address", ["/login/", "/", "/places/", "/places/330105001001/", "/report/",
                                     "/report/?format=html", "/cases/", "/deliberation/meetings/", "/admin/",
                                     "/admin/core/place/", "/places/no-such-place/", "/rosters/"])
def test_html_pages__any_response__carry_the_policy(failing_client, tree, make_user, address):
    failing_client.force_login(make_user(RoleKind.STREET_STAFF, tree.street, is_staff=True))

    response = failing_client.get(address)

    assert response["Content-Type"].startswith("text/html")
    assert directives(response["Content-Security-Policy"]) == POLICY


@pytest.mark.parametrize(("address", "status"), [("/login/", 200), ("/boom/", 500), ("/nowhere/", 404)])
def test_html_pages__anonymous_and_errors__carry_the_policy(failing_client, db, address, status):
    response = failing_client.get(address)

    assert response.status_code == status
    assert directives(response["Content-Security-Policy"]) == POLICY  # script-src 'self': no inline, no eval


def test_pdf_response__no_policy__chromiums_viewer_keeps_working(rf):
    """Chromium applies a PDF's own policy to its built-in viewer (crbug.com/271452): object-src 'none' blanks it."""
    pdf = ContentSecurityPolicyMiddleware(lambda request: HttpResponse(b"%PDF-1.4", content_type="application/pdf"))
    page = ContentSecurityPolicyMiddleware(lambda request: HttpResponse(b"<p>", content_type="text/html"))

    assert "Content-Security-Policy" not in pdf(rf.get("/deliberation/meetings/1.pdf"))
    assert directives(page(rf.get("/"))["Content-Security-Policy"]) == POLICY


@pytest.mark.parametrize(("url", "source"), [
    ("https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png", "https://*.tile.openstreetmap.org"),
    ("https://webrd0{s}.is.autonavi.com/appmaptile?x={x}&y={y}&z={z}", "https://*.is.autonavi.com"),
    ("https://tiles.example.org:8443/{z}/{x}/{y}.png", "https://tiles.example.org:8443"),
    ("/tiles/{z}/{x}/{y}.png", ""),
    ("", ""),
])
def test_tile_source__basemap_url__host_for_img_src(url, source):
    assert tile_source(url) == source


def test_policy__basemap_configured__its_tile_host_in_img_src():
    environment = {**os.environ, "CG_BASEMAP_URL": "https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png",
                   "DJANGO_SETTINGS_MODULE": "commonground.config.settings"}
    shown = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; "
                               "print(*settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src'])"],
        env=environment, capture_output=True, text=True, check=True)

    assert shown.stdout.strip() == "'self' data: blob: https://*.tile.openstreetmap.org"


def test_templates__no_inline_script_handler_or_style():
    offences = []
    for path in TEMPLATES:
        text = path.read_text(encoding="utf-8")
        name = path.relative_to(PACKAGE)
        for tag in re.findall(r"<script\b[^>]*>", text, re.IGNORECASE):
            if "src=" not in tag and 'type="application/json"' not in tag:
                offences.append(f"{name}: inline {tag}")
        offences += [f"{name}: handler {m}" for m in re.findall(r"\son[a-z]+\s*=", text, re.IGNORECASE)]
        offences += [f"{name}: {m}" for m in re.findall(r"<style\b|\sstyle\s*=|javascript:|hx-on", text,
                                                        re.IGNORECASE)]
    assert offences == []


def test_templates__no_unescaped_output():
    unescaped = r"\|\s*safe\b|\|\s*escapejs\b|{%\s*autoescape\s+off"
    offences = [f"{path.relative_to(PACKAGE)}: {m}" for path in TEMPLATES
                for m in re.findall(unescaped, path.read_text(encoding="utf-8"))]
    assert offences == []


def test_static_scripts__no_html_or_code_sinks():
    sinks = (r"innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\s*\(|new\s+Function"
             r"|set(?:Timeout|Interval)\s*\(\s*[\"'`]")
    offences = [f"{path.relative_to(PACKAGE)}: {m}" for path in SCRIPTS
                for m in re.findall(sinks, path.read_text(encoding="utf-8"))]
    assert SCRIPTS and offences == []


def test_csrf_failure__branded_page__no_inline_style(db):
    """Django's own CSRF page carries a <style> the policy refuses; ours links the site's stylesheet."""
    client = Client(enforce_csrf_checks=True)

    response = client.post("/login/", {"username": "someone", "password": "secret"})

    assert response.status_code == 403
    body = response.content.decode()
    assert 'class="brand"' in body and "<style" not in body
    assert directives(response["Content-Security-Policy"]) == POLICY
