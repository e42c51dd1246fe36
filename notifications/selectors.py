"""Reads of notifications: a person's own, newest first, on the (recipient, created) index."""

from __future__ import annotations

from django.db.models import QuerySet

from notifications.models import Notification


def notifications_for(user) -> QuerySet[Notification]:
    # The text is composed from the payload: no join is needed to show a page of them.
    return Notification.objects.filter(recipient_id=user.pk).order_by("-created_at", "-id")


def unread_count(user) -> int:
    return Notification.objects.filter(recipient_id=user.pk, read_at__isnull=True).count()
