"""Decide what an uploaded annex is, from its content, before anything is stored.

1. The size (the upload handler already stopped anything larger from being read).
2. The magic number (``sniff``): a program, an old Office file or any other kind is refused by
   what it is; the name and the declared content type are never asked.
3. Polyglots (``sniff.refuse_polyglots``): a PDF that is also a zip, a zip that is also a PDF,
   an image that is also either; data appended after a PDF's end.
4. The one parser for that kind, in a forked child with a time and a memory limit
   (``forms_templates.printing.sandbox``): the package guard for Office and OpenDocument files
   (``office``), pypdf for PDFs (``pdf``), Pillow with a pixel limit for images (``images``).
   A file that takes longer or more memory than the limits is refused as too complex.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from workflow.attachments.sniff import refuse_polyglots, sniff
from workflow.attachments.types import FILE_TYPES, FileRefused, FileType

logger = logging.getLogger(__name__)

CHECK_TIMEOUT = 30  # seconds
CHECK_MEMORY_MB = 768  # beyond the process the check is forked from


@dataclass(frozen=True)
class InspectedFile:
    file_type: FileType
    sha256: str
    size: int
    details: dict[str, Any] = field(default_factory=dict)


def _open_in_child(content: bytes, kind: str) -> tuple[str, str, Any]:
    """Runs in the limited child: ``("ok", type key, details)`` or ``("refused", code,
    message)`` (the message in the language active when the child was forked)."""
    from workflow.attachments.images import check_image
    from workflow.attachments.office import check_office
    from workflow.attachments.pdf import check_pdf

    try:
        if kind == "zip":
            return ("ok", check_office(content).key, {})
        if kind == "pdf":
            return ("ok", "pdf", check_pdf(content))
        return ("ok", kind, check_image(content, kind))
    except FileRefused as exc:
        return ("refused", exc.code, exc.message)


def inspect_upload(content: bytes, *, max_bytes: int) -> InspectedFile:
    """The checked file's type, SHA-256 and size; :class:`FileRefused` naming why not."""
    from forms_templates.printing.sandbox import SandboxError, run_limited

    if len(content) > max_bytes:
        raise FileRefused(
            _("The file is too large: the largest file accepted is %(limit)s.")
            % {"limit": f"{max_bytes / (1024 * 1024):.1f} MB"},
            code="too_large",
        )
    kind = sniff(content)
    refuse_polyglots(content, kind)
    try:
        outcome, key_or_code, details = run_limited(
            _open_in_child, content, kind, timeout=CHECK_TIMEOUT, memory_mb=CHECK_MEMORY_MB
        )
    except SandboxError as exc:
        logger.info("Checking an uploaded annex failed: %s", exc)
        raise FileRefused(
            _(
                "The file could not be checked within the limits (it takes too long or too much "
                "memory to open), so it was refused."
            ),
            code="too_complex",
        ) from None
    if outcome != "ok":
        raise FileRefused(details, code=key_or_code)
    return InspectedFile(
        file_type=FILE_TYPES[key_or_code],
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
        details=details,
    )
