"""The document lifecycle: every status and transition, who may take it, in one place.

```
draft --request-signatures--> awaiting_signatures --sign (last)--> signed --submit--> submitted
  ^                               |decline                                     |claim   ^release
  +--------------------------- draft                                        under_review
changes_requested <--request-changes-- under_review --approve--> approved
                                                    --reject--> rejected
withdraw: draft, awaiting_signatures, signed, submitted --> withdrawn
```
A resubmission stays ``submitted`` but reserved (``assignee`` = the reviewer who returned it):
only they may claim it, and ``release`` hands it to the common pool (no assignee).

The machine says whether a transition exists from the current status (else 409) and whether the
caller may take it (else 403). Services hold the row lock while they ask, so one caller wins.
Permission checks read only the document row, the prefetched signatures and the caller's
roles (workflow.roles), so computing ``allowed_actions`` for a page of documents costs no query.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from viewflow import fsm

from workflow.models import Document, SignatureStatus, Status
from workflow.roles import user_context

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def _is_author(flow: DocumentLifecycle, user: User) -> bool:
    return user.is_authenticated and flow.document.author_id == user.pk


def _is_next_signer(flow: DocumentLifecycle, user: User) -> bool:
    # ``acting_signer_id``: set (or annotated) by approvals.delegation when the caller is the
    # next signer's acting officer today.
    acting = getattr(flow.document, "acting_signer_id", None)
    return user.is_authenticated and user.pk in (flow.document.next_signer_id, acting)


def _is_pending_signer(flow: DocumentLifecycle, user: User) -> bool:
    return user.is_authenticated and user.pk in flow.pending_signer_ids()


def _may_claim(flow: DocumentLifecycle, user: User) -> bool:
    """Any reviewer, unless the document is a resubmission reserved for the reviewer who
    returned it (``assignee`` on a submitted document) and that person is still active."""
    if not user_context(user).is_reviewer:
        return False
    document = flow.document
    if document.assignee_id is None or document.assignee_id == user.pk:
        return True
    # Annotated on a page's rows (approvals.selectors.for_api): no query per row.
    active = getattr(document, "assignee_is_active", None)
    return not (document.assignee.is_active if active is None else active)


def _is_assignee(flow: DocumentLifecycle, user: User) -> bool:
    return (
        user.is_authenticated
        and flow.document.assignee_id == user.pk
        and user_context(user).is_reviewer
    )


def _after_sign(flow: DocumentLifecycle, *, remaining: int) -> str:
    return Status.AWAITING_SIGNATURES if remaining else Status.SIGNED


# Where ``approvals.selectors.for_api`` puts a document's active signatures (a list).
PREFETCHED_SIGNATURES = "prefetched_active_signatures"


def active_signatures_of(document: Document) -> list:
    """The document's active signatures: the list ``for_api`` prefetched, else through the
    related manager (its prefetch cache when the caller prefetched, else one query)."""
    prefetched = getattr(document, PREFETCHED_SIGNATURES, None)
    if prefetched is not None:
        return prefetched
    return [signature for signature in document.signatures.all() if signature.active]


class DocumentLifecycle:
    status = fsm.State(Status, default=Status.DRAFT)

    def __init__(self, document: Document):
        self.document = document

    @status.getter()
    def _get_status(self) -> str:
        return self.document.status

    @status.setter()
    def _set_status(self, value: str) -> None:
        self.document.status = value

    def pending_signer_ids(self) -> set[int]:
        # Uses the prefetched active signatures when the caller prefetched them.
        return {
            signature.signer_id
            for signature in active_signatures_of(self.document)
            if signature.status == SignatureStatus.PENDING
        }

    @status.transition(
        source=[Status.DRAFT, Status.CHANGES_REQUESTED],
        target=Status.AWAITING_SIGNATURES,
        permission=_is_author,
    )
    def request_signatures(self) -> None:
        """Freeze this version and ask the signatories, in order."""

    @status.transition(
        source=Status.AWAITING_SIGNATURES,
        target=fsm.State.GET_STATE(_after_sign, states=[Status.AWAITING_SIGNATURES, Status.SIGNED]),
        permission=_is_next_signer,
    )
    def sign(self, *, remaining: int) -> None:
        """The next signatory signs; the last one makes the document signed."""

    @status.transition(
        source=Status.AWAITING_SIGNATURES, target=Status.DRAFT, permission=_is_pending_signer
    )
    def decline(self) -> None:
        """A signatory refuses: back to draft, with the reason."""

    @status.transition(source=Status.SIGNED, target=Status.SUBMITTED, permission=_is_author)
    def submit(self) -> None:
        """Send the signed document to the agency."""

    @status.transition(
        source=[
            Status.DRAFT,
            Status.AWAITING_SIGNATURES,
            Status.SIGNED,
            Status.SUBMITTED,
        ],
        target=Status.WITHDRAWN,
        permission=_is_author,
    )
    def withdraw(self) -> None:
        """The author takes the document back for good."""

    @status.transition(source=Status.SUBMITTED, target=Status.UNDER_REVIEW, permission=_may_claim)
    def claim(self) -> None:
        """An agency reviewer takes the document from the queue."""

    @status.transition(
        source=[Status.UNDER_REVIEW, Status.SUBMITTED],
        target=Status.SUBMITTED,
        permission=_is_assignee,
    )
    def release(self) -> None:
        """The assignee puts the document back in the common pool: one under review, or a
        resubmission reserved for them (a submitted document nobody holds has nothing to
        release: approvals.services.document_release refuses it with a 409)."""

    @status.transition(source=Status.UNDER_REVIEW, target=Status.APPROVED, permission=_is_assignee)
    def approve(self) -> None:
        """The agency approves: the sealed PDF and its verification code follow."""

    @status.transition(source=Status.UNDER_REVIEW, target=Status.REJECTED, permission=_is_assignee)
    def reject(self) -> None:
        """The agency refuses, with a reason. Final."""

    @status.transition(
        source=Status.UNDER_REVIEW, target=Status.CHANGES_REQUESTED, permission=_is_assignee
    )
    def request_changes(self) -> None:
        """The agency returns the document with comments; editing starts a new version."""


# Action name -> transition method name, derived from the machine itself: an action is named as
# its transition, with dashes (request_signatures -> request-signatures). In lifecycle order.
ACTIONS: dict[str, str] = {
    transition.slug.replace("_", "-"): transition.slug
    for transition in sorted(
        {t.slug: t for t in DocumentLifecycle.status.get_transitions()}.values(),
        key=lambda transition: list(vars(DocumentLifecycle)).index(transition.slug),
    )
}
_METHOD_TO_ACTION = {method: action for action, method in ACTIONS.items()}


# status -> ((action, transition), ...) leaving it, in lifecycle order: the machine's outgoing
# transitions of a status never change, and a page of 50 documents asked the machine to find
# them among all its transitions (and sort them) 50 times.
_OUTGOING: dict[str, tuple] = {}


def _outgoing(status: str) -> tuple:
    outgoing = _OUTGOING.get(status)
    if outgoing is None:
        by_slug = {t.slug: t for t in DocumentLifecycle.status.get_outgoing_transitions(status)}
        outgoing = tuple(
            (action, by_slug[method]) for action, method in ACTIONS.items() if method in by_slug
        )
        _OUTGOING[status] = outgoing
    return outgoing


def allowed_actions(document: Document, user: User) -> list[str]:
    """The actions ``user`` may take on ``document`` now, in lifecycle order: each transition
    leaving the status whose conditions hold and whose permission admits ``user``, as
    ``get_available_transitions`` checks them."""
    flow = DocumentLifecycle(document)
    return [
        action
        for action, transition in _outgoing(document.status)
        if transition.conditions_met(flow) and transition.has_perm(flow, user)
    ]


def action_for(method: str) -> str:
    return _METHOD_TO_ACTION[method]
