"""Every string the code marks for translation is in the zh_Hans catalogue, translated and not fuzzy.

The catalogue is extracted afresh from a copy of the package (Django's makemessages, GNU gettext) and compared
with the committed one by gettext's msgcmp; `make messages` brings the catalogue up to date."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "commonground"
COMMITTED = PACKAGE / "locale/zh_Hans/LC_MESSAGES/django.po"


@pytest.mark.skipif(shutil.which("msgcmp") is None, reason="GNU gettext is not installed")
def test_catalogue__every_marked_string__translated(tmp_path):
    copy = tmp_path / "src"
    shutil.copytree(PACKAGE, copy / "commonground",
                    ignore=shutil.ignore_patterns("__pycache__", "vendor", "*.mo", "*.po", "node_modules"))
    inherited = {k: v for k, v in os.environ.items() if k not in ("DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL")}
    env = {**inherited, "PYTHONPATH": str(copy), "DJANGO_SETTINGS_MODULE": "commonground.config.settings",
           "CG_VAR_DIR": str(tmp_path / "var")}
    extract = subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "zh_Hans", "--no-obsolete", "--add-location=never"],
        cwd=copy / "commonground", env=env, capture_output=True, text=True, timeout=300)
    assert extract.returncode == 0, extract.stderr
    fresh = copy / "commonground/locale/zh_Hans/LC_MESSAGES/django.po"
    assert fresh.exists() and not str(fresh).startswith(str(PACKAGE))

    compared = subprocess.run(["msgcmp", str(COMMITTED), str(fresh)], capture_output=True, text=True, timeout=120)

    missing = [line for line in compared.stderr.splitlines() if "used but not defined" in line or "untranslated" in line
               or "fuzzy" in line]
    assert compared.returncode == 0 and missing == [], compared.stderr[-4000:]


def test_catalogue__gettext_imported_under_names_makemessages_knows():
    """makemessages extracts `_`, `gettext`, `gettext_lazy`, `ngettext`, `pgettext`…; a string marked through any
    other alias (`gettext_lazy as _l`) is never extracted, stays English, and the catalogue test cannot see it."""
    import re

    alias = re.compile(r"import [^\n]*\b(?:n|p|np)?gettext(?:_lazy|_noop)? as (?!_\b)\w+")
    offenders = [str(path.relative_to(ROOT)) for path in PACKAGE.rglob("*.py")
                 if "migrations" not in path.parts and alias.search(path.read_text(encoding="utf-8"))]
    assert offenders == []
