"""The pages listen to the engine: a document sent for signature or withdrawn drops the answers
its form kept (portal.services), in the transition's own transaction."""

from __future__ import annotations

from workflow.models import EDITABLE_STATUSES


def on_document_transitioned(sender, *, document, from_status, to_status, **kwargs) -> None:
    from portal.services import draft_discard_kept

    # Answers are kept only while the document is editable: nothing to drop otherwise.
    if from_status in EDITABLE_STATUSES and to_status not in EDITABLE_STATUSES:
        draft_discard_kept(document=document)
