"""The signatories' steps: send for signature (the author), sign in order, decline.

Who may sign which signature is decided in one place, :func:`signing_turn`; the sign service
asks it twice, before the password check without a lock and again under the row lock, so
nobody's transition waits for someone's password hashing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.utils import timezone
from django.utils.translation import gettext as _

from approvals.delegation import SignerPlace, signer_for
from approvals.models import Signature, SignatureStatus
from approvals.transitions.locking import PERSON_COLUMNS, person_from_row
from approvals.transitions.steps import (
    announce,
    audit,
    ensure_permitted,
    ensure_possible,
    lock,
    read,
    transition,
)
from config.sql import Reusable, insert_row, insert_rows
from forms_templates.definitions import AUTHOR, current_lang
from forms_templates.registry import get_type
from forms_templates.signatories import by_role
from workflow.actions import performs
from workflow.exceptions import Conflict, Invalid
from workflow.lifecycle import DocumentLifecycle, active_signatures_of
from workflow.models import Document, DocumentVersion, Membership, Role
from workflow.readiness import ensure_ready
from workflow.second_factor import require_code
from workflow.services import clean_text
from workflow.signin import reauthenticate

if TYPE_CHECKING:
    from django.contrib.auth.models import User

_ROLE_NAMES = {role.value: role.label for role in Role}


def active_signatures(document: Document) -> list[Signature]:
    """The current round's signatures in order (those the lock read: no query)."""
    return sorted(active_signatures_of(document), key=lambda signature: signature.order)


# --- Sending for signature --------------------------------------------------------------------


# Each chain's roles held in an institution: one statement compiled once per connection for each
# set of roles (a type's form version: a few in all), as the row lock is (config.sql.Reusable):
# building this queryset was a third of sending for signature's Python.
_HOLDERS: dict[tuple[str, ...], Reusable] = {}


def _holders_of(roles: tuple[str, ...]) -> Reusable:
    statement = _HOLDERS.get(roles)
    if statement is None:
        statement = _HOLDERS.setdefault(
            roles,
            Reusable(
                lambda institution_id: (
                    Membership.objects.filter(
                        institution_id=institution_id, role__in=roles, user__is_active=True
                    )
                    .order_by("id")
                    .values_list(
                        "role",
                        *(f"user__{name}" for name in PERSON_COLUMNS),
                        "user__notification_preference__language",  # null: Swahili
                    )
                ),
                placeholder=0,  # no institution has this id
            ),
        )
    return statement


def _role_holders(institution_id: int, roles: set[str]) -> dict[str, Any]:
    """The first (by membership) active holder of each role in the institution, each carrying
    their notification language, as the locked author does: told of their turn, no query."""
    holders: dict[str, Any] = {}
    if roles:
        for role, *person, language in _holders_of(tuple(sorted(roles))).rows(institution_id):
            if role not in holders:
                holders[role] = person_from_row(tuple(person), language)
    return holders


def _resolve_signers(document: Document) -> list[tuple[int, str, Any]]:
    """(order, role, user) for each signatory of the type, in order."""
    chain = get_type(document.type).signatories_in_order(document.form_version)
    holders = _role_holders(document.institution_id, {s.role for _, s in chain if by_role(s)})
    signers = []
    for order, signatory in chain:
        if signatory.role == AUTHOR:
            signers.append((order, signatory.role, document.author))
            continue
        if signatory.person_field:
            signers.append((order, signatory.role, _named_signer(document, signatory)))
            continue
        user = holders.get(signatory.role)
        if user is None:
            raise Conflict(
                _(
                    "Nobody in your institution holds the role “%(role)s”: ask your "
                    "administrator to assign it before sending for signature."
                )
                % {"role": _ROLE_NAMES.get(signatory.role, signatory.role)},
                code="no_signatory",
            )
        signers.append((order, signatory.role, user))
    return signers


def _named_signer(document: Document, signatory) -> Any:
    """The active person of the document's institution whose username the form names (the
    servant a mailbox is for, their supervisor); anyone else is a 400 naming the field."""
    field = signatory.person_field
    username = str(document.data.get(field) or "").strip()
    membership = (
        Membership.objects.filter(
            institution_id=document.institution_id,
            user__username__iexact=username,
            user__is_active=True,
        )
        .select_related("user")
        .first()
        if username
        else None
    )
    if membership is None:
        raise Invalid(
            _("Nobody of your institution has this username."),
            errors={
                "data": {
                    field: [
                        _(
                            "“%(username)s” is not the username of a person of your "
                            "institution: name the %(role)s from your institution's people."
                        )
                        % {"username": username, "role": signatory.role_name.get(current_lang())}
                    ]
                }
            },
        )
    return membership.user


def _freeze_version(document: Document, by: User) -> None:
    """The content sent for signature is kept as this version's snapshot (once)."""
    if document.version_frozen:
        return
    version = DocumentVersion(
        document=document,
        number=document.version,
        title=document.title,
        data=document.data,
        attachments=document.attachment_manifest,
        content_hash=document.content_hash,
        created_by=by,
    )
    insert_row(version)  # a new row, as DocumentVersion.save insists
    document.version_frozen = True


def _new_round(document: Document, signers: list[tuple[int, str, Any]]) -> None:
    """Earlier signatures (other versions, or a declined round) stop counting; one pending
    signature per signatory, bound to this version's content hash."""
    if document.version > 1 or document.version_frozen:  # else never sent: nothing to end
        Signature.objects.filter(document=document, active=True).update(active=False)
    insert_rows(
        [
            Signature(
                document=document,
                version=document.version,
                role=role,
                order=order,
                signer=user,
                content_hash=document.content_hash,
            )
            for order, role, user in signers
        ]
    )


