"""The stored files a backup carries: every file that a row of the database names in a
FileField (sealed PDFs today, annexes when they come), read and written through the field's own
storage (MEDIA_ROOT or an S3 bucket alike), each with its SHA-256 in the manifest.

Previews are not carried: no row names them, and they are rendered again on request.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from django.apps import apps
from django.core.files import File
from django.db import models

CHUNK = 1024 * 1024


class BackupError(Exception):
    """The backup or the restore cannot go on; the message says why."""


@dataclass(frozen=True)
class FileRow:
    model: str  # "approvals.sealedpdf"
    field: str
    pk: str
    name: str  # the name in the storage
    recorded_sha256: str | None  # the row's own digest, when it keeps one


def file_fields() -> Iterator[tuple[type[models.Model], list[models.FileField]]]:
    for model in apps.get_models():
        fields = [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]
        if fields and not model._meta.proxy:
            yield model, fields


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def list_file_rows(cursor) -> list[FileRow]:
    """The files the rows name, read through a DB-API ``cursor`` (the snapshot's transaction on
    PostgreSQL, the copied database file for SQLite): plain SQL both understand."""
    rows: list[FileRow] = []
    for model, fields in file_fields():
        meta = model._meta
        digest = "sha256" if any(f.column == "sha256" for f in meta.concrete_fields) else None
        for field in fields:
            columns = [_quote(meta.pk.column), _quote(field.column)]
            if digest:
                columns.append(_quote(digest))
            cursor.execute(
                f"SELECT {', '.join(columns)} FROM {_quote(meta.db_table)} "  # noqa: S608
                f"WHERE {_quote(field.column)} <> '' ORDER BY 1"
            )
            for record in cursor.fetchall():
                rows.append(
                    FileRow(
                        model=meta.label_lower,
                        field=field.name,
                        pk=str(record[0]),
                        name=record[1],
                        recorded_sha256=record[2] if digest else None,
                    )
                )
    return rows


def field_storage(model: str, field: str):
    try:
        return apps.get_model(model)._meta.get_field(field).storage
    except LookupError as exc:
        raise BackupError(f"This code has no file field {model}.{field}: {exc}") from exc


def safe_relative(name: str) -> PurePosixPath:
    """A storage name as a relative path with no way out of the folder it is put in."""
    path = PurePosixPath(name)
    if not name or path.is_absolute() or ".." in path.parts or "\\" in name or "\x00" in name:
        raise BackupError(f"Unsafe file name in the backup: {name!r}")
    return path


def copy_out(row: FileRow, into: Path) -> dict[str, Any]:
    """Copy one stored file into the backup folder; its manifest entry."""
    relative = PurePosixPath("files") / row.model / row.field / safe_relative(row.name)
    target = into / relative
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    digest, size = hashlib.sha256(), 0
    storage = field_storage(row.model, row.field)
    try:
        with storage.open(row.name, "rb") as source, open(target, "xb") as out:
            while chunk := source.read(CHUNK):
                digest.update(chunk)
                size += len(chunk)
                out.write(chunk)
    except FileNotFoundError as exc:
        raise BackupError(f"{row.model} {row.pk}: the file {row.name} is missing") from exc
    sha256 = digest.hexdigest()
    if row.recorded_sha256 and row.recorded_sha256 != sha256:
        raise BackupError(
            f"{row.model} {row.pk}: the stored file {row.name} is not the one recorded "
            f"(SHA-256 {sha256}, the row says {row.recorded_sha256})"
        )
    return {
        "model": row.model,
        "field": row.field,
        "pk": row.pk,
        "name": row.name,
        "path": str(relative),
        "sha256": sha256,
        "size": size,
    }


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def check_entry(entry: dict[str, Any], folder: Path) -> None:
    path = folder / safe_relative(entry["path"])
    safe_relative(entry["name"])
    if not path.is_file():
        raise BackupError(f"The backup lacks {entry['path']}")
    if file_sha256(path) != entry["sha256"]:
        raise BackupError(f"{entry['path']} in the backup is damaged (its SHA-256 differs)")


def copy_in(entry: dict[str, Any], folder: Path) -> bool:
    """Write one file back under its own name; False when an identical file is already there."""
    storage = field_storage(entry["model"], entry["field"])
    name = entry["name"]
    if storage.exists(name):
        with storage.open(name, "rb") as existing:
            digest = hashlib.sha256()
            while chunk := existing.read(CHUNK):
                digest.update(chunk)
        if digest.hexdigest() == entry["sha256"]:
            return False
        raise BackupError(f"The storage already holds a different file named {name}")
    with open(folder / safe_relative(entry["path"]), "rb") as handle:
        saved = storage.save(name, File(handle, name=name))
    if saved != name:
        storage.delete(saved)
        raise BackupError(f"The storage would not keep the name {name} (it chose {saved})")
    return True
