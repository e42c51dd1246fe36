"""Who the notifications are for: people by id with their language, the agency's reviewers,
an institution's accounting officers."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.contrib.auth import get_user_model

from approvals.transitions.locking import NOTIFICATION_LANGUAGE, PERSON_COLUMNS, person_from_row
from config.sql import Reusable
from notifications.models import (
    Language,
    Preference,
)
from workflow.models import Membership, Role

logger = logging.getLogger(__name__)
User = get_user_model()


# --- Recipients -----------------------------------------------------------------------------


# A person's language read with them where their preference row is not (the transitions' row
# lock reads the author's in its own statement: approvals.transitions.locking, below this app,
# sets it; None when they have no preference row).
_UNREAD = object()


def language_of(user: User) -> str:
    known = getattr(user, NOTIFICATION_LANGUAGE, _UNREAD)
    if known is not _UNREAD:
        return known or Language.SWAHILI
    try:
        return user.notification_preference.language
    except Preference.DoesNotExist:
        return Language.SWAHILI


def loaded_with_preference(user: User) -> bool:
    """Whether ``user`` came with their preference (or its absence), or their language: it is
    known without a query."""
    return user is not None and (
        hasattr(user, NOTIFICATION_LANGUAGE) or User.notification_preference.related.is_cached(user)
    )


def people_by_id(ids: Iterable[int | None], *, loaded: Iterable = ()) -> list:
    """Active users by id, in the given order, with their preferences: from ``loaded`` (users
    the caller holds with their preference, e.g. the locked document's author) when every one
    is there, else one query."""
    wanted = [pk for pk in dict.fromkeys(ids) if pk is not None]
    if not wanted:
        return []
    held = {user.pk: user for user in loaded if loaded_with_preference(user)}
    if all(pk in held for pk in wanted):
        return [held[pk] for pk in wanted if held[pk].is_active]
    users = User.objects.filter(pk__in=wanted, is_active=True).select_related(
        "notification_preference"
    )
    by_id = {user.pk: user for user in users}
    return [by_id[pk] for pk in wanted if pk in by_id]


def agency_reviewers() -> list:
    """The agency's reviewers: whoever may claim from the queue."""
    return agency_staff(Role.REVIEWER)


def mail_admins() -> list:
    """The agency's mail administrators: whoever creates approved mailboxes."""
    return agency_staff(Role.MAIL_ADMIN)


def agency_staff(role: str) -> list:
    """The agency's active holders of ``role``, by id, each with their language: one statement
    compiled once per connection (every submission tells every reviewer; building this join
    cost Django more than the database spends answering it)."""
    rows = _STAFF.rows(str(role))  # a Role is its value
    return [person_from_row(row[:-1], row[-1]) for row in rows]


_STAFF = Reusable(
    lambda role: (
        User.objects.filter(
            is_active=True,
            memberships__role=role,
            memberships__institution__is_agency=True,
        )
        .distinct()
        .order_by("pk")
        .values_list(*PERSON_COLUMNS, "notification_preference__language")
    ),
    placeholder="",  # no role
)


def accounting_officers(institution_ids: Iterable[int]) -> dict[int, list]:
    memberships = (
        Membership.objects.filter(
            institution_id__in=set(institution_ids),
            role=Role.ACCOUNTING_OFFICER,
            user__is_active=True,
        )
        .select_related("user__notification_preference")
        .order_by("user_id")
    )
    officers: dict[int, list] = {}
    for membership in memberships:
        officers.setdefault(membership.institution_id, []).append(membership.user)
    return officers


def display_name(user: User) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()
