"""Check every document's audit hash chain; report edited or deleted events (exit 1 if any)."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand

from workflow.audit import verify_all


class Command(BaseCommand):
    help = "Verify the hash chain of every document's audit trail."

    def handle(self, *args, **options):
        checked, problems = verify_all()
        for problem in problems:
            self.stdout.write(
                f"TAMPERED document {problem.document_id} event {problem.seq}: {problem.problem}"
            )
        if problems:
            self.stdout.write(
                self.style.ERROR(f"{len(problems)} problem(s) in {checked} document(s).")
            )
            sys.exit(1)
        self.stdout.write(self.style.SUCCESS(f"{checked} document(s) checked: all chains intact."))
