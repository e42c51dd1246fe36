"""An e-mail is composed when it is delivered, not by the transition that writes it: no template
rendered under the row lock; once sent, the row keeps exactly what was sent; each language
rendered once for a transition's rows; a template that fails holds up the e-mail (retried with
backoff) and never the decision it tells about."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.test.signals import template_rendered
from django.utils import timezone
from django.utils.html import escape

from approvals import services as approvals
from notifications.delivery import RETRY_BASE_SECONDS, Composer, outbox_deliver
from notifications.models import Kind, Notification, Outbox, OutboxStatus, Preference
from notifications.outbox import outbox_resend_failed
from tests.helpers import PASSWORD, act, drive, new_document, ok
from workflow.choices import SignatureStatus

pytestmark = pytest.mark.django_db

EMAIL_TEMPLATES = ("notifications/email/message.txt", "notifications/email/message.html")
SECOND = "system_owner@example.go.tz"  # the concept note's second signatory


@contextmanager
def rendered():
    """The names of the templates rendered inside the block."""
    names: list[str] = []

    def record(sender, template, context, **kwargs):
        names.append(template.name)

    template_rendered.connect(record)
    try:
        yield names
    finally:
        template_rendered.disconnect(record)


def emails(names: list[str]) -> list[str]:
    return [name for name in names if name in EMAIL_TEMPLATES]


def html_of(message) -> str:
    return dict((mime, body) for body, mime in message.alternatives)["text/html"]


def test_a_transition_writes_its_emails_without_rendering_any(world):
    document = drive(world, new_document(world), "signed")
    with rendered() as names:
        ok(act(world, world.officer, document.pk, "submit"))  # not committed: not delivered
    rows = list(Outbox.objects.filter(kind=Kind.SUBMITTED))
    assert {row.to_email for row in rows} == {world.reviewer.email, world.reviewer2.email}
    for row in rows:
        assert (row.subject, row.body_text, row.body_html) == ("", "", "")
        assert row.status == OutboxStatus.PENDING and row.notification_id is not None
    assert emails(names) == []
    assert mail.outbox == []


def test_the_delivery_composes_each_language_once_and_keeps_what_it_sent(world, committed):
    Preference.objects.create(user=world.reviewer2, language="en")
    document = drive(world, new_document(world), "signed")
    with rendered() as names, committed():
        ok(act(world, world.officer, document.pk, "submit"))
    # Two reviewers, two languages: each language's text and HTML once.
    assert sorted(emails(names)) == sorted(EMAIL_TEMPLATES * 2)
    sent = {message.to[0]: message for message in mail.outbox}
    rows = Outbox.objects.filter(kind=Kind.SUBMITTED)
    assert {row.to_email for row in rows} == set(sent) and len(sent) == 2
    for row in rows:
        message = sent[row.to_email]
        assert row.status == OutboxStatus.SENT
        assert row.subject == message.subject and row.subject.startswith("[Idhini] ")
        assert row.body_text == message.body
        assert row.body_html == html_of(message)
        assert message.extra_headers["Content-Language"] == row.language
    english = rows.get(to_email=world.reviewer2.email)
    swahili = rows.get(to_email=world.reviewer.email)
    assert english.language == "en" and "New in the review queue" in english.subject
    assert swahili.language == "sw" and swahili.subject != english.subject


def test_rows_sharing_a_language_render_it_once(world, committed):
    document = drive(world, new_document(world), "signed")
    with rendered() as names, committed():
        ok(act(world, world.officer, document.pk, "submit"))
    assert len(mail.outbox) == 2  # both reviewers, in Swahili
    assert sorted(emails(names)) == sorted(EMAIL_TEMPLATES)
    assert len({message.body for message in mail.outbox}) == 1


@pytest.fixture
def broken_email_template(settings, tmp_path):
    """The e-mail's text template replaced by one that cannot be parsed (a bad deploy)."""
    folder = tmp_path / "notifications" / "email"
    folder.mkdir(parents=True)
    (folder / "message.txt").write_text("{% if %}broken{% endif %}", encoding="utf-8")
    working = settings.TEMPLATES
    engine = working[0]
    settings.TEMPLATES = [{**engine, "DIRS": [tmp_path, *engine.get("DIRS", [])]}, *working[1:]]

    def repair() -> None:
        settings.TEMPLATES = working

    return repair


