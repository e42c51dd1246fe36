"""In-app notifications and preferences: marking read, the e-mail language."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.models import (
    Language,
    Notification,
    Preference,
)
from workflow.exceptions import Invalid, NotFound

if TYPE_CHECKING:
    from django.contrib.auth.models import User


logger = logging.getLogger(__name__)
User = get_user_model()


# --- In-app notifications and preferences ---------------------------------------------------


def notification_mark_read(*, notification_id: Any, by: User) -> Notification:
    try:
        pk = int(str(notification_id))
    except ValueError:
        raise NotFound(_("No such notification.")) from None
    note = Notification.objects.filter(pk=pk, recipient_id=by.pk).first()
    if note is None:
        raise NotFound(_("No such notification."))
    if note.read_at is None:
        note.read_at = timezone.now()
        Notification.objects.filter(pk=pk, read_at__isnull=True).update(read_at=note.read_at)
    return note


def notification_mark_all_read(*, by: User) -> int:
    return Notification.objects.filter(recipient_id=by.pk, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def preference_set(*, user: User, language: Any) -> Preference:
    if language not in Language.values:
        raise Invalid(
            _("Unknown language."),
            errors={
                "language": [
                    _("Choose one of: %(choices)s.") % {"choices": ", ".join(Language.values)}
                ]
            },
        )
    preference, _created = Preference.objects.update_or_create(
        user=user, defaults={"language": language}
    )
    return preference
