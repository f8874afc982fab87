"""Backup and restore of a whole deployment: the database, the uploaded files and the secret key, in one archive.

The database is copied as a consistent snapshot while the site keeps serving: SQLite through its online
backup API (which includes what is still in the WAL — a plain file copy lost acknowledged writes), PostgreSQL
through pg_dump inside an exported snapshot, so the row counts written to the manifest are those of the dump.
The database goes first, then the files: an uploaded file is written before the row that names it, so every
file the snapshot names is in the archive.

Archive (tar.gz): manifest.json, database.sqlite3 or database.dump, media/…, secret_key (when kept in var/).
"""

from __future__ import annotations

import datetime
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import connection, connections

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_NAME = "database.sqlite3"
DUMP_NAME = "database.dump"
MEDIA_DIR = "media"
SECRET_NAME = "secret_key"
MIGRATE_WRITES = ("django_migrations", "django_content_type", "auth_permission")


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why, for the operator."""


@dataclass
class Manifest:
    engine: str
    created_at: str
    counts: dict[str, int]
    media_files: int = 0
    secret_key: bool = False
    format: int = FORMAT

    def as_json(self) -> str:
        return json.dumps(self.__dict__, ensure_ascii=False, indent=2, sort_keys=True)


@dataclass
class RestoreReport:
    counts: dict[str, int]
    expected: dict[str, int]
    media_files: int
    differences: dict[str, tuple[int, int]] = field(default_factory=dict)


def engine() -> str:
    return connection.vendor  # "sqlite" or "postgresql"


def app_tables() -> list[str]:
    """Every table of the installed models (ours and the libraries'), in a stable order."""
    return sorted({model._meta.db_table for model in apps.get_models(include_auto_created=True)
                   if model._meta.managed and not model._meta.proxy})


def _counts(cursor: Any, quote: Callable[[str], str]) -> dict[str, int]:
    counts = {}
    for table in app_tables():
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")
        counts[table] = int(cursor.fetchone()[0])
    return counts


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


# --- backup ----------------------------------------------------------------------------------------------

def backup(output: Path, *, real_now: datetime.datetime) -> Manifest:
    """Write the archive to `output` (written beside it, then renamed: a half-written archive never exists)."""
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=output.parent) as work_dir:
        work = Path(work_dir)
        if engine() == "sqlite":
            counts = _sqlite_snapshot(work / SQLITE_NAME)
        elif engine() == "postgresql":
            counts = _postgres_dump(work / DUMP_NAME)
        else:
            raise BackupError(f"backups support SQLite and PostgreSQL, not {engine()}")
        manifest = Manifest(engine=engine(), created_at=real_now.isoformat(), counts=counts)
        partial = work / "archive.tar.gz"
        with tarfile.open(partial, "w:gz") as archive:
            database = SQLITE_NAME if manifest.engine == "sqlite" else DUMP_NAME
            archive.add(work / database, arcname=database)
            for path in _media_files():
                archive.add(path, arcname=f"{MEDIA_DIR}/{path.relative_to(settings.MEDIA_ROOT).as_posix()}")
                manifest.media_files += 1
            secret = secret_key_file()
            if secret is not None:
                archive.add(secret, arcname=SECRET_NAME)
                manifest.secret_key = True
            _add_text(archive, MANIFEST, manifest.as_json())
        os.replace(partial, output)
    return manifest


def _sqlite_snapshot(target: Path) -> dict[str, int]:
    """SQLite's online backup API copies a consistent snapshot, WAL included, while writers go on."""
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        connection.connection.backup(copy)
        return _counts(copy.cursor(), _quote)
    finally:
        copy.close()


def _postgres_dump(target: Path) -> dict[str, int]:
    """pg_dump inside a snapshot this connection exports, and the row counts of that same snapshot."""
    if connection.in_atomic_block:
        raise BackupError("a backup runs on its own connection, outside any transaction")
    with connections["default"].cursor() as cursor:  # autocommit: BEGIN opens the snapshot's transaction
        cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        try:
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--snapshot={snapshot}",
                  f"--file={target}", "--dbname", _dsn()])
            return _counts(cursor, connection.ops.quote_name)
        finally:
            cursor.execute("ROLLBACK")


def _media_files() -> Iterator[Path]:
    root = Path(settings.MEDIA_ROOT)
    if root.is_dir():
        yield from sorted(path for path in root.rglob("*") if path.is_file())


