"""The words of every notification, in the active language.

``compose`` turns a notification's kind and payload, through the tables ``WORDS`` and
``REMINDER_WORDS`` (data, one entry a kind), into a subject, paragraphs, the quoted reason
or comment and the per-field comments. The e-mail renders it under the recipient's language
(``translation.override``); the API renders it in the reader's request language. The payload is
written once, at the transition, so both say the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from forms_templates.answers import comment_label
from forms_templates.definitions import current_lang
from forms_templates.registry import get_type
from forms_templates.swahili import concords
from notifications.models import Kind, Outbox
from workflow.agency import current_agency
from workflow.selectors import DocumentId


@dataclass(frozen=True)
class Message:
    subject: str
    headline: str
    paragraphs: list[str]
    quote_label: str = ""
    quote: str = ""
    field_comments: list[tuple[str, str]] = field(default_factory=list)
    url: str = ""


def document_url(document_id: DocumentId) -> str:
    """The document's page in the web UI. A plain GET: opening it changes nothing."""
    return f"{settings.SITE_URL}/documents/{document_id}/"


def _bilingual(value: Any, lang: str) -> str:
    if isinstance(value, dict):
        return str(value.get(lang) or value.get("sw") or "")
    return str(value or "")


def _one_line(text: str) -> str:
    # Titles are people's input; a header may not contain a line break.
    return " ".join(text.split())


@dataclass(frozen=True)
class Words:
    """What a kind of notification says: its headline, its paragraphs, and which part of the
    payload it quotes under which label. Each text is formatted with the payload's values."""

    headline: Any
    paragraphs: tuple[Any, ...] = ()
    quote: str = ""  # "reason" or "comment": the payload key quoted under quote_label
    quote_label: Any = ""


# Kinds whose words name the institution (the audience adds it to their payload).
NAMES_INSTITUTION = {Kind.SIGNATURE_REQUESTED, Kind.SUBMITTED, Kind.RESUBMITTED}
_REASON = _("Reason")
_REVIEWERS_COMMENT = _("Reviewer's comment")
_CLAIM_IT = _("Open the document to claim it for review.")

WORDS: dict[str, Words] = {
    Kind.SIGNATURE_REQUESTED: Words(
        _("Your signature is needed: %(document)s"),
        (
            _("It is your turn to sign the %(type)s “%(title)s” of %(institution)s.%(sw_of)s"),
            _("Open the document, read it, and sign it or decline to sign it."),
        ),
    ),
    Kind.SIGNATURE_DECLINED: Words(
        _("%(actor)s declined to sign %(document)s"),
        (
            _(
                "The %(type)s “%(title)s” is back in draft. Correct it and send it for "
                "signature again.%(sw_Obj)s%(sw_obj)s%(sw_subj)s"
            ),
        ),
        "reason",
        _REASON,
    ),
    Kind.FULLY_SIGNED: Words(
        _("All signatories have signed %(document)s"),
        (
            _(
                "The %(type)s “%(title)s” is signed. You can now submit it to the agency."
                "%(sw_obj)s%(sw_subj)s"
            ),
        ),
    ),
    Kind.SUBMITTED: Words(
        _("New in the review queue: %(document)s%(sw_Subj)s"),
        (_("%(institution)s submitted the %(type)s “%(title)s” for review."), _CLAIM_IT),
    ),
    Kind.RESUBMITTED: Words(
        _("Resubmitted after changes: %(document)s%(sw_Subj)s"),
        (
            _(
                "%(institution)s resubmitted the %(type)s “%(title)s” (version %(version)s) "
                "after the changes the agency asked for."
            ),
            _CLAIM_IT,
        ),
    ),
    Kind.APPROVED: Words(
        _("Approved: %(document)s%(sw_Subj)s"),
        (
            _(
                "The %(agency)s approved the %(type)s “%(title)s”. The sealed PDF is on the "
                "document's page."
            ),
        ),
        "comment",
        _REVIEWERS_COMMENT,
    ),
    Kind.REJECTED: Words(
        _("Rejected: %(document)s%(sw_Subj)s"),
        (_("The %(agency)s rejected the %(type)s “%(title)s”. This decision is final."),),
        "reason",
        _REASON,
    ),
    Kind.CHANGES_REQUESTED: Words(
        _("Changes requested: %(document)s"),
        (
            _(
                "The %(agency)s returned the %(type)s “%(title)s” for changes. Edit it, have "
                "it signed again and resubmit it.%(sw_Obj)s%(sw_obj)s%(sw_subj)s"
            ),
        ),
        "comment",
        _REVIEWERS_COMMENT,
    ),
    Kind.WITHDRAWN: Words(
        _("Withdrawn: %(document)s%(sw_Subj)s"),
        (_("%(actor)s withdrew the %(type)s “%(title)s”: it no longer waits for you.%(sw_neg)s"),),
        "reason",
        _REASON,
    ),
    Kind.SIGNED_FOR_YOU: Words(
        _("%(actor)s signed %(document)s for you"),
        (_("As your acting officer, %(actor)s signed the %(type)s “%(title)s” in your place."),),
    ),
    Kind.MAILBOX_WAITING: Words(
        _("A mailbox to create: %(address)s"),
        (
            _(
                "The %(agency)s approved the e-mail account request “%(title)s” of "
                "%(institution)s: the mailbox %(address)s waits to be created."
            ),
            _("Open the request to claim it, then create the mailbox in the mail system."),
        ),
    ),
    Kind.MAILBOX_PROVISIONED: Words(
        _("Your government mailbox is ready: %(address)s"),
        (
            _(
                "The agency's mail administrators created the mailbox %(address)s asked for in "
                "“%(title)s”."
            ),
            _(
                "To sign in for the first time, open the Government Mailing System%(login_at)s "
                "and sign in as %(address)s with the temporary password the mail "
                "administrators give you by telephone or in person."
            ),
            _(
                "Choose a new password of your own at that first sign-in and never share it. "
                "Idhini never sends passwords, and nobody will ask you for yours by e-mail."
            ),
        ),
        "note",
        _("Mail administrator's note"),
    ),
    Kind.MAILBOX_REFUSED: Words(
        _("Mailbox not created: %(address)s"),
        (
            _(
                "The agency's mail administrators did not create the mailbox %(address)s asked "
                "for in “%(title)s”."
            ),
        ),
        "reason",
        _REASON,
    ),
}

