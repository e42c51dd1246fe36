"""``document_transitioned`` is sent inside the transition's transaction, after its audit event.

Receivers that write rows (notifications, outbox) join that transaction, so the transition, its
audit event and the receivers' rows commit together or not at all. Keyword arguments:
``document``, ``action``, ``actor``, ``from_status``, ``to_status``, ``event`` (the AuditEvent)
and ``details`` (a dict: reason, comment, field_comments, ...).
"""

from django.dispatch import Signal

document_transitioned = Signal()