@performs("request-signatures")
def document_request_signatures(*, document_id: UUID, by: User) -> Document:
    """Freeze this version and ask its signatories, in order."""
    with transition(by):
        document, flow = lock(document_id=document_id, by=by)
        ensure_possible(flow, "request_signatures")
        if document.author_id == by.pk:  # anyone else: 403 just below
            ensure_ready(document)
        ensure_permitted(flow, "request_signatures", by)

        from_status = document.status
        signers = _resolve_signers(document)
        _new_round(document, signers)
        _freeze_version(document, by)
        document.next_signer = signers[0][2]
        document.assignee = None
        flow.request_signatures()

        payload = {
            "content_hash": document.content_hash,
            "signers": [{"order": o, "role": r, "signer": u.username} for o, r, u in signers],
        }
        event = audit(
            document, method="request_signatures", by=by, from_status=from_status, payload=payload
        )
        announce(document, event=event, by=by, from_status=from_status, details=payload)
    return document


# --- Signing ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SigningTurn:
    """The signature ``by`` signs now, the one after it (None: this is the last) and how many
    remain after this one."""

    signature: Signature
    following: Signature | None
    remaining: int
    place: SignerPlace | None = None  # the signatory themself, or their acting officer (kaimu)


def signing_turn(document: Document, flow: DocumentLifecycle, by: User) -> SigningTurn:
    """Whether ``by`` may sign ``document`` now, and which signature: the one place that decides
    it. 409 when signing is not possible now or ``by`` signed already, or when the signature
    list does not match this version; 403 when it is not ``by``'s turn."""
    ensure_possible(flow, "sign")
    signatures = active_signatures(document)
    pending = [s for s in signatures if s.status == SignatureStatus.PENDING]
    # The signatory, or their acting officer today (approvals.delegation); None: neither.
    place = signer_for(signature=pending[0] if pending else None, by=by, at=timezone.now())
    my_turn = document.next_signer_id == by.pk or place is not None
    signed = any(s.signer_id == by.pk and s.status == SignatureStatus.SIGNED for s in signatures)
    if signed and not my_turn:
        raise Conflict(_("You have already signed this document."), code="already_signed")
    mine = pending[0] if place is not None else None
    if my_turn and (mine is None or mine.content_hash != document.content_hash):
        raise Conflict(_("The signature list does not match this version."), code="stale")
    if place is not None:
        place.admit(document, by=by)  # the lifecycle's sign permission admits the acting officer
    ensure_permitted(flow, "sign", by)  # not this person's turn: 403
    return SigningTurn(
        signature=mine,
        following=pending[1] if len(pending) > 1 else None,
        remaining=len(pending) - 1,
        place=place,
    )


@performs("sign")
def document_sign(
    *, document_id: UUID, by: User, password: Any, otp: Any = None, request: Any = None
) -> Document:
    """The next signer signs, after giving their password again, and the code of their
    authenticator when one is asked of them (workflow.second_factor). Both are checked
    (about half a second of hashing, and django-axes' lockout: give ``request`` so the client's
    address counts) before the row lock is taken; under the lock only the state is checked
    again, so nobody else's transition on the document waits for someone's password."""
    unlocked, unlocked_flow = read(document_id=document_id, by=by, signatures=True)
    signing_turn(unlocked, unlocked_flow, by)
    reauthenticate(request=request, user=by, password=password)
    require_code(request=request, user=by, otp=otp)

    with transition(by):
        document, flow = lock(document_id=document_id, by=by, signatures=True)
        turn = signing_turn(document, flow, by)

        from_status = document.status
        signature = turn.signature
        signature.status = SignatureStatus.SIGNED
        signature.signed_at = timezone.now()
        acting = turn.place.record(signature, by=by)  # who signed, if not the signatory
        signature.save(update_fields=["status", "signed_at", "signed_by", "delegation"])
        document.next_signer_id = turn.following.signer_id if turn.following else None
        flow.sign(remaining=turn.remaining)

        payload = {
            "role": signature.role,
            "order": signature.order,
            "content_hash": signature.content_hash,
            "remaining": turn.remaining,
            **acting,
        }
        event = audit(document, method="sign", by=by, from_status=from_status, payload=payload)
        details = {**payload, **({"acting_for_id": signature.signer_id} if acting else {})}
        announce(document, event=event, by=by, from_status=from_status, details=details)
    return document


@performs("decline")
def document_decline(*, document_id: UUID, by: User, reason: Any) -> Document:
    """A pending signatory refuses, with the reason: the document goes back to its author."""
    reason = clean_text(reason, field="reason", required=True)
    with transition(by):
        document, flow = lock(document_id=document_id, by=by, signatures=True)
        ensure_possible(flow, "decline")
        ensure_permitted(flow, "decline", by)

        from_status = document.status
        signature = next(
            s
            for s in active_signatures(document)
            if s.signer_id == by.pk and s.status == SignatureStatus.PENDING
        )
        signature.status = SignatureStatus.DECLINED
        signature.signed_at = timezone.now()
        signature.reason = reason
        signature.save(update_fields=["status", "signed_at", "reason"])
        document.next_signer = None
        flow.decline()

        payload = {"role": signature.role, "reason": reason}
        event = audit(document, method="decline", by=by, from_status=from_status, payload=payload)
        announce(document, event=event, by=by, from_status=from_status, details=payload)
    return document
