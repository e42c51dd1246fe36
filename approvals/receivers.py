"""Seal the approved PDF once the approval has committed: in a worker, or (no broker) after the
response to the approval (approvals.tasks.seal_soon)."""

from __future__ import annotations

from django.db import transaction
from django.dispatch import receiver

from workflow.models import Status
from workflow.signals import document_transitioned


@receiver(document_transitioned, dispatch_uid="approvals.seal_on_approval")
def seal_on_approval(sender, document, to_status, **kwargs) -> None:
    if to_status != Status.APPROVED:
        return
    document_id = str(document.pk)

    def enqueue() -> None:
        from approvals.tasks import seal_soon

        seal_soon(document_id)

    # After commit: a worker must find the approval, and a rolled-back approval seals nothing.
    transaction.on_commit(enqueue)
