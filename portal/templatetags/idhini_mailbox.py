"""The mailbox's state where a page shows a request: its own panel on the document page (a
query only for an approved mailbox request), the states' words, and who sees the queue."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import template

from approvals.models import Provisioning
from approvals.provisioning import MAILBOX_TYPE
from portal.next_steps import mailbox_provisioning
from workflow.models import Status
from workflow.roles import user_context

if TYPE_CHECKING:
    from django.contrib.auth.models import User

register = template.Library()


@register.filter
def mailbox_status(value: str) -> str:
    try:
        return str(Provisioning(value).label)
    except ValueError:
        return value


@register.filter
def is_mail_admin(user: User) -> bool:
    return user_context(user).is_mail_admin


@register.inclusion_tag("portal/_mailbox_panel.html", takes_context=True)
def mailbox_panel(context, document) -> dict:
    user = context["request"].user
    provisioning = None
    if document.type == MAILBOX_TYPE and document.status == Status.APPROVED:
        provisioning = mailbox_provisioning(document)  # read once for the page
    return {
        "mailbox": provisioning,
        "document": document,
        "mail_admin": provisioning is not None and user_context(user).is_mail_admin,
    }
