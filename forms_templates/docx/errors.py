"""The one error type of the Word code: a refusal a person can understand."""

from __future__ import annotations

from typing import Any


class DocxError(Exception):
    """A Word file Idhini will not read or write.

    ``code`` is for machines (``not_docx``, ``zip_bomb``, ``macro``, ``wrong_type``, ...),
    ``message`` for people. ``errors``, when set, maps form fields (``table[row].column``) to
    messages: the file was read, but some answers are not valid.
    """

    def __init__(self, message: str, *, code: str, errors: dict[str, Any] | None = None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.errors = errors


class UnsafeFile(DocxError):
    """Refused before anything parsed it: not a Word file, damaged, or hostile."""


class FileTooLarge(UnsafeFile):
    """Over the upload limit (the API answers 413)."""
