"""The restore drill: approved, sealed documents are backed up (``manage.py backup``), restored
into a new, empty database and an empty file storage by another process (``manage.py restore``
with its own DATABASE_URL and MEDIA_ROOT), and there every sealed PDF still verifies
(``verify_sealed``: the bytes as issued, the seal validating) and every audit chain still checks
(``verify_audit``). Then the refusals: a database that is not empty, a damaged backup, a folder
that is not a finished backup.

Runs on the suite's database: PostgreSQL (pg_dump of an exported snapshot, pg_restore into a
database the test creates) or SQLite (the backup API, restored into a new file)."""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from approvals.models import SealedPdf
from tests.approvals.pdf_support import approve
from tests.helpers import new_document
from tests.notifications.live_stack import BASE_DIR, database_url
from tests.ops.s3_server import PREFIX, s3_environment
from workflow.models import AuditEvent, Document

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("dev_seal", "clean_cache"),
]

COUNTS = (
    "import json; from approvals.models import SealedPdf; "
    "from workflow.models import AuditEvent, Document; "
    "print(json.dumps([Document.objects.count(), AuditEvent.objects.count(), "
    "SealedPdf.objects.count()]))"
)


@pytest.fixture
def empty_database(tmp_path):
    """``empty_database()``: the URL of a new, empty database of the suite's kind."""
    created: list[str] = []

    def make() -> str:
        if connection.vendor == "sqlite":
            return f"sqlite:///{tmp_path / f'restored-{uuid.uuid4().hex[:8]}.sqlite3'}"
        name = f"{connection.settings_dict['NAME']}_restore_{uuid.uuid4().hex[:8]}"
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
        created.append(name)
        return database_url().rsplit("/", 1)[0] + f"/{name}"

    yield make
    for name in created:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def manage(
    *args: str, url: str, media: Path, var_dir: Path, extra: dict | None = None
) -> subprocess.CompletedProcess:
    """``manage.py`` in another process, on the restored database and storage."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "IDHINI_", "DATABASE_", "CELERY_", "EMAIL_", "PG"))
    }
    env.pop("PYTEST_CURRENT_TEST", None)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        IDHINI_TESTING="1",
        DATABASE_URL=url,
        MEDIA_ROOT=str(media),
        IDHINI_VAR_DIR=str(var_dir),  # the same development seal as this process
    )
    env.update(extra or {})
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def sealed_documents(world) -> None:
    """Two approved, sealed documents (one also in English), and a draft."""
    first = approve(world)
    approve(world, title="Ombi la pili")
    response = world.client(world.officer).get(f"/api/v1/documents/{first}/pdf/?lang=en")
    assert response.status_code == 200
    response.close()
    new_document(world, "email_account_request")
    assert SealedPdf.objects.count() == 3


def back_up(folder: Path) -> dict:
    out = io.StringIO()
    call_command("backup", "--to", str(folder), stdout=out)
    assert "Backup in" in out.getvalue()
    return json.loads((folder / "manifest.json").read_text())


def restore_drill(world, tmp_path, settings, empty_database) -> None:
    sealed_documents(world)
    manifest = back_up(tmp_path / "backup")

    issued = {row.file.name: row.sha256 for row in SealedPdf.objects.all()}
    assert {entry["name"]: entry["sha256"] for entry in manifest["files"]} == issued
    assert manifest["database"]["vendor"] == connection.vendor

    url, media, var_dir = empty_database(), tmp_path / "restored-media", settings.VAR_DIR
    run = lambda *args: manage(*args, url=url, media=media, var_dir=var_dir)  # noqa: E731
    restored = run("restore", "--from", str(tmp_path / "backup"))
    assert restored.returncode == 0, restored.stderr
    assert "3 file(s) (3 written)" in restored.stdout

    counts = run("shell", "--no-imports", "-c", COUNTS)
    assert counts.returncode == 0, counts.stderr
    assert json.loads(counts.stdout) == [
        Document.objects.count(),
        AuditEvent.objects.count(),
        3,
    ]
    assert run("migrate", "--check").returncode == 0  # the schema came back at its migration
    audit = run("verify_audit")
    assert audit.returncode == 0, audit.stdout + audit.stderr
    assert f"{Document.objects.count()} document(s) checked: all chains intact" in audit.stdout
    sealed = run("verify_sealed")
    assert sealed.returncode == 0, sealed.stdout + sealed.stderr
    assert "3 sealed PDF(s) checked: all verify." in sealed.stdout

    # The check can fail: one changed byte in a restored file is named.
    name = next(iter(issued))
    data = bytearray((media / name).read_bytes())
    data[len(data) // 2] ^= 0x01
    (media / name).write_bytes(bytes(data))
    tampered = run("verify_sealed")
    assert tampered.returncode == 1
    assert name in tampered.stdout and "the stored file changed" in tampered.stdout

    # A database that is not empty is refused, and nothing in it changes.
    again = run("restore", "--from", str(tmp_path / "backup"))
    assert again.returncode != 0
    assert "is not empty" in again.stderr
    assert json.loads(run("shell", "--no-imports", "-c", COUNTS).stdout)[2] == 3


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump needs PostgreSQL")
def test_the_restore_drill_on_postgresql(world, tmp_path, settings, empty_database):
    restore_drill(world, tmp_path, settings, empty_database)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite drill")
def test_the_restore_drill_on_sqlite(world, tmp_path, settings, empty_database):
    restore_drill(world, tmp_path, settings, empty_database)


def test_a_damaged_backup_is_refused_before_anything_is_written(
    world, tmp_path, settings, empty_database
):
    approve(world)
    manifest = back_up(tmp_path / "backup")
    (entry,) = manifest["files"]
    damaged = tmp_path / "backup" / entry["path"]
    damaged.write_bytes(damaged.read_bytes()[:-1] + b"?")
    url, media = empty_database(), tmp_path / "restored-media"

    result = manage(
        "restore",
        "--from",
        str(tmp_path / "backup"),
        url=url,
        media=media,
        var_dir=settings.VAR_DIR,
    )

    assert result.returncode != 0
    assert "is damaged" in result.stderr and entry["path"] in result.stderr
    assert not media.exists()  # no file written
    tables = manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.db import connection; print(len(connection.introspection.table_names()))",
        url=url,
        media=media,
        var_dir=settings.VAR_DIR,
    )
    assert tables.stdout.strip() == "0"  # and no table


def test_a_backup_goes_only_into_a_new_empty_folder(tmp_path):
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "something").write_text("x")

    with pytest.raises(CommandError, match="not an empty folder"):
        call_command("backup", "--to", str(tmp_path / "used"), stdout=io.StringIO())


def test_a_folder_without_a_manifest_is_not_restored(tmp_path):
    (tmp_path / "half").mkdir()
    (tmp_path / "half" / "database.sqlite3").write_bytes(b"")

    with pytest.raises(CommandError, match="not a finished backup"):
        call_command("restore", "--from", str(tmp_path / "half"), stdout=io.StringIO())


def test_restoring_into_this_database_is_refused_and_changes_nothing(world, tmp_path):
    approve(world)
    back_up(tmp_path / "backup")
    before = (Document.objects.count(), AuditEvent.objects.count(), SealedPdf.objects.count())

    with pytest.raises(CommandError, match="is not empty"):
        call_command("restore", "--from", str(tmp_path / "backup"), stdout=io.StringIO())

    assert (Document.objects.count(), AuditEvent.objects.count(), SealedPdf.objects.count()) == (
        before
    )


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL snapshot")
def test_what_commits_while_the_backup_runs_is_in_neither_the_dump_nor_the_files(
    world, tmp_path, settings, empty_database, monkeypatch
):
    """Between the snapshot and pg_dump's start, another session renames the document and
    deletes its sealed file's row (committed): the backup is still the moment of the snapshot,
    its dump and its list of files alike."""
    document_id = approve(world)
    real = shutil.which("pg_dump")
    wrapper = tmp_path / "bin" / "pg_dump"
    wrapper.parent.mkdir()
    title = "title = 'after the snapshot'"
    rename = f"UPDATE workflow_document SET {title} WHERE id = '{document_id}'"  # noqa: S608
    unseal = f"DELETE FROM approvals_sealedpdf WHERE document_id = '{document_id}'"  # noqa: S608
    wrapper.write_text(
        f'#!/bin/sh\npsql -qc "{rename}" || exit 9\npsql -qc "{unseal}" || exit 9\n'
        f'exec {real} "$@"\n'
    )
    wrapper.chmod(0o755)
    monkeypatch.setenv("PATH", f"{wrapper.parent}:{os.environ['PATH']}")

    manifest = back_up(tmp_path / "backup")

    assert Document.objects.get(pk=document_id).title == "after the snapshot"  # it committed
    assert not SealedPdf.objects.exists()
    assert len(manifest["files"]) == 1
    url, media = empty_database(), tmp_path / "restored-media"
    run = lambda *args: manage(*args, url=url, media=media, var_dir=settings.VAR_DIR)  # noqa: E731
    assert run("restore", "--from", str(tmp_path / "backup")).returncode == 0
    title = run(
        "shell",
        "--no-imports",
        "-c",
        f"from workflow.models import Document; print(Document.objects.get(pk='{document_id}')"
        ".title)",
    )
    assert title.stdout.strip() == "Ombi la barua pepe"
    sealed = run("verify_sealed")
    assert "1 sealed PDF(s) checked: all verify." in sealed.stdout, sealed.stdout + sealed.stderr


def test_a_backup_of_files_on_disk_restores_into_an_s3_bucket(
    world, tmp_path, settings, empty_database, s3_server
):
    """Moving to shared storage: back up with MEDIA_ROOT, restore with IDHINI_STORAGE=s3."""
    s3_server.empty_bucket()
    approve(world)
    back_up(tmp_path / "backup")
    issued = {row.file.name: row.sha256 for row in SealedPdf.objects.all()}
    s3_env = s3_environment(s3_server.endpoint)
    url, media = empty_database(), tmp_path / "unused-media"
    run = lambda *args: manage(  # noqa: E731
        *args, url=url, media=media, var_dir=settings.VAR_DIR, extra=s3_env
    )

    restored = run("restore", "--from", str(tmp_path / "backup"))
    sealed = run("verify_sealed")

    assert restored.returncode == 0, restored.stderr
    assert s3_server.keys("sealed/") == sorted(f"{PREFIX}/{name}" for name in issued)
    for name, digest in issued.items():
        assert hashlib.sha256(s3_server.read(f"{PREFIX}/{name}")).hexdigest() == digest
    assert not media.exists()
    assert "1 sealed PDF(s) checked: all verify." in sealed.stdout, sealed.stdout + sealed.stderr
    s3_server.empty_bucket()
