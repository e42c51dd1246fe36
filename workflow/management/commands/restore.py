"""``manage.py restore --from DIR``: a backup into an empty database and the storages."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from workflow.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `backup` into an EMPTY database (a non-empty one is refused) "
        "and the configured file storage; every digest is checked before anything is written."
    )

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="source", required=True, type=Path)

    def handle(self, *args, **options):
        try:
            summary = backup_restore(source=options["source"])
        except BackupError as exc:
            raise CommandError(f"Restore failed: {exc}") from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {summary.vendor} database and {summary.files} file(s) "
                f"({summary.written} written) from {summary.folder}. Now run "
                "`manage.py migrate`, `manage.py verify_audit` and `manage.py verify_sealed`."
            )
        )
