"""Backups: the database and the uploads in one file, and a restore that checks itself.

``manage.py backup`` writes ``newsroom-<UTC time>.tar`` holding

- the database: ``database.dump`` (PostgreSQL, ``pg_dump`` custom format) or
  ``database.sqlite3`` (SQLite, a consistent copy made with SQLite's online backup API,
  so the site can keep running);
- ``media/``: every upload and rendition under ``MEDIA_ROOT`` (with S3-compatible storage
  the bucket is the provider's to back up, and the manifest says so);
- ``manifest.json``: when, the engine, each app's latest migration, and the row count of
  every table, read from the same snapshot as the dump.

``manage.py restore FILE`` loads it into the configured database, which must hold no
tables (``--replace`` drops what is there first), puts the media back, and compares
every table's row count with the manifest: a restore that lost rows fails loudly.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from contextlib import closing
from pathlib import Path

import django
from django.apps import apps
from django.conf import settings
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import connections, transaction
from django.db.migrations.recorder import MigrationRecorder

MANIFEST = "manifest.json"
PG_DUMP = "database.dump"
SQLITE_COPY = "database.sqlite3"


class BackupError(Exception):
    """A backup or restore that cannot be made as asked; the message says why."""


def tables() -> list[str]:
    """Every table the project's models keep rows in (many-to-many tables included)."""
    names = set()
    for model in apps.get_models(include_auto_created=True):
        if model._meta.managed and not model._meta.proxy:
            names.add(model._meta.db_table)
    return sorted(names)


def backup(directory: Path, *, alias: str = "default") -> Path:
    """Write a backup of database ``alias`` and the media into ``directory``; its path."""
    directory.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    target = directory / f"newsroom-{stamp}.tar"
    connection = connections[alias]
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        if connection.vendor == "postgresql":
            counts = _dump_postgresql(connection, work / PG_DUMP)
            database = PG_DUMP
        elif connection.vendor == "sqlite":
            counts = _copy_sqlite(connection, work / SQLITE_COPY)
            database = SQLITE_COPY
        else:
            raise BackupError(f"Backups support PostgreSQL and SQLite, not {connection.vendor}.")
        manifest = {
            "created_at": dt.datetime.now(dt.UTC).isoformat(),
            "django": django.get_version(),
            "engine": connection.vendor,
            "database": database,
            "migrations": _latest_migrations(connection),
            "rows": counts,
            "media": _media_note(),
        }
        (work / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True))
        partial = target.with_suffix(".tar.partial")
        with tarfile.open(partial, "w") as archive:
            archive.add(work / MANIFEST, MANIFEST)
            archive.add(work / database, database)
            if _media_root() and _media_root().is_dir():
                archive.add(_media_root(), "media")
        partial.rename(target)  # never a half-written file under the final name
    return target


def restore(path: Path, *, alias: str = "default", replace: bool = False) -> dict:
    """Load the backup at ``path`` into database ``alias`` and the media root; returns
    the manifest. Raises BackupError when the database is not empty (and not
    ``replace``), the file is not a backup, or the restored rows differ."""
    connection = connections[alias]
    if not path.is_file() or not tarfile.is_tarfile(path):
        raise BackupError(f"{path} is not a backup file.")
    with tarfile.open(path) as archive, tempfile.TemporaryDirectory() as work:
        work = Path(work)
        try:
            manifest = json.loads(archive.extractfile(MANIFEST).read())
        except (KeyError, AttributeError, ValueError) as exc:
            raise BackupError(f"{path} has no readable {MANIFEST}.") from exc
        if manifest["engine"] != connection.vendor:
            raise BackupError(
                f"This backup is of a {manifest['engine']} database; "
                f"the configured one is {connection.vendor}."
            )
        existing = connection.introspection.table_names()
        if existing and not replace:
            raise BackupError(
                f"The database already holds {len(existing)} tables: restore into an empty "
                "database, or pass --replace to drop them first."
            )
        # The data filter refuses absolute paths, links out of the directory and devices.
        archive.extractall(work, filter="data")
        if connection.vendor == "postgresql":
            _restore_postgresql(connection, work / PG_DUMP, replace=replace)
        else:
            _restore_sqlite(connection, work / SQLITE_COPY)
        if (work / "media").is_dir() and _media_root():
            shutil.copytree(work / "media", _media_root(), dirs_exist_ok=True)
    restored = count_rows(connection)
    lost = {
        table: (rows, restored.get(table))
        for table, rows in manifest["rows"].items()
        if restored.get(table) != rows
    }
    if lost:
        detail = ", ".join(
            f"{t}: {want} in the backup, {got} restored" for t, (want, got) in lost.items()
        )
        raise BackupError(f"The restored database differs from the backup: {detail}.")
    return manifest


