"""Backup and restore: the database and the stored files it names, at one moment.

``backup_create(into=DIR)`` writes ``DIR/database.*`` (pg_dump's custom format, or a SQLite
copy), ``DIR/files/<model>/<field>/<name>`` and, last, ``DIR/manifest.json`` with the SHA-256
of each: a folder without the manifest is not a backup. ``backup_restore(source=DIR)`` checks
every digest first, refuses a database that is not empty, writes the files back through the
storages (MEDIA_ROOT or a bucket), then the database. Afterwards ``verify_audit`` and
``verify_sealed`` prove the trail and the sealed PDFs (README, "Operations").
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils import timezone

from workflow.backup import database
from workflow.backup.files import BackupError, check_entry, copy_in, copy_out, file_sha256

FORMAT = "idhini-backup/1"
MANIFEST = "manifest.json"

__all__ = ["BackupError", "BackupSummary", "backup_create", "backup_restore", "read_manifest"]


@dataclass(frozen=True)
class BackupSummary:
    folder: Path
    vendor: str
    database_bytes: int
    files: int
    file_bytes: int
    written: int = 0  # restore: files written (the others were already there, identical)


def _prepare(folder: Path) -> None:
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise BackupError(f"{folder} is not an empty folder: give a new one for each backup.")
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(folder, 0o700)  # personal data: the service user's eyes only


def backup_create(*, into: Path) -> BackupSummary:
    _prepare(into)
    started = timezone.now()
    dump_name, rows = database.dump(into)
    entries = [copy_out(row, into) for row in rows]
    dump_path = into / dump_name
    manifest = {
        "format": FORMAT,
        "created_at": started.isoformat(),
        "database": {
            "vendor": database.vendor(),
            "file": dump_name,
            "sha256": file_sha256(dump_path),
            "size": dump_path.stat().st_size,
        },
        "files": entries,
    }
    partial = into / f".{MANIFEST}.partial"
    partial.write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    partial.replace(into / MANIFEST)
    return _summary(into, manifest)


def read_manifest(folder: Path) -> dict[str, Any]:
    path = folder / MANIFEST
    if not path.is_file():
        raise BackupError(f"{folder} has no {MANIFEST}: not a finished backup.")
    try:
        manifest = json.loads(path.read_text())
    except (ValueError, UnicodeDecodeError) as exc:
        raise BackupError(f"{path} is not readable JSON: {exc}") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{path} is not an Idhini backup manifest ({FORMAT}).")
    return manifest


def backup_restore(*, source: Path) -> BackupSummary:
    manifest = read_manifest(source)
    dump = manifest["database"]
    check_entry({**dump, "path": dump["file"], "name": dump["file"]}, source)
    for entry in manifest["files"]:
        check_entry(entry, source)
    database.check_vendor(manifest)
    database.ensure_empty()
    written = sum(copy_in(entry, source) for entry in manifest["files"])
    database.restore(source, manifest)
    return _summary(source, manifest, written=written)


def _summary(folder: Path, manifest: dict[str, Any], written: int = 0) -> BackupSummary:
    return BackupSummary(
        folder=folder,
        vendor=manifest["database"]["vendor"],
        database_bytes=manifest["database"]["size"],
        files=len(manifest["files"]),
        file_bytes=sum(entry["size"] for entry in manifest["files"]),
        written=written,
    )
