"""Listens to the engine: ``document_transitioned`` arrives inside the transition's transaction,
so the notifications written here commit (or roll back) with it."""

from __future__ import annotations

from typing import Any

from notifications.audience import notify_transition


def on_document_transitioned(
    sender: Any,
    *,
    document,
    action: str,
    actor,
    from_status: str,
    to_status: str,
    event=None,
    details: dict[str, Any] | None = None,
    **kwargs: Any,
) -> list:
    return notify_transition(
        document=document,
        action=action,
        actor=actor,
        from_status=from_status,
        to_status=to_status,
        event=event,
        details=details,
    )
