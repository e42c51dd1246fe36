"""Write the similar-systems index again from the projects and concept notes stored."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from similar.indexing import similar_index_rebuild


class Command(BaseCommand):
    help = (
        "Rebuild the similar-systems index (after upgrading to it, a restore, or rows written "
        "around the services). Safe to run at any time."
    )

    def handle(self, *args, **options):
        count = similar_index_rebuild()
        self.stdout.write(self.style.SUCCESS(f"Similar-systems index: {count} projects."))
