"""The kinds of annex a document carries, and which a type requires (``required_attachments``
in its definition). Labels are gettext messages (English msgid, Swahili in locale/); the print,
which chooses its language per document, reads both through :func:`kind_label`."""

from __future__ import annotations

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from forms_templates.definitions import T


class AttachmentKind(models.TextChoices):
    COVER_LETTER = "cover_letter", _("Cover letter")
    STEERING_COMMITTEE_MINUTES = "steering_committee_minutes", _("Steering committee minutes")
    QUOTATION = "quotation", _("Quotation")
    DESIGN = "design", _("Design")
    OTHER = "other", _("Other")


def kind_label(kind: str) -> T:
    """The kind's name in Swahili and English (the key itself for an unknown kind)."""
    try:
        label = AttachmentKind(kind).label
    except ValueError:
        return T(kind, kind)
    names = {}
    for lang in ("sw", "en"):
        with translation.override(lang):
            names[lang] = str(label)
    return T(names["sw"], names["en"])
