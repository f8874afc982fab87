"""Backup and restore of the demo while it is being written to, on the suite's database engine: everything
acknowledged before the backup began comes back, nothing half-written does, and every table's count matches."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
WRITER = Path(__file__).with_name("writer.py")
CHECK = ("import json; from commonground.cases.models import Case, CaseEvent; "
         "print(json.dumps({'numbers': sorted(Case.objects.values_list('number', flat=True)), "
         "'unreported': Case.objects.exclude(events__action='reported').count(), "
         "'numberless': Case.objects.filter(number__startswith='tmp-').count()}))")


class Deployment:
    """One deployment on disk: its var/ folder and its database (a SQLite file or a scratch PostgreSQL db)."""

    def __init__(self, tmp: Path, name: str) -> None:
        self.var = tmp / name
        self.database_url = ""
        engine = settings.DATABASES["default"]["ENGINE"]
        if "postgresql" in engine:
            db = settings.DATABASES["default"]
            self.dbname = f"cg_backup_{name}_{uuid.uuid4().hex[:8]}"
            self._admin(f'CREATE DATABASE "{self.dbname}"')
            auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
            self.database_url = f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{self.dbname}"
        else:
            self.dbname = ""
            self.database_url = f"sqlite:///{self.var / 'commonground.sqlite3'}"

    def _admin(self, sql: str) -> None:
        import psycopg

        db = settings.DATABASES["default"]
        with psycopg.connect(dbname="postgres", user=db["USER"], password=db.get("PASSWORD") or None,
                             host=db["HOST"] or None, port=db["PORT"] or None, autocommit=True) as conn:
            conn.execute(sql)

    def env(self) -> dict[str, str]:
        inherited = {k: v for k, v in os.environ.items() if k not in ("DJANGO_ALLOW_ASYNC_UNSAFE",)}
        return {**inherited, "CG_VAR_DIR": str(self.var), "DATABASE_URL": self.database_url, "SECRET_KEY": "",
                "PYTHONUNBUFFERED": "1"}

    def run(self, *args: str, timeout: int = 600) -> subprocess.CompletedProcess:
        env = self.env()
        env.pop("SECRET_KEY")
        done = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True,
                              text=True, timeout=timeout)
        assert done.returncode == 0, done.stderr[-3000:] + done.stdout[-2000:]
        return done

    def drop(self) -> None:
        if self.dbname:
            self._admin(f'DROP DATABASE IF EXISTS "{self.dbname}" WITH (FORCE)')


@pytest.fixture
def deployments(tmp_path):
    made = [Deployment(tmp_path, "live"), Deployment(tmp_path, "restored")]
    yield made
    for deployment in made:
        deployment.drop()


@pytest.mark.slow
def test_backup_restore__while_the_demo_is_written_to__acknowledged_cases_back_nothing_half_written(
        deployments, tmp_path):
    live, restored = deployments
    live.run("migrate", "-v", "0")
    live.run("demo", timeout=900)
    env = live.env()
    env.pop("SECRET_KEY")
    writer = subprocess.Popen([sys.executable, str(WRITER)], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    acknowledged: list[str] = []
    reader = threading.Thread(target=lambda: acknowledged.extend(
        line.split()[1] for line in writer.stdout if line.startswith("ACK ")), daemon=True)
    reader.start()
    try:
        deadline = time.monotonic() + 120
        while len(acknowledged) < 20 and time.monotonic() < deadline and writer.poll() is None:
            time.sleep(0.05)
        assert len(acknowledged) >= 20, writer.stderr.read() if writer.poll() is not None else "writer too slow"
        before = len(acknowledged)
        live.run("backup", "-o", str(tmp_path / "backup.tar.gz"))
        time.sleep(0.5)
        assert writer.poll() is None, "the writer failed while the backup ran: " + writer.stderr.read()[-2000:]
    finally:
        writer.terminate()
        writer.wait(timeout=30)

    restored.run("migrate", "-v", "0")
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
def test_restore__into_a_database_with_data__refused_without_replace(deployments, tmp_path):
    live, restored = deployments
    live.run("migrate", "-v", "0")
    live.run("seed_categories")
    live.run("backup", "-o", str(tmp_path / "backup.tar.gz"))
    restored.run("migrate", "-v", "0")
    restored.run("seed_categories")

    env = restored.env()
    env.pop("SECRET_KEY")
    refused = subprocess.run([sys.executable, "manage.py", "restore", str(tmp_path / "backup.tar.gz")], cwd=ROOT,
                             env=env, capture_output=True, text=True, timeout=300)

    assert refused.returncode != 0 and "--replace" in refused.stderr
    assert "every table's count matches" in restored.run("restore", "--replace", str(tmp_path / "backup.tar.gz")).stdout
