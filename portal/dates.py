"""Dates as people read them: one format per language (``2 Desemba 2026, 10:42`` /
``2 December 2026, 10:42``), in the agency's time zone, and relative times ("siku 3 zilizopita").

The month names are the print's (forms_templates.printing), not a locale's: Django's Swahili
formats differ between versions, and a date on the page must read the same as on the PDF.
"""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext, ngettext

from forms_templates.definitions import current_lang
from forms_templates.printing.html import format_date


def _local(value: datetime.datetime) -> datetime.datetime:
    return timezone.localtime(value) if timezone.is_aware(value) else value


def day(value: datetime.date | datetime.datetime | None, lang: str | None = None) -> str:
    """``2 Desemba 2026``."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = _local(value)
    return format_date(value, lang or current_lang())


def clock(value: datetime.datetime | None) -> str:
    """``10:42``, 24-hour, local time."""
    if value is None:
        return ""
    return _local(value).strftime("%H:%M")


def when(value: datetime.datetime | datetime.date | None, lang: str | None = None) -> str:
    """``2 Desemba 2026, 10:42`` (a date alone without the time)."""
    if value is None:
        return ""
    if not isinstance(value, datetime.datetime):
        return day(value, lang)
    return f"{day(value, lang)}, {clock(value)}"


def ago(value: datetime.datetime | None, now: datetime.datetime | None = None) -> str:
    """How long ago, in words: "sasa hivi", "dakika 5 zilizopita", "siku 3 zilizopita"; past a
    month, the date itself."""
    if value is None:
        return ""
    now = now or timezone.now()
    seconds = int((now - value).total_seconds())
    if seconds < 60:
        return gettext("just now")
    minutes = seconds // 60
    if minutes < 60:
        return ngettext("%(count)d minute ago", "%(count)d minutes ago", minutes) % {
            "count": minutes
        }
    hours = minutes // 60
    if hours < 24:
        return ngettext("%(count)d hour ago", "%(count)d hours ago", hours) % {"count": hours}
    days = hours // 24
    if days <= 30:
        return ngettext("%(count)d day ago", "%(count)d days ago", days) % {"count": days}
    return day(value)
