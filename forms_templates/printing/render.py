"""HTML to PDF with WeasyPrint: our fetcher on every object, inside time and memory limits."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings

from forms_templates.printing.fetcher import PRINT_STATIC_ROOT, SafeURLFetcher
from forms_templates.printing.sandbox import SandboxError, run_limited

# Relative URLs in the print HTML (print.css, emblem.svg) resolve under our static root.
PRINT_BASE_URL = PRINT_STATIC_ROOT.as_uri() + "/"
PDF_A = "pdf/a-3b"


@dataclass(frozen=True)
class PdfAttachment:
    """A file embedded in the PDF (PDF/A-3 associated file)."""

    name: str
    content: bytes
    description: str = ""
    relationship: str = "Data"  # PDF/A-3 AFRelationship: Source, Data, Alternative, ...
    modified: dt.datetime | None = None


class RenderError(Exception):
    """The document could not be rendered: ``kind`` is timeout, memory, crashed or error."""

    def __init__(self, message: str, *, kind: str = "error") -> None:
        super().__init__(message)
        self.kind = kind


def render_in_process(
    html: str,
    attachments: Sequence[PdfAttachment] = (),
    pdf_variant: str | None = None,
    fetcher: SafeURLFetcher | None = None,
) -> bytes:
    """Render without limits, in this process (the sandbox's child calls this)."""
    from weasyprint import HTML, Attachment

    fetcher = fetcher or SafeURLFetcher()
    document = HTML(string=html, base_url=PRINT_BASE_URL, url_fetcher=fetcher)
    files = [
        Attachment(
            string=attachment.content,
            url_fetcher=fetcher,
            name=attachment.name,
            description=attachment.description or None,
            relationship=attachment.relationship,
            created=attachment.modified,
            modified=attachment.modified,
        )
        for attachment in attachments
    ]
    finisher = _pdfa_finisher if pdf_variant and pdf_variant.startswith("pdf/a") else None
    return document.write_pdf(attachments=files or None, pdf_variant=pdf_variant, finisher=finisher)


def _pdfa_finisher(document, pdf) -> None:
    """Keep the file PDF/A once sealed. pyHanko's incremental update writes its own name as the
    XMP producer and appends it to /Info's producer, so the two would differ (PDF/A wants them
    equal): with no /Producer in /Info, both end up "pyHanko <version>". WeasyPrint also lists
    each attachment twice in the catalog's /AF."""
    pdf.info.pop("Producer", None)
    associated = pdf.catalog.get("AF")
    if associated:
        unique = list(dict.fromkeys(associated))
        associated.clear()
        associated.extend(unique)


_WARM_UP_HTML = (
    "<html><body style=\"font-family: 'DejaVu Sans'\">Idhini <b>Idhini</b></body></html>"
)
_warm = threading.Lock()
_warmed = False


def warm_up() -> None:
    """Import WeasyPrint and load the fonts once in this process, so every forked renderer
    starts warm (import alone is most of a second)."""
    global _warmed
    if _warmed:
        return
    with _warm:
        if not _warmed:
            render_in_process(_WARM_UP_HTML)
            _warmed = True


def render_pdf(
    html: str,
    *,
    attachments: Sequence[PdfAttachment] = (),
    pdf_variant: str | None = None,
    timeout: float | None = None,
    memory_mb: int | None = None,
) -> bytes:
    """The PDF of ``html``, rendered in a child process within the configured limits
    (``PDF_RENDER_TIMEOUT`` seconds, ``PDF_RENDER_MEMORY_MB`` MiB more than this process)."""
    warm_up()
    try:
        return run_limited(
            render_in_process,
            html,
            tuple(attachments),
            pdf_variant,
            timeout=timeout if timeout is not None else settings.PDF_RENDER_TIMEOUT,
            memory_mb=memory_mb if memory_mb is not None else settings.PDF_RENDER_MEMORY_MB,
        )
    except SandboxError as exc:
        raise RenderError(f"The PDF could not be rendered: {exc}", kind=exc.kind) from exc
