"""A throwaway self-signed seal (key and certificate) in a directory of your choice: for
``make check-deploy``, a test or a staging server. Never for documents people rely on."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand

from approvals.sealing import DEV_CERT_NAME, DEV_KEY_NAME, _create_dev_pair


class Command(BaseCommand):
    help = "Write a self-signed development seal key and certificate into DIRECTORY."

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)

    def handle(self, *args, directory: Path, **options):
        directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        _create_dev_pair(directory)
        self.stdout.write(f"SEAL_KEY_PATH={directory.resolve() / DEV_KEY_NAME}")
        self.stdout.write(f"SEAL_CERT_PATH={directory.resolve() / DEV_CERT_NAME}")
