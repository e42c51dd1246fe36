"""The mailbox notice: a PDF of the mailbox's state, beside the approved request's sealed PDF.

The sealed PDF is what was approved and never changes (its seal would break); what happened in
the mail system afterwards is this separate notice, which names the sealed request's reference
and verification code so that a reader can check the approval it follows."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.template.loader import render_to_string
from django.utils import translation

from approvals.models import MailboxProvisioning
from approvals.printing import verification_url
from forms_templates.printing.html import emblem_data_uri, format_datetime
from forms_templates.printing.render import render_pdf
from workflow.agency import current_agency

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def _name(user: User) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else ""


def notice_html(provisioning: MailboxProvisioning, lang: str) -> str:
    document = provisioning.document
    agency = current_agency()
    data = document.data or {}
    with translation.override(lang):
        return render_to_string(
            "approvals/mailbox_notice.html",
            {
                "lang": lang,
                "heading": agency.heading.get(lang),
                "agency": agency.name.get(lang),
                "emblem_src": emblem_data_uri(agency.emblem_png)
                if agency.emblem_png
                else "emblem.svg",
                "document": document,
                "institution": document.institution.name(lang),
                "servant": data.get("full_name", ""),
                "mailbox": provisioning,
                "status": provisioning.get_status_display(),
                "approved_at": format_datetime(document.approved_at, lang),
                "completed_at": format_datetime(provisioning.completed_at, lang),
                "assignee": _name(provisioning.assignee),
                "verification_url": verification_url(document.verification_code or ""),
            },
        )


def notice_pdf(provisioning: MailboxProvisioning, lang: str) -> bytes:
    """Rendered at each request, in the sandbox the documents' PDFs use: it changes with the
    state, so it is not kept."""
    return render_pdf(notice_html(provisioning, lang))
