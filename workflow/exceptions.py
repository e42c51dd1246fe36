"""The one error type of the engine. Services raise it; the API handler maps it to a response."""

from __future__ import annotations

from typing import Any


class WorkflowError(Exception):
    """A refusal a person can understand: ``code`` for machines, ``message`` for people."""

    status_code = 400
    default_code = "invalid"

    def __init__(
        self, message: str, *, code: str | None = None, errors: dict[str, Any] | None = None
    ):
        super().__init__(message)
        self.message = message
        self.code = code or self.default_code
        self.errors = errors


class Invalid(WorkflowError):
    """Bad input: ``errors`` maps each invalid field to its messages (400)."""


class Forbidden(WorkflowError):
    status_code = 403
    default_code = "forbidden"


class NotFound(WorkflowError):
    status_code = 404
    default_code = "not_found"


class Conflict(WorkflowError):
    """Not allowed in the current status or project stage, or lost a race (409)."""

    status_code = 409
    default_code = "conflict"


class TooLarge(WorkflowError):
    """An upload over the size limit (413)."""

    status_code = 413
    default_code = "too_large"