def secret_key_file() -> Path | None:
    """The generated secret key (var/secret_key), unless the deployment sets SECRET_KEY itself."""
    path = Path(settings.VAR_DIR) / SECRET_NAME
    return path if path.exists() and not os.environ.get("SECRET_KEY") else None


def _add_text(archive: tarfile.TarFile, name: str, text: str) -> None:
    data = text.encode("utf-8")
    info = tarfile.TarInfo(name)
    info.size = len(data)
    archive.addfile(info, io.BytesIO(data))


# --- restore ---------------------------------------------------------------------------------------------

def read_manifest(archive_path: Path) -> Manifest:
    with tarfile.open(archive_path, "r:gz") as archive:
        member = archive.extractfile(MANIFEST)
        if member is None:
            raise BackupError(f"{archive_path} holds no {MANIFEST}: not a CommonGround backup")
        data = json.loads(member.read())
    if data.get("format") != FORMAT:
        raise BackupError(f"backup format {data.get('format')} is not {FORMAT}")
    return Manifest(**data)


def database_is_empty() -> bool:
    """No rows but what `migrate` writes (an unmigrated database is empty too)."""
    existing = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        for table in app_tables():
            if table in existing and table not in MIGRATE_WRITES:
                cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(table)} LIMIT 1")
                if cursor.fetchone():
                    return False
    return True


def restore(archive_path: Path, *, replace: bool = False) -> RestoreReport:
    """Restore the archive into the configured database, media folder and var/ (the site should be stopped)."""
    manifest = read_manifest(archive_path)
    if manifest.engine != engine():
        raise BackupError(f"the backup is of a {manifest.engine} database; this deployment uses {engine()}")
    if not replace and not database_is_empty():
        raise BackupError("the database is not empty; restore with --replace to overwrite it")
    with tempfile.TemporaryDirectory() as work_dir, tarfile.open(archive_path, "r:gz") as archive:
        work = Path(work_dir)
        archive.extractall(work, filter="data")
        if manifest.engine == "sqlite":
            _sqlite_restore(work / SQLITE_NAME)
        else:
            _postgres_restore(work / DUMP_NAME)
        media = _restore_media(work / MEDIA_DIR, replace=replace)
        if manifest.secret_key and not os.environ.get("SECRET_KEY"):
            target = Path(settings.VAR_DIR) / SECRET_NAME
            shutil.copyfile(work / SECRET_NAME, target)
            target.chmod(0o600)
    with connection.cursor() as cursor:
        counts = _counts(cursor, connection.ops.quote_name)
    report = RestoreReport(counts=counts, expected=manifest.counts, media_files=media)
    report.differences = {table: (manifest.counts.get(table, 0), counts.get(table, 0))
                          for table in sorted({*counts, *manifest.counts})
                          if manifest.counts.get(table, 0) != counts.get(table, 0)}
    return report


def _sqlite_restore(source: Path) -> None:
    """The backup API in reverse: the archived database replaces the live one page by page, under its lock."""
    connection.ensure_connection()
    archived = sqlite3.connect(source)
    try:
        archived.backup(connection.connection)
    finally:
        archived.close()


def _postgres_restore(source: Path) -> None:
    connection.close()
    _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
          "--exit-on-error", "--dbname", _dsn(), str(source)])


def _restore_media(source: Path, *, replace: bool) -> int:
    root = Path(settings.MEDIA_ROOT)
    if replace and root.is_dir():
        shutil.rmtree(root)
    restored = 0
    if source.is_dir():
        for path in sorted(p for p in source.rglob("*") if p.is_file()):
            target = root / path.relative_to(source)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)
            restored += 1
    return restored


# --- PostgreSQL tools ------------------------------------------------------------------------------------

def _dsn() -> str:
    """A libpq connection string for the configured database (password passed through the environment)."""
    db = settings.DATABASES["default"]
    parts = {"dbname": db["NAME"], "user": db.get("USER"), "host": db.get("HOST"), "port": db.get("PORT")}
    return " ".join(f"{key}={value}" for key, value in parts.items() if value)


def _run(command: list[str]) -> None:
    env = {**os.environ}
    password = settings.DATABASES["default"].get("PASSWORD")
    if password:
        env["PGPASSWORD"] = password
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} is not installed (Debian: apt-get install postgresql-client)")
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip()[-2000:]}")

