"""Seal the approved PDF once the approval has committed: in a worker, or (no broker) after the
response to the approval (approvals.tasks.seal_soon)."""

from __future__ import annotations

from django.dispatch import receiver

from workflow.models import Status
from workflow.signals import document_transitioned


@receiver(document_transitioned, dispatch_uid="approvals.seal_on_approval")
def seal_on_approval(sender, document, to_status, **kwargs) -> None:
    if to_status != Status.APPROVED:
        return
    from approvals.tasks import seal_after_commit

    # After commit: a worker must find the approval, and a rolled-back approval seals nothing.
    seal_after_commit(str(document.pk))


@receiver(document_transitioned, dispatch_uid="approvals.mailbox_on_approval")
def mailbox_on_approval(sender, document, to_status, actor=None, **kwargs) -> None:
    """An approved mailbox request starts waiting for the mail administrators, in the approval's
    transaction (approvals.provisioning)."""
    if to_status != Status.APPROVED:
        return
    from approvals.provisioning import mailbox_open

    mailbox_open(document=document, actor=actor)