# A resubmission reserved for the reviewer who returned it (payload "reserved"): only they are
# told, and told what they may do with it (workflow.services.document_submit).
RESERVED_WORDS: dict[str, Words] = {
    Kind.RESUBMITTED: Words(
        WORDS[Kind.RESUBMITTED].headline,
        (
            WORDS[Kind.RESUBMITTED].paragraphs[0],
            _(
                "It has come back to you, as you returned it: open it to claim it for "
                "review, or release it to the queue for another reviewer."
            ),
        ),
    ),
}

# Reminders and escalations, by the step that is overdue: a headline and a count of days.
REMINDER_WORDS: dict[tuple[str, str], tuple[Any, Any]] = {
    (Kind.REMINDER, "signature"): (
        _("Reminder: %(document)s waits for your signature%(sw_subj)s"),
        ngettext_lazy(
            "It has waited for your signature for %(days)d day.%(sw_Subj)s",
            "It has waited for your signature for %(days)d days.%(sw_Subj)s",
            "days",
        ),
    ),
    (Kind.REMINDER, "queue"): (
        _("Reminder: %(document)s waits in the review queue%(sw_subj)s"),
        ngettext_lazy(
            "Nobody has claimed it for %(days)d day.%(sw_obj)s",
            "Nobody has claimed it for %(days)d days.%(sw_obj)s",
            "days",
        ),
    ),
    (Kind.REMINDER, "review"): (
        _("Reminder: %(document)s waits for your decision%(sw_subj)s"),
        ngettext_lazy(
            "You claimed it %(days)d day ago and it waits for your decision.%(sw_obj)s%(sw_subj)s",
            "You claimed it %(days)d days ago and it waits for your decision.%(sw_obj)s%(sw_subj)s",
            "days",
        ),
    ),
    (Kind.ESCALATION, "signature"): (
        _("Overdue: %(document)s waits for the signature of %(person)s%(sw_Subj)s%(sw_subj)s"),
        ngettext_lazy(
            "%(person)s has not signed it for %(days)d day. Please follow it up.%(sw_obj)s",
            "%(person)s has not signed it for %(days)d days. Please follow it up.%(sw_obj)s",
            "days",
        ),
    ),
    (Kind.ESCALATION, "queue"): (
        _("Overdue: %(document)s is unclaimed in the review queue%(sw_Subj)s%(sw_neg)s"),
        ngettext_lazy(
            "Nobody has claimed it for %(days)d day. Please claim it.%(sw_obj)s",
            "Nobody has claimed it for %(days)d days. Please claim it.%(sw_obj)s",
            "days",
        ),
    ),
    (Kind.ESCALATION, "review"): (
        _("Overdue: %(document)s waits for a decision from %(person)s%(sw_Subj)s%(sw_subj)s"),
        ngettext_lazy(
            "%(person)s claimed it %(days)d day ago and has not decided.%(sw_obj)s",
            "%(person)s claimed it %(days)d days ago and has not decided.%(sw_obj)s",
            "days",
        ),
    ),
    (Kind.REMINDER, "mailbox"): (
        _("Reminder: the mailbox %(address)s waits to be created"),
        ngettext_lazy(
            "It was approved %(days)d day ago and is not created yet.",
            "It was approved %(days)d days ago and is not created yet.",
            "days",
        ),
    ),
    (Kind.ESCALATION, "mailbox"): (
        _("Overdue: the mailbox %(address)s is not created yet"),
        ngettext_lazy(
            "It was approved %(days)d day ago. Please see that it is created.",
            "It was approved %(days)d days ago. Please see that it is created.",
            "days",
        ),
    ),
}


