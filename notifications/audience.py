"""Who hears what: for each transition, the kind of notification and the people told."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model

from approvals.models import Signature, SignatureStatus
from notifications.messages import NAMES_INSTITUTION
from notifications.models import (
    Notification,
)
from notifications.outbox import notify
from notifications.people import agency_reviewers, display_name, people_by_id
from workflow.actions import ACTIONS
from workflow.lifecycle import PREFETCHED_SIGNATURES, active_signatures_of
from workflow.models import Document, Status

logger = logging.getLogger(__name__)
User = get_user_model()


def payload_of(document: Document, actor=None, **extra: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "reference": document.reference or "",
        "title": document.title,
        "type": document.type,
        "version": document.version,
        "actor": display_name(actor),
    }
    payload.update({key: value for key, value in extra.items() if value not in (None, "", {})})
    return payload


def institution_of(document: Document) -> dict[str, str]:
    institution = document.institution
    return {"sw": institution.name_sw, "en": institution.name_en}


def _pending_signer_id(document: Document) -> int | None:
    # The lock read the signatures (approvals.transitions.signature_rows): no query.
    pending = sorted(
        (s for s in active_signatures_of(document) if s.status == SignatureStatus.PENDING),
        key=lambda signature: signature.order,
    )
    return pending[0].signer_id if pending else None


def _people_held(document: Document) -> list:
    """The people loaded with the document (each with their language, else people_by_id reads
    them): its author, locked with it, and the signatories of the signatures read with it
    (approvals.transitions.steps.lock)."""
    held = [document.author] if Document._meta.get_field("author").is_cached(document) else []
    signatures = getattr(document, PREFETCHED_SIGNATURES, None) or ()
    signer = Signature._meta.get_field("signer")
    held.extend(s.signer for s in signatures if isinstance(s, Signature) and signer.is_cached(s))
    return held


REVIEWERS = None  # in an audience: every agency reviewer


@dataclass(frozen=True)
class Step:
    """One transition as the audience sees it."""

    document: Document
    from_status: str
    to_status: str
    details: dict[str, Any]


@dataclass(frozen=True)
class Heard:
    """Who hears of a step: the kind, recipient ids (or REVIEWERS) and the payload's extras."""

    kind: str
    recipients: list[int | None] | None
    extra: dict[str, Any] = field(default_factory=dict)


def _kind(action: str, told: str) -> str:
    """The kind of notification ``action`` sends to ``told``, as the action declares it."""
    return ACTIONS[action].notifies[told]


def _to_author(action: str, *keys: str) -> Callable[[Step], Heard]:
    """The author hears, with the step's reason or comment (``keys`` of its details)."""
    kind = _kind(action, "author")
    return lambda step: Heard(
        kind, [step.document.author_id], {key: step.details.get(key) for key in keys}
    )


def _signed(step: Step) -> tuple[Heard, ...]:
    # An acting officer (kaimu) signed: the signatory they acted for is told too.
    principal = step.details.get("acting_for_id")
    told = (Heard(_kind("sign", "signed_for"), [principal]),) if principal else ()
    return (_signature_turn("sign")(step), *told)


def _signature_turn(action: str) -> Callable[[Step], Heard]:
    def heard(step: Step) -> Heard:
        if step.to_status == Status.AWAITING_SIGNATURES:
            return Heard(_kind(action, "next_signer"), [step.document.next_signer_id])
        # The last signature.
        return Heard(_kind(action, "author_when_signed"), [step.document.author_id])

    return heard


def _submitted(step: Step) -> Heard:
    kind = _kind("submit", "reviewers_again" if step.details.get("resubmission") else "reviewers")
    if step.document.assignee_id is not None:
        # Reserved for the reviewer who returned it (approvals.transitions.submission).
        return Heard(kind, [step.document.assignee_id], {"reserved": True})
    return Heard(kind, REVIEWERS)


def _withdrawn(step: Step) -> Heard:
    # Whoever the document was waiting on: the assignee, or the signatory whose turn it was.
    waiting_on = [step.details.get("assignee")]
    if step.from_status == Status.AWAITING_SIGNATURES:
        waiting_on.append(_pending_signer_id(step.document))
    return Heard(
        _kind("withdraw", "waiting_on"), waiting_on, {"reason": step.details.get("reason")}
    )


# Who hears what, by action; the kinds are the action's (workflow.actions ``notifies``). Claim
# and release tell nobody (the queue itself shows them). An action may tell several groups, each
# its own kind (a tuple).
AUDIENCE: dict[str, Callable[[Step], Heard | tuple[Heard, ...]]] = {
    "request-signatures": _signature_turn("request-signatures"),
    "sign": _signed,
    "decline": _to_author("decline", "reason"),
    "submit": _submitted,
    "approve": _to_author("approve", "comment"),
    "reject": _to_author("reject", "reason"),
    "request-changes": _to_author("request-changes", "comment", "field_comments"),
    "withdraw": _withdrawn,
}


def notify_transition(
    *,
    document: Document,
    action: str,
    actor,
    from_status: str,
    to_status: str,
    event=None,
    details: dict[str, Any] | None = None,
) -> list[Notification]:
    """Who hears what, for one transition (called inside its transaction). A transition that
    tells nobody (or only its actor) costs no query."""
    who = AUDIENCE.get(action)
    if who is None:
        return []
    heard = who(Step(document, from_status, to_status, details or {}))
    told: list[Notification] = []
    for one in heard if isinstance(heard, tuple) else (heard,):
        told.extend(_tell(one, document=document, actor=actor, event=event))
    return told


def _tell(heard: Heard, *, document: Document, actor, event) -> list[Notification]:
    kind, ids, extra = heard.kind, heard.recipients, dict(heard.extra)
    if ids is REVIEWERS:
        recipients = agency_reviewers()
    else:  # the author and signatories read with the document: no query for them
        wanted = (pk for pk in ids if pk != actor.pk)
        recipients = people_by_id(wanted, loaded=_people_held(document))
    if not recipients:
        return []
    if kind in NAMES_INSTITUTION:  # one more query, only when someone is told
        extra["institution"] = institution_of(document)
    return notify(
        recipients=recipients,
        kind=kind,
        document=document,
        payload=payload_of(document, actor, **extra),
        actor=actor,
        event=event,
    )
