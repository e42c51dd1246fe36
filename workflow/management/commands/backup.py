"""``manage.py backup --to DIR``: the database and the stored files it names, at one moment."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from workflow.backup import BackupError, backup_create


def _mib(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MiB"


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump, or a SQLite copy) and every stored file its rows name, "
        "consistently, into a new empty folder, with a manifest of SHA-256 digests."
    )

    def add_arguments(self, parser):
        parser.add_argument("--to", required=True, type=Path, help="a new, empty folder")

    def handle(self, *args, **options):
        try:
            summary = backup_create(into=options["to"])
        except BackupError as exc:
            raise CommandError(f"Backup failed: {exc}") from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup in {summary.folder}: {summary.vendor} database "
                f"({_mib(summary.database_bytes)}), {summary.files} file(s) "
                f"({_mib(summary.file_bytes)})."
            )
        )
