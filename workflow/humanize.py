"""Times and people as a person reads them: "dakika 1 iliyopita", "siku 3", "Asha Juma".

Our own words (not Django's ``timesince``), so that Swahili agrees with its noun: *dakika 1
iliyopita* but *dakika 5 zilizopita*. Reads only what it is given: no query.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

if TYPE_CHECKING:
    from django.contrib.auth.models import User

MINUTE = 60
HOUR = 60 * MINUTE
DAY = 24 * HOUR


def person_name(user: User) -> str:
    """A person's full name, or their username when they have none."""
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def ago(moment: datetime | None, now: datetime | None = None) -> str:
    """How long ago ``moment`` was, in the active language."""
    if moment is None:
        return ""
    seconds = max(0, int(((now or timezone.now()) - moment).total_seconds()))
    if seconds < MINUTE:
        return _("just now")
    if seconds < HOUR:
        count = seconds // MINUTE
        return ngettext("%(count)d minute ago", "%(count)d minutes ago", count) % {"count": count}
    if seconds < DAY:
        count = seconds // HOUR
        return ngettext("%(count)d hour ago", "%(count)d hours ago", count) % {"count": count}
    count = seconds // DAY
    return ngettext("%(count)d day ago", "%(count)d days ago", count) % {"count": count}


def duration(seconds: float | None) -> str:
    """A length of time, roughly: "under an hour", "5 hours", "3 days"."""
    if seconds is None:
        return ""
    seconds = max(0, int(seconds))
    if seconds < HOUR:
        return _("under an hour")
    if seconds < DAY:
        count = seconds // HOUR
        return ngettext("%(count)d hour", "%(count)d hours", count) % {"count": count}
    count = seconds // DAY
    return ngettext("%(count)d day", "%(count)d days", count) % {"count": count}