def count_rows(connection) -> dict[str, int]:
    present = set(connection.introspection.table_names())
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        counts = {}
        for table in tables():
            if table in present:
                # Table names come from our models' metadata, quoted by the backend.
                cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608 # nosec B608
                counts[table] = cursor.fetchone()[0]
        return counts


# -- PostgreSQL --------------------------------------------------------------------------


def _pg_command(connection, program: str) -> tuple[list[str], dict[str, str]]:
    params = connection.settings_dict
    command = [program, "--no-owner", "--no-acl"]
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if params.get(key):
            command += [flag, str(params[key])]
    env = dict(os.environ)
    if params.get("PASSWORD"):
        env["PGPASSWORD"] = params["PASSWORD"]
    return command, env


def _dump_postgresql(connection, target: Path) -> dict[str, int]:
    """pg_dump of the same snapshot the row counts are read from."""
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        counts = count_rows(connection)
        command, env = _pg_command(connection, "pg_dump")
        command += ["--format=custom", f"--snapshot={snapshot}", "--file", str(target)]
        _run([*command, connection.settings_dict["NAME"]], env)
    return counts


def _restore_postgresql(connection, dump: Path, *, replace: bool) -> None:
    connection.close()
    command, env = _pg_command(connection, "pg_restore")
    command += ["--exit-on-error", "--single-transaction"]
    if replace:
        command += ["--clean", "--if-exists"]
    _run([*command, "--dbname", connection.settings_dict["NAME"], str(dump)], env)


def _run(command: list[str], env: dict[str, str]) -> None:
    try:
        subprocess.run(command, env=env, check=True, capture_output=True, text=True)  # noqa: S603
    except FileNotFoundError as exc:
        raise BackupError(f"{command[0]} is not installed (Debian: postgresql-client).") from exc
    except subprocess.CalledProcessError as exc:
        raise BackupError(f"{command[0]} failed: {exc.stderr.strip()}") from exc


# -- SQLite ----------------------------------------------------------------------------


def _copy_sqlite(connection, target: Path) -> dict[str, int]:
    connection.ensure_connection()
    with closing(sqlite3.connect(target)) as copy:
        connection.connection.backup(copy)
        present = {r[0] for r in copy.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        return {
            # Table names come from our models' metadata.
            table: copy.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]  # noqa: S608 # nosec B608
            for table in tables()
            if table in present
        }


def _restore_sqlite(connection, source: Path) -> None:
    connection.ensure_connection()
    with closing(sqlite3.connect(source)) as copy:
        copy.backup(connection.connection)


# -- the rest ----------------------------------------------------------------------------


def _latest_migrations(connection) -> dict[str, str]:
    latest: dict[str, str] = {}
    recorder = MigrationRecorder(connection)
    if recorder.has_table():
        for app, name in recorder.applied_migrations():
            latest[app] = max(latest.get(app, ""), name)
    return dict(sorted(latest.items()))


def _media_root() -> Path | None:
    if isinstance(default_storage, FileSystemStorage):
        return Path(settings.MEDIA_ROOT)
    return None


def _media_note() -> str:
    if _media_root() is None:
        return f"not included: uploads are on {type(default_storage).__name__}"
    return "included"