def test_a_template_that_fails_holds_up_the_email_and_not_the_decision(
    world, committed, broken_email_template
):
    document = drive(world, new_document(world), "awaiting_signatures")
    started = timezone.now()
    with committed():
        approvals.document_sign(document_id=document.pk, by=world.officer, password=PASSWORD)
    # The signature stands, with its audit event and its notification.
    signature = document.signatures.get(signer=world.officer, status=SignatureStatus.SIGNED)
    assert signature.signed_at is not None
    row = Outbox.objects.get(to_email=SECOND)
    assert Notification.objects.filter(pk=row.notification_id).exists()
    # The e-mail waits, uncomposed, for its retry.
    assert mail.outbox == []
    assert row.status == OutboxStatus.PENDING and row.attempts == 1
    assert (row.subject, row.body_text) == ("", "")
    assert row.last_error.startswith("Not composed: TemplateSyntaxError")
    assert row.due_at >= started + timedelta(seconds=RETRY_BASE_SECONDS)

    broken_email_template()  # the template fixed
    delivery = outbox_deliver(outbox_id=row.pk, now=row.due_at)
    assert delivery.outcome == "sent"
    row.refresh_from_db()
    (message,) = mail.outbox
    assert row.status == OutboxStatus.SENT and row.attempts == 2 and row.last_error == ""
    assert row.subject == message.subject and row.body_text == message.body


def test_an_email_whose_notification_is_gone_is_failed_with_the_reason(world):
    document = drive(world, new_document(world), "awaiting_signatures")
    approvals.document_sign(document_id=document.pk, by=world.officer, password=PASSWORD)
    row = Outbox.objects.get(to_email=SECOND)
    Notification.objects.filter(pk=row.notification_id).delete()  # the outbox keeps its row
    assert outbox_deliver(outbox_id=row.pk).outcome == "failed"
    row.refresh_from_db()
    assert row.status == OutboxStatus.FAILED and row.failed_at is not None
    assert "notification no longer exists" in row.last_error
    assert mail.outbox == []
    assert outbox_deliver(outbox_id=row.pk).outcome == "skipped"  # not tried again


def test_a_deferred_email_keeps_its_text_and_is_sent_again_without_rendering(world, sink):
    sink.defer.add(SECOND)  # 451: try again later
    document = drive(world, new_document(world), "awaiting_signatures")
    approvals.document_sign(document_id=document.pk, by=world.officer, password=PASSWORD)
    row = Outbox.objects.get(to_email=SECOND)
    assert outbox_deliver(outbox_id=row.pk).outcome == "retry"
    row.refresh_from_db()
    assert row.status == OutboxStatus.PENDING and row.subject.startswith("[Idhini] ")
    kept = (row.subject, row.body_text, row.body_html)
    assert "451" in row.last_error

    sink.defer.clear()
    with rendered() as names:
        assert outbox_deliver(outbox_id=row.pk, now=row.due_at).outcome == "sent"
    assert emails(names) == []  # the kept text, not a new rendering
    row.refresh_from_db()
    assert (row.subject, row.body_text, row.body_html) == kept
    (received,) = sink.messages()
    assert str(received.message["Subject"]).strip() == kept[0]  # (a folded header)


def test_a_row_written_with_its_text_is_sent_as_it_stands(world):
    """A row written before the e-mails were composed at delivery (migration 0004)."""
    document = drive(world, new_document(world), "awaiting_signatures")
    approvals.document_sign(document_id=document.pk, by=world.officer, password=PASSWORD)
    row = Outbox.objects.get(to_email=SECOND)
    Outbox.objects.filter(pk=row.pk).update(
        subject="[Idhini] Maandishi ya zamani",
        body_text="Kama yalivyoandikwa",
        body_html="<p>x</p>",
    )
    with rendered() as names:
        assert outbox_deliver(outbox_id=row.pk).outcome == "sent"
    assert emails(names) == []
    (message,) = mail.outbox
    assert message.subject == "[Idhini] Maandishi ya zamani"
    assert message.body == "Kama yalivyoandikwa" and html_of(message) == "<p>x</p>"


