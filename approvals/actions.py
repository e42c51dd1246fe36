"""Every lifecycle action by its API name, as one service call over the request's fields.

The API and the web pages both dispatch through :func:`perform`, so an action means the same
thing, with the same checks, whichever way a person takes it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from approvals import services
from workflow.models import Document
from workflow.services import document_submit, document_withdraw

_Call = Callable[[Any, Any, dict[str, Any]], Document]

CALLS: dict[str, _Call] = {
    "request-signatures": lambda pk, by, f: services.document_request_signatures(
        document_id=pk, by=by
    ),
    "sign": lambda pk, by, f: services.document_sign(
        document_id=pk, by=by, password=f.get("password")
    ),
    "decline": lambda pk, by, f: services.document_decline(
        document_id=pk, by=by, reason=f.get("reason")
    ),
    "submit": lambda pk, by, f: document_submit(document_id=pk, by=by),
    "withdraw": lambda pk, by, f: document_withdraw(
        document_id=pk, by=by, reason=f.get("reason", "")
    ),
    "claim": lambda pk, by, f: services.document_claim(document_id=pk, by=by),
    "release": lambda pk, by, f: services.document_release(document_id=pk, by=by),
    "approve": lambda pk, by, f: services.document_approve(
        document_id=pk,
        by=by,
        comment=f.get("comment", ""),
        override_reason=f.get("override_reason"),
    ),
    "reject": lambda pk, by, f: services.document_reject(
        document_id=pk, by=by, reason=f.get("reason")
    ),
    "request-changes": lambda pk, by, f: services.document_request_changes(
        document_id=pk, by=by, comment=f.get("comment"), field_comments=f.get("field_comments")
    ),
}


def perform(action: str, *, document_id: Any, by, fields: dict[str, Any]) -> Document:
    """Take ``action`` (an API action name) on the document; KeyError for an unknown name."""
    return CALLS[action](document_id, by, fields)
