"""Taking a lifecycle action: :func:`perform`. The actions themselves (name, words, body fields,
the kinds of notification, who may take it) are declared once in workflow.actions; each service of
approvals.transitions says which one it performs (``@performs(name)``). Importing this module
loads them all, so every declared action has its service here."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.core.exceptions import ImproperlyConfigured

from approvals import transitions  # noqa: F401 - registers every service (@performs)
from workflow.actions import ACTIONS, SERVICES, Action, BodyField
from workflow.models import Document

if TYPE_CHECKING:
    from django.contrib.auth.models import User

__all__ = ["ACTIONS", "Action", "BodyField", "perform"]

# Declared once, checked once: every action has its service.
if set(SERVICES) != set(ACTIONS):
    raise ImproperlyConfigured(f"Actions without a service: {set(ACTIONS) - set(SERVICES)}")


def perform(
    action: str, *, document_id: UUID, by: User, fields: dict[str, Any], request: Any = None
) -> Document:
    """Take ``action`` (its name) on the document with the body ``fields``; KeyError for an
    unknown name. Fields the action does not declare are not passed on. ``request`` (Django's
    or REST framework's) lets the password check at signing count the client's address for
    the lockout; without it, failures count per username only."""
    declared = ACTIONS[action]
    given = {field.name: fields[field.name] for field in declared.fields if field.name in fields}
    if declared.takes_request:
        given["request"] = request
    return declared.service(document_id=document_id, by=by, **given)