def test_a_failed_rendering_is_not_tried_again_in_the_same_run(
    world, broken_email_template, caplog
):
    document = drive(world, new_document(world), "signed")
    ok(act(world, world.officer, document.pk, "submit"))  # two reviewers, one language
    rows = list(Outbox.objects.filter(kind=Kind.SUBMITTED))
    composer = Composer()
    with caplog.at_level("ERROR", logger="notifications.delivery"):
        outcomes = [outbox_deliver(outbox_id=r.pk, composer=composer).outcome for r in rows]
    assert outcomes == ["retry", "retry"]
    tried = [r for r in caplog.records if r.getMessage().startswith("Could not compose")]
    assert len(tried) == 1 and tried[0].exc_info is not None  # one traceback for the run
    for row in rows:
        row.refresh_from_db()
        assert row.last_error.startswith("Not composed: TemplateSyntaxError")


def test_an_uncomposed_email_whose_notification_is_gone_is_not_resent(world):
    document = drive(world, new_document(world), "awaiting_signatures")
    approvals.document_sign(document_id=document.pk, by=world.officer, password=PASSWORD)
    row = Outbox.objects.get(to_email=SECOND)
    Notification.objects.filter(pk=row.notification_id).delete()
    assert outbox_deliver(outbox_id=row.pk).outcome == "failed"
    assert outbox_resend_failed(outbox_ids=[row.pk]) == 0
    row.refresh_from_db()
    assert row.status == OutboxStatus.FAILED


@pytest.mark.parametrize("language", ["en", "sw"])
def test_the_admin_shows_a_pending_emails_text_as_written_when_it_is_sent(
    world, admin_client, language
):
    placeholder = {"en": "(written when it is sent)", "sw": "(huandikwa inapotumwa)"}[language]
    document = drive(world, new_document(world), "awaiting_signatures")
    approvals.document_sign(document_id=document.pk, by=world.officer, password=PASSWORD)
    row = Outbox.objects.get(to_email=SECOND)
    admin_client.cookies[settings.LANGUAGE_COOKIE_NAME] = language  # as the language switch sets
    page = f"/admin/notifications/outbox/{row.pk}/change/"
    pending = admin_client.get(page).content.decode()
    assert pending.count(placeholder) == 2  # the subject and the body

    assert outbox_deliver(outbox_id=row.pk).outcome == "sent"
    row.refresh_from_db()
    sent = admin_client.get(page).content.decode()
    assert placeholder not in sent
    assert escape(row.subject) in sent


@pytest.mark.parametrize("language", ["en", "sw"])
def test_the_admin_shows_an_email_failed_unwritten_as_never_written(world, admin_client, language):
    # Its notification gone, it will never be sent: not "written when it is sent".
    never = {
        "en": "(not written: see the last error)",
        "sw": "(haikuandikwa: tazama hitilafu ya mwisho)",
    }
    pending = {"en": "(written when it is sent)", "sw": "(huandikwa inapotumwa)"}
    document = drive(world, new_document(world), "awaiting_signatures")
    approvals.document_sign(document_id=document.pk, by=world.officer, password=PASSWORD)
    row = Outbox.objects.get(to_email=SECOND)
    Notification.objects.filter(pk=row.notification_id).delete()
    assert outbox_deliver(outbox_id=row.pk).outcome == "failed"
    row.refresh_from_db()
    admin_client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = admin_client.get(f"/admin/notifications/outbox/{row.pk}/change/").content.decode()
    assert page.count(never[language]) == 2  # the subject and the body
    assert pending[language] not in page
    assert escape(row.last_error[:40]) in page  # the reason, where the placeholder points
