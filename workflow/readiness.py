"""Is a document ready to leave the draft? Every required answer given and every rule across its
fields holding (forms_templates.rules), checked the same way whatever filled it in.

``request-signatures`` and ``submit`` call :func:`ensure_ready`; the API's document detail and
the pages call :func:`document_broken_rules` to show what is broken beside the fields, while the
draft may still be saved as it is.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from forms_templates.definitions import current_lang
from forms_templates.registry import get_type
from forms_templates.rules import Broken, broken_rules, uses_mail_domains
from forms_templates.validation import missing_attachments, missing_required
from workflow.exceptions import Invalid
from workflow.models import Document


def document_broken_rules(document: Document, *, data: Any = None) -> list[Broken]:
    """The rules of the document's type that its data (or ``data``, e.g. a form's unsaved
    answers) breaks; the mailbox rule reads the document's institution's mail domains."""
    definition = get_type(document.type)
    if definition is None:
        return []
    # Read only for the types that need them: the institution is one more query.
    domains = document.institution.mail_domain_list() if uses_mail_domains(definition) else ()
    return broken_rules(
        definition,
        document.data if data is None else data,
        mail_domains=domains,
        form_version=document.form_version,
    )


def ensure_ready(document: Document) -> None:
    """400 naming every missing answer (``data``), every broken rule (``rules``: code, the
    fields and rows involved, the message in the person's language and what was found) and
    every required annex not attached (``attachments``), all at once."""
    definition = get_type(document.type)
    missing = missing_required(definition, document.data, document.form_version)
    broken = document_broken_rules(document)
    annexes = missing_attachments(definition, document.attachment_manifest)
    if not missing and not broken and not annexes:
        return
    errors: dict[str, Any] = {}
    if missing:
        errors["data"] = missing
    if broken:
        lang = current_lang()
        errors["rules"] = [rule.as_dict(lang) for rule in broken]
    if annexes:
        errors["attachments"] = annexes
    if missing:
        message = _("The document is incomplete: answer the required fields first.")
    elif broken:
        message = _("Some answers do not agree with each other: correct them first.")
    else:
        message = _("The document is incomplete: attach the required annexes first.")
    raise Invalid(message, code="rules" if broken and not missing else "incomplete", errors=errors)
