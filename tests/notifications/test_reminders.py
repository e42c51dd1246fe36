"""Reminders and escalation: one per overdue item per person per day. Time is driven by the
``now`` given to the daily task and by when the document entered its status."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.db import IntegrityError, transaction

from approvals import services as approvals
from celery_app import app
from notifications.models import Kind, Notification, Preference, Reminder
from notifications.reminders import reminders_send
from notifications.tasks import send_reminders
from tests.helpers import PASSWORD, drive, new_document
from workflow.models import Document

pytestmark = pytest.mark.django_db

DAR = ZoneInfo("Africa/Dar_es_Salaam")
ENTERED = datetime(2026, 3, 2, 9, 0, tzinfo=DAR)  # when the document entered its status


def at(day: int, hour: int) -> datetime:
    """Local time ``day`` days after the document entered its status."""
    return datetime.combine(ENTERED.date() + timedelta(days=day), time(hour), tzinfo=DAR)


def waiting_since(document, when: datetime = ENTERED):
    Document.objects.filter(pk=document.pk).update(status_changed_at=when)
    return document


def told() -> list[tuple[str, str, str]]:
    notes = Notification.objects.select_related("recipient").order_by("id")
    return [(n.recipient.username, n.kind, n.payload.get("step", "")) for n in notes]


def awaiting_the_head_of_ict(world):
    """A concept note signed by its author and system owner (issue 15's chain)."""
    document = drive(world, new_document(world), "awaiting_signatures")
    for signer in (world.officer, world.system_owner):
        approvals.document_sign(document_id=document.pk, by=signer, password=PASSWORD)
    Notification.objects.all().delete()
    return waiting_since(document)


def test_nothing_is_sent_before_a_step_is_overdue(world):
    awaiting_the_head_of_ict(world)  # 3 days for a signature
    assert reminders_send(now=at(3, 8)) == 0
    assert told() == []


def test_the_waiting_signatory_is_reminded_once_a_day(world, django_capture_on_commit_callbacks):
    awaiting_the_head_of_ict(world)
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_send(now=at(3, 10)) == 1
        assert reminders_send(now=at(3, 23)) == 0  # the same day
    assert told() == [("ict_head", Kind.REMINDER, "signature")]
    note = Notification.objects.get()
    assert note.payload["days"] == 3
    (email,) = mail.outbox
    assert email.to == ["ict_head@example.go.tz"]
    assert "3" in email.body
    assert reminders_send(now=at(4, 8)) == 1  # the next day, again
    assert Reminder.objects.filter(recipient=world.ict_head).count() == 2


def test_a_signature_overdue_past_the_second_threshold_escalates_to_the_accounting_officer(
    world, django_capture_on_commit_callbacks
):
    awaiting_the_head_of_ict(world)  # escalation after 7 days
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_send(now=at(7, 10)) == 2
    assert told() == [
        ("ict_head", Kind.REMINDER, "signature"),
        ("accounting_officer", Kind.ESCALATION, "signature"),
    ]
    escalation = Notification.objects.get(kind=Kind.ESCALATION)
    assert escalation.payload["person"] == "ict_head"
    assert sorted(m.to[0] for m in mail.outbox) == [
        "accounting_officer@example.go.tz",
        "ict_head@example.go.tz",
    ]
    assert Reminder.objects.get(recipient=world.accounting_officer).escalated is True


def test_the_accounting_officer_waited_on_gets_one_reminder_not_an_escalation_too(world):
    document = drive(world, new_document(world), "awaiting_signatures")
    for signer in (world.officer, world.system_owner, world.ict_head):
        approvals.document_sign(document_id=document.pk, by=signer, password=PASSWORD)
    Notification.objects.all().delete()
    waiting_since(document)
    assert reminders_send(now=at(8, 10)) == 1
    assert told() == [("accounting_officer", Kind.REMINDER, "signature")]


def test_an_unclaimed_document_reminds_every_reviewer_then_escalates(world):
    document = drive(world, new_document(world), "submitted")
    Notification.objects.all().delete()
    waiting_since(document)  # 2 days in the queue, escalation after 5
    assert reminders_send(now=at(1, 10)) == 0
    assert reminders_send(now=at(2, 10)) == 2
    assert reminders_send(now=at(5, 10)) == 2
    assert told() == [
        ("reviewer", Kind.REMINDER, "queue"),
        ("reviewer2", Kind.REMINDER, "queue"),
        ("reviewer", Kind.ESCALATION, "queue"),
        ("reviewer2", Kind.ESCALATION, "queue"),
    ]


def test_a_review_without_a_decision_reminds_the_assignee_then_every_reviewer(world):
    document = drive(world, new_document(world), "under_review")  # claimed by "reviewer"
    Notification.objects.all().delete()
    waiting_since(document)  # 5 days for a decision, escalation after 10
    assert reminders_send(now=at(5, 10)) == 1
    assert reminders_send(now=at(10, 10)) == 2
    assert told() == [
        ("reviewer", Kind.REMINDER, "review"),
        ("reviewer", Kind.REMINDER, "review"),
        ("reviewer2", Kind.ESCALATION, "review"),
    ]
    assert Notification.objects.filter(kind=Kind.ESCALATION).get().payload["person"] == "reviewer"


def test_documents_that_wait_on_nobody_are_not_reminded(world):
    for status in ("draft", "signed", "approved", "changes_requested", "withdrawn"):
        waiting_since(drive(world, new_document(world), status))
    Notification.objects.all().delete()
    assert reminders_send(now=at(60, 10)) == 0


def test_reminders_are_written_in_each_recipients_language(
    world, django_capture_on_commit_callbacks
):
    Preference.objects.create(user=world.reviewer2, language="en")
    document = drive(world, new_document(world), "submitted")
    waiting_since(document)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        reminders_send(now=at(2, 10))
    by_person = {m.to[0].split("@")[0]: m for m in mail.outbox}
    assert by_person["reviewer2"].subject.startswith("[Idhini] Reminder: EGA/CN/")
    assert "waits in the review queue" in by_person["reviewer2"].subject
    assert by_person["reviewer"].extra_headers["Content-Language"] == "sw"
    assert "Reminder" not in by_person["reviewer"].subject


def test_the_thresholds_come_from_settings(world, settings):
    settings.REMINDER_DAYS_SIGNATURE = 1
    awaiting_the_head_of_ict(world)
    assert reminders_send(now=at(1, 10)) == 1


def test_the_database_holds_one_reminder_per_item_per_person_per_day(world):
    document = awaiting_the_head_of_ict(world)
    fields = {"document": document, "step": "signature", "recipient": world.ict_head}
    Reminder.objects.create(date=at(3, 10).date(), **fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        Reminder.objects.create(date=at(3, 10).date(), escalated=True, **fields)
    Reminder.objects.create(date=at(4, 10).date(), **fields)


def test_the_daily_task_and_the_sweep_are_on_the_beat_schedule(world):
    app.loader.import_default_modules()
    schedule = django_settings.CELERY_BEAT_SCHEDULE
    assert {entry["task"] for entry in schedule.values()} <= set(app.tasks)
    waiting_since(drive(world, new_document(world), "submitted"), ENTERED - timedelta(days=30))
    Notification.objects.all().delete()
    assert send_reminders.delay().get() == 2
