"""Backup and restore of the demo while it is being written to, on the suite's database engine: everything
acknowledged before the backup began comes back, nothing half-written does, and every table's count matches."""

from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest

from .conftest import Filer
from .deploy import ROOT, Deployment

CHECK = ("import json; from commonground.cases.models import Case, CaseEvent; "
         "print(json.dumps({'numbers': sorted(Case.objects.values_list('number', flat=True)), "
         "'unreported': Case.objects.exclude(events__action='reported').count(), "
         "'numberless': Case.objects.filter(number__startswith='tmp-').count()}))")


@pytest.fixture
def restored(tmp_path, migrated):
    """An empty migrated deployment to restore into."""
    deployment = Deployment(tmp_path, "restored", like=migrated)
    yield deployment
    deployment.drop()


@pytest.mark.slow
def test_backup_restore__while_the_demo_is_written_to__acknowledged_cases_back_nothing_half_written(
        demo_deployment, restored, tmp_path):
    live = demo_deployment
    filer = Filer(live)
    try:
        deadline = time.monotonic() + 120
        while len(filer.acknowledged) < 20 and time.monotonic() < deadline and not filer.failed():
            time.sleep(0.05)
        assert len(filer.acknowledged) >= 20, filer.failed() or "the writer is too slow"
        before = len(filer.acknowledged)
        live.run("backup", "-o", str(tmp_path / "backup.tar.gz"))
        time.sleep(0.5)
        assert not filer.failed(), "the writer failed while the backup ran"
    finally:
        filer.stop()
    acknowledged = [number for number, _seconds in filer.acknowledged]

    message = restored.run("restore", str(tmp_path / "backup.tar.gz")).stdout
    state = json.loads(restored.run("shell", "-c", CHECK).stdout.strip().splitlines()[-1])

    assert "every table's count matches" in message
    # The snapshot holds the writer's cases up to one moment: a prefix of what it acknowledged, at least
    # everything acknowledged before the backup began, with no gap.
    written = [number for number in acknowledged if number in set(state["numbers"])]
    assert written == acknowledged[:len(written)]
    assert len(written) >= before
    assert (state["unreported"], state["numberless"]) == (0, 0)
    assert (restored.var / "media" / "ballots" / "demo").is_dir()
    assert (restored.var / "secret_key").read_text() == (live.var / "secret_key").read_text()


@pytest.mark.slow
def test_restore__into_a_database_with_data__refused_without_replace(tmp_path, restored, migrated):
    live = Deployment(tmp_path, "small", like=migrated)
    try:
        live.run("seed_categories")
        live.run("backup", "-o", str(tmp_path / "backup.tar.gz"))
    finally:
        live.drop()
    restored.run("seed_categories")

    env = restored.env()
    env.pop("SECRET_KEY")
    refused = subprocess.run([sys.executable, "manage.py", "restore", str(tmp_path / "backup.tar.gz")], cwd=ROOT,
                             env=env, capture_output=True, text=True, timeout=300)

    assert refused.returncode != 0 and "--replace" in refused.stderr
    assert "every table's count matches" in restored.run("restore", "--replace", str(tmp_path / "backup.tar.gz")).stdout
