"""Every sealed PDF still as issued: its stored bytes have the SHA-256 recorded when it was
sealed, and the file verifies as a citizen's upload would (``check_uploaded_pdf``: issued by us,
seal intact and made by the agency's certificate). For ``manage.py verify_sealed`` — from cron,
and after a restore."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass

from approvals.models import SealedPdf
from approvals.verification import check_uploaded_pdf
from config.storage import storage_errors


@dataclass(frozen=True)
class SealedProblem:
    sealed_id: int
    document_id: str
    lang: str
    name: str
    problem: str


def _read(sealed: SealedPdf) -> bytes:
    with sealed.file.storage.open(sealed.file.name, "rb") as handle:
        return handle.read()


def _problem(sealed: SealedPdf) -> str | None:
    try:
        data = _read(sealed)
    except FileNotFoundError:
        return "the file is missing from storage"
    except storage_errors() as exc:
        return f"the file cannot be read: {exc}"
    digest = hashlib.sha256(data).hexdigest()
    if digest != sealed.sha256:
        return f"the stored file changed (SHA-256 {digest}, issued {sealed.sha256})"
    verdict = check_uploaded_pdf(data)
    if not verdict["valid"]:
        return f"the file does not verify: {verdict['problem']}"
    return None


def sealed_pdfs(batch_size: int = 200) -> Iterator[SealedPdf]:
    return SealedPdf.objects.order_by("pk").iterator(chunk_size=batch_size)


def verify_sealed_pdfs() -> tuple[int, list[SealedProblem]]:
    """(files checked, problems found)."""
    checked, problems = 0, []
    for sealed in sealed_pdfs():
        checked += 1
        problem = _problem(sealed)
        if problem:
            problems.append(
                SealedProblem(
                    sealed_id=sealed.pk,
                    document_id=str(sealed.document_id),
                    lang=sealed.lang,
                    name=sealed.file.name,
                    problem=problem,
                )
            )
    return checked, problems
