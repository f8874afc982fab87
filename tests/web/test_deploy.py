"""The deployment check: one setting (CG_HTTPS=1) turns on everything `check --deploy` asks of an HTTPS site."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def deploy_check(tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}  # set by the browser tests
    environment = {**inherited, "CG_VAR_DIR": str(tmp_path), "DEBUG": "0", **env}
    return subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], cwd=ROOT,
                          env=environment, capture_output=True, text=True, timeout=120)


def test_check_deploy__cg_https__no_warnings(tmp_path):
    result = deploy_check(tmp_path, CG_HTTPS="1")
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_check_deploy__without_cg_https__the_https_warnings(tmp_path):
    result = deploy_check(tmp_path)
    assert result.returncode != 0
    for code in ("W004", "W008", "W012", "W016"):
        assert code in result.stderr + result.stdout
