"""Reads of mailbox provisioning: the mail administrators' queue, one request's state, and what
the caller may do with it now."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from approvals.models import OPEN_PROVISIONING, MailboxProvisioning, Provisioning
from workflow.exceptions import Forbidden, Invalid, NotFound
from workflow.roles import user_context
from workflow.selectors import DocumentId, document_get_visible

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def mailbox_queue(
    user: User, *, status: str = "", assignee: str = ""
) -> QuerySet[MailboxProvisioning]:
    """Approved mailbox requests, oldest approval first: open ones (waiting or claimed) unless
    ``status`` names another; ``assignee`` ``me`` or ``none``. Mail administrators only."""
    if not user_context(user).is_mail_admin:
        raise Forbidden(_("Only the agency's mail administrators have a mailbox queue."))
    rows = MailboxProvisioning.objects.select_related("document__institution", "assignee").order_by(
        "created_at", "pk"
    )
    if status:
        if status not in Provisioning.values:
            raise Invalid(
                _("Invalid status."),
                errors={
                    "status": [_("One of: %(names)s.") % {"names": ", ".join(Provisioning.values)}]
                },
            )
        rows = rows.filter(status=status)
    else:
        rows = rows.filter(status__in=OPEN_PROVISIONING)
    if assignee == "me":
        rows = rows.filter(assignee_id=user.pk)
    elif assignee == "none":
        rows = rows.filter(assignee__isnull=True)
    elif assignee:
        raise Invalid(_("Invalid assignee."), errors={"assignee": [_("One of: me, none.")]})
    return rows


def mailbox_of(*, document_id: DocumentId, by: User) -> MailboxProvisioning:
    """The provisioning of a document the caller may see (404 otherwise, or when it has none)."""
    document = document_get_visible(document_id=document_id, by=by)
    provisioning = (
        MailboxProvisioning.objects.select_related("assignee", "document__institution")
        .filter(document=document)
        .first()
    )
    if provisioning is None:
        raise NotFound(_("This document is not an approved e-mail account request."))
    return provisioning


def mailbox_actions(provisioning: MailboxProvisioning, user: User) -> list[str]:
    """What ``user`` may do with it now (no query)."""
    if not user_context(user).is_mail_admin:
        return []
    if provisioning.status == Provisioning.WAITING:
        return ["claim"]
    if provisioning.status == Provisioning.CLAIMED and provisioning.assignee_id == user.pk:
        return ["provision", "refuse", "release"]
    return []
