"""Every lifecycle transition's service, together: each reads top to bottom — lock, check,
change, audit, signal — through the plain steps of :mod:`approvals.transitions.steps`.

Why in approvals: it is the lowest app that can hold all ten. Signing and review write this
app's rows (signatures, reviews, the checklist) and the engine below may not import them;
submit and withdraw need nothing above the engine, but sit here so that the ten read alike.
Each names the action it performs (``@performs``, workflow.actions).
"""

from approvals.transitions.review import (
    document_approve,
    document_claim,
    document_reject,
    document_release,
    document_request_changes,
)
from approvals.transitions.signing import (
    document_decline,
    document_request_signatures,
    document_sign,
    signing_turn,
)
from approvals.transitions.submission import document_submit, document_withdraw

__all__ = [
    "document_approve",
    "document_claim",
    "document_decline",
    "document_reject",
    "document_release",
    "document_request_changes",
    "document_request_signatures",
    "document_sign",
    "document_submit",
    "document_withdraw",
    "signing_turn",
]
