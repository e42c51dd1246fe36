"""Every lifecycle action, declared once: its name, its words, its body fields, the kinds of
notification it sends, and (through :func:`performs`) its service.

The name is the API's URL segment (``POST /api/v1/documents/{id}/{name}/``) and the audit event's
action; the state machine's transition is the method of the same name (``request-signatures`` →
``DocumentLifecycle.request_signatures``), which says whether the action exists now and who may
take it. Everything else reads :data:`ACTIONS`: the API's action endpoint, its OpenAPI enum and
body schema (approvals.api), the refusals (workflow.refusals), who hears of it
(notifications.audience, through :attr:`Action.notifies`), the pages' buttons, messages, history
and "what happens next" (portal).

The services live in approvals.transitions (they write signatures and reviews, which the engine
may not import); each names the action it performs with ``@performs(name)``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from workflow import lifecycle


@dataclass(frozen=True)
class BodyField:
    """One field of an action's JSON body; its name is the service's keyword argument."""

    name: str
    required: bool = False
    kind: str = "text"  # text | secret | comments ({field: text})
    help: str = ""  # what the OpenAPI schema says of it, beyond which actions take it


@dataclass(frozen=True)
class After:
    """What the page says once the action is done: ``text`` (with ``%(author)s`` and
    ``%(reference)s``), then who signs next (``next_signer``: the words when the author signs
    next, and when someone else does), or ``when_signed`` once every signature is in."""

    text: Promise
    next_signer: tuple[Promise | str, Promise] | None = None
    when_signed: Promise | None = None


@dataclass(frozen=True)
class Action:
    name: str
    label: Promise  # the button
    done: Promise  # the message once it is done (when the page has nothing more to say)
    history: Promise  # the history's entry
    refusal: Promise  # the end of "So you cannot … now" (workflow.refusals)
    after: After  # the message on the page it lands on: what was done and what happens next
    fields: tuple[BodyField, ...] = ()
    style: str = ""  # the button's look: "" (main), "secondary", "danger" (folded, asks first)
    # The service re-authenticates (password, second factor) and takes the request: the lockout
    # counts the address too.
    takes_request: bool = False
    # The kinds of notification it sends, by whom they tell (notifications.audience picks).
    notifies: dict[str, str] = field(default_factory=dict)

    @property
    def allowed(self) -> set[str]:
        return {field.name for field in self.fields}

    @property
    def required(self) -> set[str]:
        return {field.name for field in self.fields if field.required}

    @property
    def service(self) -> Callable:
        try:
            return SERVICES[self.name]
        except KeyError:
            raise ImproperlyConfigured(f"No service performs {self.name!r}") from None


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


_NEXT_SIGNER = _("Next: %(person)s (%(role)s) signs.")

ACTIONS: dict[str, Action] = {
    action.name: action
    for action in (
        Action(
            "request-signatures",
            _("Send for signature"),
            _("Sent for signature."),
            _("Sent for signature"),
            _("send it for signature"),
            After(
                _("Sent for signature."),
                next_signer=(
                    _("You sign first, as %(role)s: the declaration and your password are below."),
                    _("Next: %(person)s (%(role)s) signs. You will be told at each step."),
                ),
            ),
            notifies={"next_signer": "signature_requested"},
        ),
        Action(
            "sign",
            _("Sign"),
            _("You have signed the document."),
            _("Signed"),
            _("sign it"),
            After(
                _("You have signed."),
                next_signer=("", _NEXT_SIGNER),
                when_signed=_(
                    "You have signed. Every signature is in: %(author)s can now submit the "
                    "document to the agency."
                ),
            ),
            (_PASSWORD, _OTP),
            takes_request=True,
            notifies={
                "next_signer": "signature_requested",
                "author_when_signed": "fully_signed",
                "signed_for": "signed_for_you",  # an acting officer signed for them
            },
        ),
        Action(
            "decline",
            _("Decline to sign"),
            _("You declined to sign; the document is back with its author."),
            _("Declined to sign"),
            _("decline to sign it"),
            After(
                _(
                    "You declined to sign. The document is back with %(author)s as a draft, with "
                    "your reason; when it is sent again, every signatory signs again."
                )
            ),
            (_reason(True),),
            "danger",
            notifies={"author": "signature_declined"},
        ),
        Action(
            "submit",
            _("Submit to the agency"),
            _("Submitted to the agency for review."),
            _("Submitted"),
            _("submit it to the agency"),
            After(
                _(
                    "Submitted to the agency as %(reference)s. Next: an agency reviewer claims it "
                    "and decides; you will be told of the decision."
                )
            ),
            notifies={"reviewers": "submitted", "reviewers_again": "resubmitted"},
        ),
        Action(
            "withdraw",
            _("Withdraw"),
            _("The document was withdrawn."),
            _("Withdrawn"),
            _("withdraw it"),
            After(_("The document was withdrawn. It is closed: nothing more happens to it.")),
            (_reason(False),),
            "danger",
            notifies={"waiting_on": "withdrawn"},
        ),
        Action(
            "claim",
            _("Claim for review"),
            _("The document is yours to review."),
            _("Claimed for review"),
            _("claim it for review"),
            After(
                _(
                    "The document is yours to review: approve it, reject it or request changes "
                    "below."
                )
            ),
        ),
        Action(
            "release",
            _("Release to the queue"),
            _("The document is back in the queue."),
            _("Released to the queue"),
            _("release it to the queue"),
            After(_("The document is back in the queue, for any reviewer to claim.")),
            style="secondary",
        ),
        Action(
            "approve",
            _("Approve"),
            _("The document is approved."),
            _("Approved"),
            _("approve it"),
            After(
                _(
                    "The document is approved. The sealed PDF is being prepared, and %(author)s "
                    "is told."
                )
            ),
            # override_reason: approve although checklist criteria are unmarked or not met.
            (BodyField("comment"), BodyField("override_reason"), _OTP),
            takes_request=True,
            notifies={"author": "approved"},
        ),
        Action(
            "reject",
            _("Reject"),
            _("The document is rejected."),
            _("Rejected"),
            _("reject it"),
            After(_("The document is rejected. %(author)s is told, with your reason.")),
            (_reason(True),),
            "danger",
            notifies={"author": "rejected"},
        ),
        Action(
            "request-changes",
            _("Request changes"),
            _("The document is returned to its author with your comments."),
            _("Changes requested"),
            _("return it for changes"),
            After(
                _(
                    "The document is returned to %(author)s with your comments. It comes back to "
                    "the queue when it is submitted again."
                )
            ),
            (BodyField("comment", required=True), BodyField("field_comments", kind="comments")),
            "secondary",
            notifies={"author": "changes_requested"},
        ),
    )
}

# Declared once, checked once: every transition of the state machine has its action here.
if set(ACTIONS) != set(lifecycle.ACTIONS):
    raise ImproperlyConfigured(
        f"Actions without a transition or the reverse: {set(ACTIONS) ^ set(lifecycle.ACTIONS)}"
    )

# Action name -> its service, filled by @performs where the services are defined.
SERVICES: dict[str, Callable] = {}

F = TypeVar("F", bound=Callable)


def performs(name: str) -> Callable[[F], F]:
    """Mark ``service`` as the one that performs the action ``name`` (declared above)."""
    if name not in ACTIONS:
        raise ImproperlyConfigured(f"No action {name!r} is declared")

    def register(service: F) -> F:
        if SERVICES.setdefault(name, service) is not service:
            raise ImproperlyConfigured(f"Two services perform {name!r}")
        return service

    return register
