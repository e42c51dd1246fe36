"""One document's audit trail as a file anyone can re-check (CSV to read, JSON to verify).

Each event carries exactly the fields its hash covers (workflow.audit._event_hash), spelled as
hashed: ``hash = sha256(canonical_json({prev, document, seq, action, actor, from, to, version,
payload, at}))`` where canonical JSON has sorted keys, no spaces, UTF-8 unescaped. The chain:
each event's ``prev`` is the previous event's ``hash`` (the first one's is empty), sequence
numbers run 1, 2, 3 without a gap, and the last event is the document's ``head``.
``scripts/verify_audit_export.py`` checks all of it from the JSON alone, without Idhini.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.utils import timezone

from workflow.models import AuditEvent, Document

FORMAT = "idhini-audit-trail/1"
CSV_COLUMNS = ["seq", "at", "action", "actor", "from", "to", "version", "payload", "prev", "hash"]


def hashed_fields(event: AuditEvent) -> dict[str, Any]:
    """The event as its hash covers it (the same keys and values as workflow.audit)."""
    return {
        "prev": event.prev_hash,
        "document": str(event.document_id),
        "seq": event.seq,
        "action": event.action,
        "actor": event.actor_username,
        "from": event.from_status,
        "to": event.to_status,
        "version": event.version,
        "payload": event.payload,
        "at": event.created_at.isoformat(),
    }


def events_of(document: Document) -> Iterator[AuditEvent]:
    return AuditEvent.objects.filter(document_id=document.pk).order_by("seq").iterator()


def audit_trail(document: Document) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "algorithm": "sha256 of canonical JSON (sorted keys, separators ',' ':', UTF-8) of each "
        "event without its 'hash'",
        "document": {
            "id": str(document.pk),
            "reference": document.reference,
            "title": document.title,
            "institution": document.institution.code,
            "status": document.status,
            "version": document.version,
        },
        "head": {"seq": document.audit_seq, "hash": document.audit_head},
        "exported_at": timezone.now().isoformat(),
        "events": [{**hashed_fields(event), "hash": event.hash} for event in events_of(document)],
    }


def csv_rows(document: Document) -> Iterator[list[Any]]:
    from workflow.hashing import canonical_json

    yield CSV_COLUMNS
    for event in events_of(document):
        fields = hashed_fields(event)
        yield [
            fields["seq"],
            fields["at"],
            fields["action"],
            fields["actor"],
            fields["from"],
            fields["to"],
            fields["version"],
            canonical_json(fields["payload"]).decode("utf-8"),
            fields["prev"],
            event.hash,
        ]
