"""A deployment on disk for the operations tests: its own var/ folder and database, driven through manage.py."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]


class Deployment:
    """One deployment on disk: its var/ folder and its database (a SQLite file or a scratch PostgreSQL db)."""

    def __init__(self, tmp: Path, name: str, *, like: Deployment | None = None) -> None:
        """An empty deployment, or a copy of the database of `like` (a migrated one: migrating takes a minute)."""
        self.var = tmp / name
        self.database_url = ""
        engine = settings.DATABASES["default"]["ENGINE"]
        if "postgresql" in engine:
            db = settings.DATABASES["default"]
            self.dbname = f"cg_backup_{name}_{uuid.uuid4().hex[:8]}"
            template = f' TEMPLATE "{like.dbname}"' if like else ""
            self._admin(f'CREATE DATABASE "{self.dbname}"{template}')
            auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
            self.database_url = f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{self.dbname}"
        else:
            self.dbname = ""
            self.database_url = f"sqlite:///{self.var / 'commonground.sqlite3'}"
            if like:  # its process has ended: the file holds everything (no write-ahead log left)
                self.var.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(like.var / "commonground.sqlite3", self.var / "commonground.sqlite3")

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


