"""What a file is, from its first bytes, and whether it is two things at once.

Cheap checks, run in the web process before any parser opens the file: the magic number picks
the one parser that may look further (``pdf``, ``zip``, ``png``, ``jpeg``); programs, old Office
files and everything else are refused by what they are. A polyglot — a file that two kinds of
program each read as their own (a PDF with a zip appended, a zip that starts ``%PDF``, an image
that is also an archive) — is a known way to smuggle content past a check of one kind, and is
refused.
"""

from __future__ import annotations

import io
import zipfile

from django.utils.translation import gettext as _

from workflow.attachments.types import ACCEPTED_LABELS, FileRefused

PDF_MAGIC = b"%PDF-"
ZIP_MAGIC = b"PK\x03\x04"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
JPEG_MAGIC = b"\xff\xd8\xff"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

# Programs, by their first bytes: what a person is told the file really is.
_PROGRAMS = (
    (b"MZ", "Windows (.exe, .dll)"),
    (b"\x7fELF", "Linux (ELF)"),
    (b"\xfe\xed\xfa\xce", "macOS (Mach-O)"),
    (b"\xfe\xed\xfa\xcf", "macOS (Mach-O)"),
    (b"\xce\xfa\xed\xfe", "macOS (Mach-O)"),
    (b"\xcf\xfa\xed\xfe", "macOS (Mach-O)"),
    (b"\xca\xfe\xba\xbe", "macOS / Java"),
    (b"#!", "script"),
)
# PDF readers accept the header anywhere in the first KiB.
_PDF_HEADER_WINDOW = 1024
_EOF_MARKER = b"%%EOF"
_TRAILER_SLACK = b" \t\r\n\x00\x0c"


def sniff(content: bytes) -> str:
    """``pdf``, ``zip``, ``png`` or ``jpeg`` from the magic number; :class:`FileRefused`
    naming what the file is otherwise."""
    if not content:
        raise FileRefused(_("The file is empty."), code="empty")
    for magic, kind in ((PDF_MAGIC, "pdf"), (ZIP_MAGIC, "zip"), (PNG_MAGIC, "png")):
        if content.startswith(magic):
            return kind
    if content.startswith(JPEG_MAGIC):
        return "jpeg"
    for magic, what in _PROGRAMS:
        if content.startswith(magic):
            raise FileRefused(
                _(
                    "This file is a program (%(what)s), not a document, whatever its name says. "
                    "Programs are never accepted."
                )
                % {"what": what},
                code="executable",
            )
    if content.startswith(OLE_MAGIC):
        raise FileRefused(
            _(
                "This is an old Office file (.doc, .xls) or a password-protected one. Save it "
                "as .docx or .xlsx, without a password, and upload it again."
            ),
            code="old_office",
        )
    raise FileRefused(
        _("This kind of file is not accepted. Accepted: %(types)s.") % {"types": ACCEPTED_LABELS},
        code="type_not_allowed",
    )


def _polyglot(first: str, second: str) -> FileRefused:
    return FileRefused(
        _(
            "The file is at the same time a %(first)s and a %(second)s (a “polyglot” file, a "
            "known way to hide content). Save the document again on its own and upload it."
        )
        % {"first": first, "second": second},
        code="polyglot",
    )


def _is_zip(content: bytes) -> bool:
    # zipfile finds an archive by its end record, wherever the archive starts.
    try:
        return zipfile.is_zipfile(io.BytesIO(content))
    except (OSError, ValueError):
        return False


_NAMES = {"pdf": "PDF", "zip": "ZIP", "png": "PNG", "jpeg": "JPEG"}


def refuse_polyglots(content: bytes, kind: str) -> None:
    """Refuse a file that another kind of reader takes for its own too."""
    if kind != "pdf" and PDF_MAGIC in content[:_PDF_HEADER_WINDOW]:
        raise _polyglot(_NAMES[kind], "PDF")
    if kind != "zip" and _is_zip(content):
        raise _polyglot(_NAMES[kind], "ZIP")
    if kind == "pdf":
        _refuse_trailing_data(content)


def _refuse_trailing_data(content: bytes) -> None:
    """Nothing but white space after a PDF's last ``%%EOF``: anything else was appended."""
    last = content.rfind(_EOF_MARKER)
    if last < 0:
        raise FileRefused(
            _("The PDF is incomplete (it has no end). Save it again and upload the new copy."),
            code="damaged",
        )
    if content[last + len(_EOF_MARKER) :].strip(_TRAILER_SLACK):
        raise FileRefused(
            _(
                "Something was appended after the end of the PDF. Save the document again as "
                "PDF and upload the new copy."
            ),
            code="trailing_data",
        )
