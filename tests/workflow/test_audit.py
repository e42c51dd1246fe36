"""The audit trail is append-only and hash-chained; verify_audit finds edits and deletions."""

from __future__ import annotations

import itertools

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from tests.helpers import drive, new_document
from workflow.models import AuditEvent

pytestmark = pytest.mark.django_db


def _verify() -> tuple[int, str]:
    from io import StringIO

    out = StringIO()
    try:
        call_command("verify_audit", stdout=out)
    except SystemExit as exit_:
        return int(exit_.code), out.getvalue()
    return 0, out.getvalue()


def test_an_untouched_trail_verifies(world):
    drive(world, new_document(world), "approved")
    code, output = _verify()
    assert code == 0
    assert "all chains intact" in output


def test_events_cannot_be_changed_or_deleted_through_the_models(world):
    event = AuditEvent.objects.filter(document=new_document(world)).first()
    event.action = "forged"
    with pytest.raises(ValueError):
        event.save()
    with pytest.raises(ValueError):
        event.delete()


def _tamper(sql: str, params: list) -> None:
    """What someone with the database's keys could do: bypass the append-only trigger."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")  # triggers off
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = DEFAULT")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL trigger")
def test_the_database_refuses_to_change_or_delete_an_event(world):
    document = drive(world, new_document(world), "submitted")
    event = AuditEvent.objects.filter(document=document).first()
    for statement in [
        "UPDATE workflow_auditevent SET action = 'forged' WHERE id = %s",
        "DELETE FROM workflow_auditevent WHERE id = %s",
    ]:
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement, [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).action == event.action


def test_an_edited_event_is_reported(world):
    document = drive(world, new_document(world), "submitted")
    event = AuditEvent.objects.get(document=document, action="submit")
    _tamper("UPDATE workflow_auditevent SET actor_username = 'mtu' WHERE id = %s", [event.pk])
    code, output = _verify()
    assert code == 1
    assert f"document {document.pk} event {event.seq}: the event was edited" in output


def test_a_deleted_event_in_the_middle_is_reported(world):
    document = drive(world, new_document(world), "submitted")
    event = AuditEvent.objects.get(document=document, action="request-signatures")
    _tamper("DELETE FROM workflow_auditevent WHERE id = %s", [event.pk])
    code, output = _verify()
    assert code == 1
    assert f"event {event.seq} is missing" in output


def test_a_deleted_last_event_is_reported(world):
    document = drive(world, new_document(world), "submitted")
    last = AuditEvent.objects.filter(document=document).order_by("-seq").first()
    _tamper("DELETE FROM workflow_auditevent WHERE id = %s", [last.pk])
    code, output = _verify()
    assert code == 1
    assert "the last events were deleted" in output


def test_each_event_chains_to_the_one_before(world):
    document = drive(world, new_document(world), "signed")
    events = list(AuditEvent.objects.filter(document=document).order_by("seq"))
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    assert events[0].prev_hash == ""
    for before, after in itertools.pairwise(events):
        assert after.prev_hash == before.hash
    document.refresh_from_db()
    assert document.audit_head == events[-1].hash
