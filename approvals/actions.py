"""Every lifecycle action, declared once: its name, its words, its body fields and its service.

The name is the API's URL segment (``POST /api/v1/documents/{id}/{name}/``), the audit event's
action and the key of who hears of it (notifications.audience); the state machine's transition
is the method of the same name (``request-signatures`` → ``DocumentLifecycle.request_signatures``),
which says whether the action exists now and who may take it. The API's action endpoint, its
OpenAPI enum and body schema, the pages' buttons, messages and history, and :func:`perform`
all read :data:`ACTIONS`, so adding an action is one entry here, one transition in
workflow/lifecycle.py and its service.

Why here and not in workflow/lifecycle.py: the services that perform the transitions live in
this app (approvals.transitions: they write signatures and reviews) and the engine below may not
import them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from approvals import transitions as services
from workflow import lifecycle
from workflow.models import Document

if TYPE_CHECKING:
    from django.contrib.auth.models import User


@dataclass(frozen=True)
class BodyField:
    """One field of an action's JSON body; its name is the service's keyword argument."""

    name: str
    required: bool = False
    kind: str = "text"  # text | secret | comments ({field: text})
    help: str = ""  # what the OpenAPI schema says of it, beyond which actions take it


@dataclass(frozen=True)
class Action:
    name: str
    label: Promise  # the button
    done: Promise  # the message once it is done
    history: Promise  # the history's entry
    service: Callable[..., Document]
    fields: tuple[BodyField, ...] = ()
    style: str = ""  # the button's look: "" (main), "secondary", "danger" (folded, asks first)
    # The service re-authenticates (password, second factor) and takes the request: the lockout
    # counts the address too.
    takes_request: bool = False

    @property
    def allowed(self) -> set[str]:
        return {field.name for field in self.fields}

    @property
    def required(self) -> set[str]:
        return {field.name for field in self.fields if field.required}


_PASSWORD = BodyField("password", required=True, kind="secret")
# The second factor (workflow.second_factor): asked only of a person with an authenticator, or
# of every signatory and reviewer when IDHINI_REQUIRE_2FA is on; the service says when.
_OTP = BodyField(
    "otp",
    kind="secret",
    help="the 6-digit code of the person's authenticator app, or one of their recovery codes "
    "(each works once): needed when they have set up two-step verification, and from every "
    "signatory and reviewer when IDHINI_REQUIRE_2FA is on; missing or wrong: 400 {otp: [...]}, "
    "not set up while required: 403 otp_enrolment_required",
)


def _reason(required: bool) -> BodyField:
    return BodyField("reason", required=required)


ACTIONS: dict[str, Action] = {
    action.name: action
    for action in (
        Action(
            "request-signatures",
            _("Send for signature"),
            _("Sent for signature."),
            _("Sent for signature"),
            services.document_request_signatures,
        ),
        Action(
            "sign",
            _("Sign"),
            _("You have signed the document."),
            _("Signed"),
            services.document_sign,
            (_PASSWORD, _OTP),
            takes_request=True,
        ),
        Action(
            "decline",
            _("Decline to sign"),
            _("You declined to sign; the document is back with its author."),
            _("Declined to sign"),
            services.document_decline,
            (_reason(True),),
            "danger",
        ),
        Action(
            "submit",
            _("Submit to the agency"),
            _("Submitted to the agency for review."),
            _("Submitted"),
            services.document_submit,
        ),
        Action(
            "withdraw",
            _("Withdraw"),
            _("The document was withdrawn."),
            _("Withdrawn"),
            services.document_withdraw,
            (_reason(False),),
            "danger",
        ),
        Action(
            "claim",
            _("Claim for review"),
            _("The document is yours to review."),
            _("Claimed for review"),
            services.document_claim,
        ),
        Action(
            "release",
            _("Release to the queue"),
            _("The document is back in the queue."),
            _("Released to the queue"),
            services.document_release,
            style="secondary",
        ),
        Action(
            "approve",
            _("Approve"),
            _("The document is approved."),
            _("Approved"),
            services.document_approve,
            # override_reason: approve although checklist criteria are unmarked or not met.
            (BodyField("comment"), BodyField("override_reason"), _OTP),
            takes_request=True,
        ),
        Action(
            "reject",
            _("Reject"),
            _("The document is rejected."),
            _("Rejected"),
            services.document_reject,
            (_reason(True),),
            "danger",
        ),
        Action(
            "request-changes",
            _("Request changes"),
            _("The document is returned to its author with your comments."),
            _("Changes requested"),
            services.document_request_changes,
            (BodyField("comment", required=True), BodyField("field_comments", kind="comments")),
            "secondary",
        ),
    )
}

# Declared once, checked once: every transition of the state machine has its action here.
if set(ACTIONS) != set(lifecycle.ACTIONS):
    raise ImproperlyConfigured(
        f"Actions without a transition or the reverse: {set(ACTIONS) ^ set(lifecycle.ACTIONS)}"
    )


def perform(
    action: str, *, document_id: UUID, by: User, fields: dict[str, Any], request: Any = None
) -> Document:
    """Take ``action`` (its name) on the document with the body ``fields``; KeyError for an
    unknown name. Fields the action does not declare are not passed on. ``request`` (Django's
    or REST framework's) lets the password check at signing count the client's address for
    the lockout; without it, failures count per username only."""
    declared = ACTIONS[action]
    given = {field.name: fields[field.name] for field in declared.fields if field.name in fields}
    if declared.takes_request:
        given["request"] = request
    return declared.service(document_id=document_id, by=by, **given)
