"""The words of every notification, in the active language.

``compose`` turns a notification's kind and payload into a subject, paragraphs, the quoted reason
or comment and the per-field comments. The e-mail renders it under the recipient's language
(``translation.override``); the API renders it in the reader's request language. The payload is
written once, at the transition, so both say the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from forms_templates.definitions import current_lang
from forms_templates.forms import comment_label
from forms_templates.registry import get_type
from notifications.models import Kind


@dataclass(frozen=True)
class Message:
    subject: str
    headline: str
    paragraphs: list[str]
    quote_label: str = ""
    quote: str = ""
    field_comments: list[tuple[str, str]] = field(default_factory=list)
    url: str = ""


def document_url(document_id: Any) -> str:
    """The document's page in the web UI. A plain GET: opening it changes nothing."""
    return f"{settings.SITE_URL}/documents/{document_id}/"


def _bilingual(value: Any, lang: str) -> str:
    if isinstance(value, dict):
        return str(value.get(lang) or value.get("sw") or "")
    return str(value or "")


def _one_line(text: str) -> str:
    # Titles are people's input; a header may not contain a line break.
    return " ".join(text.split())


def compose(kind: str, payload: dict[str, Any], document_id: Any) -> Message:
    lang = current_lang()
    definition = get_type(payload.get("type", ""))
    title = payload.get("title", "")
    reference = payload.get("reference") or ""
    document = f"{reference} — {title}" if reference else title
    values = {
        "document": document,
        "title": title,
        "type": definition.name.get(lang) if definition else payload.get("type", ""),
        "actor": payload.get("actor", ""),
        "person": payload.get("person", ""),
        "institution": _bilingual(payload.get("institution"), lang),
        "version": payload.get("version", 1),
        "days": payload.get("days", 0),
    }
    paragraphs: list[str] = []
    quote_label = quote = ""
    reason = payload.get("reason") or ""
    comment = payload.get("comment") or ""

    if kind == Kind.SIGNATURE_REQUESTED:
        headline = _("Your signature is needed: %(document)s") % values
        paragraphs.append(
            _("It is your turn to sign the %(type)s “%(title)s” of %(institution)s.") % values
        )
        paragraphs.append(_("Open the document, read it, and sign it or decline to sign it."))
    elif kind == Kind.SIGNATURE_DECLINED:
        headline = _("%(actor)s declined to sign %(document)s") % values
        paragraphs.append(
            _(
                "The %(type)s “%(title)s” is back in draft. Correct it and send it for "
                "signature again."
            )
            % values
        )
        quote_label, quote = _("Reason"), reason
    elif kind == Kind.FULLY_SIGNED:
        headline = _("All signatories have signed %(document)s") % values
        paragraphs.append(
            _("The %(type)s “%(title)s” is signed. You can now submit it to the agency.") % values
        )
    elif kind == Kind.SUBMITTED:
        headline = _("New in the review queue: %(document)s") % values
        paragraphs.append(
            _("%(institution)s submitted the %(type)s “%(title)s” for review.") % values
        )
        paragraphs.append(_("Open the document to claim it for review."))
    elif kind == Kind.RESUBMITTED:
        headline = _("Resubmitted after changes: %(document)s") % values
        paragraphs.append(
            _(
                "%(institution)s resubmitted the %(type)s “%(title)s” (version %(version)s) "
                "after the changes the agency asked for."
            )
            % values
        )
        if payload.get("reserved"):
            paragraphs.append(
                _(
                    "It has come back to you, as you returned it: open it to claim it for "
                    "review, or release it to the queue for another reviewer."
                )
            )
        else:
            paragraphs.append(_("Open the document to claim it for review."))
    elif kind == Kind.APPROVED:
        headline = _("Approved: %(document)s") % values
        paragraphs.append(
            _(
                "The e-Government Agency approved the %(type)s “%(title)s”. The sealed PDF "
                "is on the document's page."
            )
            % values
        )
        quote_label, quote = _("Reviewer's comment"), comment
    elif kind == Kind.REJECTED:
        headline = _("Rejected: %(document)s") % values
        paragraphs.append(
            _("The e-Government Agency rejected the %(type)s “%(title)s”. This decision is final.")
            % values
        )
        quote_label, quote = _("Reason"), reason
    elif kind == Kind.CHANGES_REQUESTED:
        headline = _("Changes requested: %(document)s") % values
        paragraphs.append(
            _(
                "The e-Government Agency returned the %(type)s “%(title)s” for changes. Edit "
                "it, have it signed again and resubmit it."
            )
            % values
        )
        quote_label, quote = _("Reviewer's comment"), comment
    elif kind == Kind.WITHDRAWN:
        headline = _("Withdrawn: %(document)s") % values
        paragraphs.append(
            _("%(actor)s withdrew the %(type)s “%(title)s”: it no longer waits for you.") % values
        )
        quote_label, quote = _("Reason"), reason
    elif kind in (Kind.REMINDER, Kind.ESCALATION):
        headline, paragraph = _reminder(kind, payload.get("step", ""), values)
        paragraphs.append(paragraph)
    else:
        headline = document
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


def _reminder(kind: str, step: str, values: dict[str, Any]) -> tuple[str, str]:
    days = int(values["days"])
    if kind == Kind.REMINDER:
        if step == "signature":
            return (
                _("Reminder: %(document)s waits for your signature") % values,
                ngettext(
                    "It has waited for your signature for %(days)d day.",
                    "It has waited for your signature for %(days)d days.",
                    days,
                )
                % values,
            )
        if step == "queue":
            return (
                _("Reminder: %(document)s waits in the review queue") % values,
                ngettext(
                    "Nobody has claimed it for %(days)d day.",
                    "Nobody has claimed it for %(days)d days.",
                    days,
                )
                % values,
            )
        return (
            _("Reminder: %(document)s waits for your decision") % values,
            ngettext(
                "You claimed it %(days)d day ago and it waits for your decision.",
                "You claimed it %(days)d days ago and it waits for your decision.",
                days,
            )
            % values,
        )
    if step == "signature":
        return (
            _("Overdue: %(document)s waits for the signature of %(person)s") % values,
            ngettext(
                "%(person)s has not signed it for %(days)d day. Please follow it up.",
                "%(person)s has not signed it for %(days)d days. Please follow it up.",
                days,
            )
            % values,
        )
    if step == "queue":
        return (
            _("Overdue: %(document)s is unclaimed in the review queue") % values,
            ngettext(
                "Nobody has claimed it for %(days)d day. Please claim it.",
                "Nobody has claimed it for %(days)d days. Please claim it.",
                days,
            )
            % values,
        )
    return (
        _("Overdue: %(document)s waits for a decision from %(person)s") % values,
        ngettext(
            "%(person)s claimed it %(days)d day ago and has not decided.",
            "%(person)s claimed it %(days)d days ago and has not decided.",
            days,
        )
        % values,
    )
