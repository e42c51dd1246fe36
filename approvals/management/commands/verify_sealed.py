"""Check every sealed PDF in storage: as issued, and verifying (exit 1 and a list if not)."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand

from approvals.integrity import verify_sealed_pdfs


class Command(BaseCommand):
    help = (
        "Verify every sealed PDF in storage: its SHA-256 is the one recorded at sealing and its "
        "seal validates against the agency's certificate."
    )

    def handle(self, *args, **options):
        checked, problems = verify_sealed_pdfs()
        for problem in problems:
            self.stdout.write(
                f"BAD sealed PDF {problem.sealed_id} of document {problem.document_id} "
                f"({problem.lang}, {problem.name}): {problem.problem}"
            )
        if problems:
            self.stdout.write(
                self.style.ERROR(f"{len(problems)} problem(s) in {checked} sealed PDF(s).")
            )
            sys.exit(1)
        self.stdout.write(self.style.SUCCESS(f"{checked} sealed PDF(s) checked: all verify."))
