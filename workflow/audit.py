"""The audit trail: append-only events, hash-chained per document.

Each event's hash covers the previous event's hash and the event's own fields, and the document
row keeps the chain's head (last sequence number and hash). Editing an event breaks its hash;
deleting one leaves a gap or a head that no longer matches. ``verify_audit`` reports both.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import DatabaseError, connections, router
from django.utils import timezone

from config.sql import insert_fields, prepared_values
from workflow.hashing import canonical_json
from workflow.models import AuditEvent, Document


def _event_hash(
    *,
    prev_hash: str,
    document_id: str,
    seq: int,
    action: str,
    actor_username: str,
    from_status: str,
    to_status: str,
    version: int,
    payload: dict[str, Any],
    created_at: str,
) -> str:
    body = canonical_json(
        {
            "prev": prev_hash,
            "document": document_id,
            "seq": seq,
            "action": action,
            "actor": actor_username,
            "from": from_status,
            "to": to_status,
            "version": version,
            "payload": payload,
            "at": created_at,
        }
    )
    return hashlib.sha256(body).hexdigest()


def _hash_of(event: AuditEvent) -> str:
    return _event_hash(
        prev_hash=event.prev_hash,
        document_id=str(event.document_id),
        seq=event.seq,
        action=event.action,
        actor_username=event.actor_username,
        from_status=event.from_status,
        to_status=event.to_status,
        version=event.version,
        payload=event.payload,
        created_at=event.created_at.isoformat(),
    )


def audit_event(
    *,
    document: Document,
    action: str,
    actor,
    from_status: str = "",
    to_status: str = "",
    payload: dict[str, Any] | None = None,
) -> AuditEvent:
    """The next event of the document's chain, hashed (once) but not saved, and the document's
    head moved to it: :func:`audit_record` or :func:`save_with_event` writes both."""
    now = timezone.now()
    event = AuditEvent(
        document=document,
        seq=document.audit_seq + 1,
        action=action,
        actor=actor,
        actor_username=getattr(actor, "username", "") or "",
        from_status=from_status,
        to_status=to_status,
        version=document.version,
        payload=payload or {},
        created_at=now,
        prev_hash=document.audit_head,
    )
    event.hash = _hash_of(event)
    document.audit_seq = event.seq
    document.audit_head = event.hash
    return event


def audit_record(
    *,
    document: Document,
    action: str,
    actor,
    from_status: str = "",
    to_status: str = "",
    payload: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append an event. The caller holds the document's row lock and saves the document after."""
    event = audit_event(
        document=document,
        action=action,
        actor=actor,
        from_status=from_status,
        to_status=to_status,
        payload=payload,
    )
    event.save()
    return event


def save_with_event(document: Document, event: AuditEvent, update_fields: list[str]) -> None:
    """Insert ``event`` and save ``update_fields`` of the (locked) ``document``: on PostgreSQL in
    one statement (a data-modifying WITH: one round trip less for every transition, and no
    model save's machinery, which costs more than the SQL), elsewhere as two saves. Neither
    model has save signals' receivers to miss; AuditEvent.save's rule (append only) holds, as
    only a new event is written."""
    connection = connections[router.db_for_write(Document)]
    if connection.vendor != "postgresql":
        event.save()
        document.save(update_fields=update_fields)
        return
    qn = connection.ops.quote_name
    event_fields = insert_fields(AuditEvent)
    columns = [Document._meta.get_field(name) for name in update_fields]
    params = prepared_values(event, event_fields, connection)
    params += prepared_values(document, columns, connection, add=False)
    params.append(Document._meta.pk.get_db_prep_save(document.pk, connection))
    table = qn(Document._meta.db_table)
    sql = (
        f"WITH e AS (INSERT INTO {qn(AuditEvent._meta.db_table)} "  # noqa: S608 - our tables; values are parameters
        f"({', '.join(qn(f.column) for f in event_fields)}) "
        f"VALUES ({', '.join(['%s'] * len(event_fields))}) RETURNING id) "
        f"UPDATE {table} SET {', '.join(f'{qn(f.column)} = %s' for f in columns)} "
        f"FROM e WHERE {table}.{qn(Document._meta.pk.column)} = %s RETURNING e.id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:  # the locked row is gone: never under the lock; the INSERT must not stand
        raise DatabaseError("The document to save with its audit event does not exist.")
    event.pk = row[0]
    event._state.adding, event._state.db = False, connection.alias


@dataclass(frozen=True)
class AuditProblem:
    document_id: str
    seq: int | None
    problem: str


def verify_chain(document: Document, events: Iterable[AuditEvent]) -> list[AuditProblem]:
    problems: list[AuditProblem] = []
    expected_seq = 1
    prev_hash = ""
    doc_id = str(document.pk)
    for event in events:
        if event.seq != expected_seq:
            problems.append(
                AuditProblem(doc_id, expected_seq, f"event {expected_seq} is missing (deleted)")
            )
        if event.prev_hash != prev_hash:
            problems.append(AuditProblem(doc_id, event.seq, "the chain is broken before it"))
        if _hash_of(event) != event.hash:
            problems.append(AuditProblem(doc_id, event.seq, "the event was edited"))
        expected_seq = event.seq + 1
        prev_hash = event.hash
    if document.audit_seq != expected_seq - 1 or document.audit_head != prev_hash:
        problems.append(
            AuditProblem(
                doc_id,
                document.audit_seq,
                "the last events were deleted or the head does not match",
            )
        )
    return problems


def verify_all(batch_size: int = 500) -> tuple[int, list[AuditProblem]]:
    """Verify every document's chain; returns (documents checked, problems)."""
    checked = 0
    problems: list[AuditProblem] = []
    documents = Document.objects.order_by("pk").only("pk", "audit_seq", "audit_head")
    for document in documents.iterator(chunk_size=batch_size):
        events = AuditEvent.objects.filter(document_id=document.pk).order_by("seq")
        problems.extend(verify_chain(document, events))
        checked += 1
    return checked, problems
