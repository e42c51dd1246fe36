"""The database half of a backup, consistent with the files it lists.

PostgreSQL: one REPEATABLE READ, READ ONLY transaction exports its snapshot; the file rows are
read in that transaction and ``pg_dump --snapshot`` dumps exactly that snapshot, so the dump and
the list of files are the same moment, however busy the site is. (Files are written before the
row that names them commits, and a sealed file is never replaced: every file of the snapshot is
there to copy.) Restored with ``pg_restore`` into an empty database.

SQLite: the sqlite3 backup API copies the database at one moment, and the file rows are read
from that copy. Restored with the same API into an empty database file.

pg_dump and pg_restore get the connection from the environment (PGHOST, PGPASSWORD, ...), never
on their command line, where other users of the machine could read the password.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

from django.db import connection, transaction

from workflow.backup.files import BackupError, FileRow, list_file_rows

PG_DUMP_FILE = "database.pgdump"
SQLITE_FILE = "database.sqlite3"
_PG_OPTIONS = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "connect_timeout": "PGCONNECT_TIMEOUT",
}


def vendor() -> str:
    if connection.vendor not in ("postgresql", "sqlite"):
        raise BackupError(f"Backups know PostgreSQL and SQLite, not {connection.vendor}.")
    return connection.vendor


def pg_environment() -> dict[str, str]:
    settings = connection.settings_dict
    env = {key: value for key, value in os.environ.items() if not key.startswith("PG")}
    values = {
        "PGHOST": settings.get("HOST"),
        "PGPORT": settings.get("PORT"),
        "PGUSER": settings.get("USER"),
        "PGPASSWORD": settings.get("PASSWORD"),
        "PGDATABASE": settings.get("NAME"),
    }
    for option, variable in _PG_OPTIONS.items():
        values[variable] = (settings.get("OPTIONS") or {}).get(option)
    env.update({key: str(value) for key, value in values.items() if value not in (None, "")})
    return env


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} is not installed (Debian: apt-get install postgresql-client).")
    return path


def _run(command: list[str]) -> None:
    result = subprocess.run(  # noqa: S603 - our own arguments, no shell
        command, env=pg_environment(), capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {result.stderr.strip()}")


def dump(folder: Path) -> tuple[str, list[FileRow]]:
    """Dump the database into ``folder``; the dump's file name and the file rows it names."""
    if connection.in_atomic_block:
        raise BackupError("A backup runs outside any transaction.")
    if vendor() == "postgresql":
        return PG_DUMP_FILE, _pg_dump(folder / PG_DUMP_FILE)
    return SQLITE_FILE, _sqlite_dump(folder / SQLITE_FILE)


def _pg_dump(target: Path) -> list[FileRow]:
    pg_dump = _tool("pg_dump")
    connection.ensure_connection()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        rows = list_file_rows(cursor)
        # The exporting transaction stays open until pg_dump has taken the snapshot (it holds
        # it for its whole run once taken).
        _run([pg_dump, "--format=custom", f"--snapshot={snapshot}", f"--file={target}"])
    return rows


def _sqlite_dump(target: Path) -> list[FileRow]:
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        connection.connection.backup(copy)
        return list_file_rows(copy.cursor())
    finally:
        copy.close()


def tables() -> list[str]:
    return connection.introspection.table_names()


def ensure_empty() -> None:
    found = tables()
    if found:
        raise BackupError(
            f"The database {connection.settings_dict['NAME']} is not empty ({len(found)} "
            "tables): restore only into a newly created, empty database."
        )


def check_vendor(manifest: dict[str, Any]) -> None:
    backed_up = manifest["database"]["vendor"]
    if backed_up != vendor():
        raise BackupError(
            f"This backup is of a {backed_up} database; the settings point at {vendor()}."
        )


def restore(folder: Path, manifest: dict[str, Any]) -> None:
    check_vendor(manifest)
    source = folder / manifest["database"]["file"]
    if vendor() == "postgresql":
        _run(
            [
                _tool("pg_restore"),
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                f"--dbname={connection.settings_dict['NAME']}",
                str(source),
            ]
        )
    else:
        _sqlite_restore(source)
    connection.close()


def _sqlite_restore(source: Path) -> None:
    name = str(connection.settings_dict["NAME"])
    if name in ("", ":memory:") or name.startswith("file::memory:"):
        raise BackupError("Restore into a database file, not an in-memory database.")
    connection.close()
    backup = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    target = sqlite3.connect(name)
    try:
        backup.backup(target)
    finally:
        target.close()
        backup.close()
