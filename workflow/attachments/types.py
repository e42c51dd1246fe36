"""The file types an annex may be, and the one error of the checks."""

from __future__ import annotations

from dataclasses import dataclass


class FileRefused(Exception):
    """An uploaded file that is not kept: ``message`` for people (in their language), ``code``
    for machines (``executable``, ``polyglot``, ``zip_bomb``, ``image_bomb``, ``encrypted``,
    ``macro``, ``active_content``, ``damaged``, ``type_not_allowed``, ...)."""

    def __init__(self, message: str, *, code: str):
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass(frozen=True)
class FileType:
    key: str
    content_type: str
    extensions: tuple[str, ...]  # the first is given to a name without a fitting one
    label: str


PDF = FileType("pdf", "application/pdf", ("pdf",), "PDF")
DOCX = FileType(
    "docx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ("docx",),
    "Word (.docx)",
)
XLSX = FileType(
    "xlsx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ("xlsx",),
    "Excel (.xlsx)",
)
ODT = FileType("odt", "application/vnd.oasis.opendocument.text", ("odt",), "OpenDocument (.odt)")
PNG = FileType("png", "image/png", ("png",), "PNG")
JPEG = FileType("jpeg", "image/jpeg", ("jpg", "jpeg", "jpe"), "JPEG")

FILE_TYPES: dict[str, FileType] = {t.key: t for t in (PDF, DOCX, XLSX, ODT, PNG, JPEG)}
ACCEPTED_LABELS = ", ".join(t.label for t in FILE_TYPES.values())
