"""Overdue mailbox provisioning joins the daily reminders: a request approved and not yet
created reminds the mail administrators (all of them while nobody has claimed it, the one who
claimed it after), and escalates to all of them. The wait counts from the approval."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from approvals.models import MailboxProvisioning
from approvals.provisioning import mailbox_claim, mailbox_provision
from notifications.models import Kind, Notification, Reminder
from notifications.reminders import reminders_send
from tests.helpers import drive, make_user, new_document
from workflow.models import Document, Role

pytestmark = pytest.mark.django_db

DAR = ZoneInfo("Africa/Dar_es_Salaam")
APPROVED = datetime(2026, 3, 2, 9, 0, tzinfo=DAR)


def at(day: int, hour: int = 10) -> datetime:
    return datetime.combine(APPROVED.date() + timedelta(days=day), time(hour), tzinfo=DAR)


@pytest.fixture
def approved(world):
    world.mail_admin = make_user("mail_admin", world.ega, Role.MAIL_ADMIN)
    world.mail_admin2 = make_user("mail_admin2", world.ega, Role.MAIL_ADMIN)
    document = drive(world, new_document(world, "email_account_request"), "approved")
    MailboxProvisioning.objects.filter(document=document).update(created_at=APPROVED)
    # Everything else is long done: only the mailbox waits on anyone.
    Document.objects.filter(pk=document.pk).update(status_changed_at=APPROVED)
    Notification.objects.all().delete()
    return document


def told() -> list[tuple[str, str, str]]:
    notes = Notification.objects.select_related("recipient").order_by("recipient__username")
    return [(n.recipient.username, n.kind, n.payload.get("step", "")) for n in notes]


def test_an_unclaimed_mailbox_reminds_every_mail_administrator_once_a_day(
    world, approved, settings, django_capture_on_commit_callbacks
):
    settings.REMINDER_DAYS_MAILBOX, settings.ESCALATION_DAYS_MAILBOX = 2, 5
    assert reminders_send(now=at(1)) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_send(now=at(2)) == 2
        assert reminders_send(now=at(2, 20)) == 0  # the same day
    assert told() == [
        ("mail_admin", Kind.REMINDER, "mailbox"),
        ("mail_admin2", Kind.REMINDER, "mailbox"),
    ]
    address = approved.data["requested_address"]
    assert {m.to[0] for m in mail.outbox} == {
        "mail_admin@example.go.tz",
        "mail_admin2@example.go.tz",
    }
    assert all(address in m.subject for m in mail.outbox)
    assert Reminder.objects.filter(step="mailbox").count() == 2


def test_a_claimed_one_reminds_its_assignee_and_escalates_to_all(world, approved, settings):
    settings.REMINDER_DAYS_MAILBOX, settings.ESCALATION_DAYS_MAILBOX = 2, 5
    mailbox_claim(document_id=approved.pk, by=world.mail_admin)
    assert reminders_send(now=at(3)) == 1
    assert told() == [("mail_admin", Kind.REMINDER, "mailbox")]
    Notification.objects.all().delete()
    assert reminders_send(now=at(5)) == 2
    assert told() == [
        ("mail_admin", Kind.REMINDER, "mailbox"),
        ("mail_admin2", Kind.ESCALATION, "mailbox"),
    ]


def test_a_created_mailbox_reminds_nobody(world, approved):
    mailbox_claim(document_id=approved.pk, by=world.mail_admin)
    mailbox_provision(document_id=approved.pk, by=world.mail_admin, address="a.b@afya.go.tz")
    Notification.objects.all().delete()
    assert reminders_send(now=at(30)) == 0
    assert not Reminder.objects.exists()