def _values(payload: dict[str, Any], definition, lang: str) -> dict[str, Any]:
    title = payload.get("title", "")
    reference = payload.get("reference") or ""
    # Swahili sentences agree with the type's noun class (forms_templates.swahili); in English
    # the placeholders print nothing.
    return {
        **concords(payload.get("type", ""), lang),
        "document": f"{reference} — {title}" if reference else title,
        "title": title,
        "type": definition.name.get(lang) if definition else payload.get("type", ""),
        "actor": payload.get("actor", ""),
        "person": payload.get("person", ""),
        "institution": _bilingual(payload.get("institution"), lang),
        "version": payload.get("version", 1),
        "days": int(payload.get("days", 0) or 0),
        "address": payload.get("address", ""),
        "login_at": f" ({payload['login_url']})" if payload.get("login_url") else "",
        "agency": current_agency().name.get(lang),  # as configured in admin
    }


def compose(kind: str, payload: dict[str, Any], document_id: DocumentId) -> Message:
    lang = current_lang()
    definition = get_type(payload.get("type", ""))
    values = _values(payload, definition, lang)
    words = WORDS.get(kind)
    if payload.get("reserved"):
        words = RESERVED_WORDS.get(kind, words)
    quote_label = quote = ""
    if words is not None:
        headline = str(words.headline) % values
        paragraphs = [str(text) % values for text in words.paragraphs]
        if words.quote:
            quote_label, quote = str(words.quote_label), payload.get(words.quote) or ""
    elif kind in (Kind.REMINDER, Kind.ESCALATION):
        # An unknown step reads as the review step, as it always has.
        step = payload.get("step", "")
        headline_text, days_text = (
            REMINDER_WORDS.get((kind, step)) or REMINDER_WORDS[(kind, "review")]
        )
        headline, paragraphs = str(headline_text) % values, [days_text % values]
    else:
        headline, paragraphs = values["document"], []
    field_comments = [
        (comment_label(definition, key, lang) if definition else key, text)
        for key, text in sorted((payload.get("field_comments") or {}).items())
    ]
    return Message(
        subject=_one_line(f"[Idhini] {headline}"),
        headline=headline,
        paragraphs=paragraphs,
        quote_label=quote_label if quote else "",
        quote=quote,
        field_comments=field_comments,
        url=document_url(document_id),
    )


@dataclass(frozen=True)
class Email:
    """One e-mail as it is sent: what its outbox row keeps once composed."""

    subject: str
    body_text: str
    body_html: str


def render_email(
    *, kind: str, payload: dict[str, Any], document_id: DocumentId, language: str
) -> Email:
    """The e-mail of a notification, in ``language``. The delivery renders it
    (notifications.delivery), not the transition that wrote the notification."""
    with translation.override(language):
        message = compose(kind, payload, document_id)
        context = {
            "message": message,
            "language": language,
            "agency": current_agency().name.get(language),
        }
        text = render_to_string("notifications/email/message.txt", context)
        html = render_to_string("notifications/email/message.html", context)
    subject = message.subject[: Outbox._meta.get_field("subject").max_length]
    return Email(subject=subject, body_text=text, body_html=html)
