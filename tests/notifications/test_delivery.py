"""Delivery through a real SMTP server: once per row, refusals recorded, outages survived."""

from __future__ import annotations

import socket
import time
from collections import Counter
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from approvals import services as approvals
from notifications.delivery import SMTP_UNREACHABLE_KEY, backoff_seconds, outbox_deliver
from notifications.models import Kind, Outbox, OutboxStatus
from notifications.outbox import outbox_resend_failed, outbox_sweep
from notifications.tasks import deliver_email
from tests.helpers import PASSWORD, act, drive, make_user, new_document, ok
from tests.notifications.smtp_sink import SmtpSink, free_port

pytestmark = pytest.mark.django_db

# The concept note's second signatory (issue 15's chain), told when the officer has signed.
SECOND = "system_owner@example.go.tz"


def first_signature(world):
    """The officer signs: one e-mail (to the system owner) is written, not yet delivered."""
    document = drive(world, new_document(world), "awaiting_signatures")
    approvals.document_sign(document_id=document.pk, by=world.officer, password=PASSWORD)
    return Outbox.objects.get(to_email=SECOND)


def later(seconds: float):
    return timezone.now() + timedelta(seconds=seconds)


def test_a_row_is_delivered_after_commit_and_a_second_delivery_sends_nothing(
    world, committed, sink
):
    with committed():
        row = first_signature(world)
    row.refresh_from_db()
    assert row.status == OutboxStatus.SENT and row.attempts == 1 and row.sent_at
    assert deliver_email.delay(row.pk).get() == "skipped"
    assert outbox_deliver(outbox_id=row.pk).outcome == "skipped"
    assert outbox_sweep(now=later(3600)) == 0
    (received,) = sink.messages()
    assert received.to == (SECOND,)
    assert received.message_id == row.message_id
    row.refresh_from_db()
    assert row.attempts == 1


def test_an_address_the_smtp_server_refuses_is_failed_with_the_reason_and_shown_in_admin(
    world, committed, sink, admin_client
):
    sink.refuse.add(SECOND)
    with committed():
        row = first_signature(world)
    row.refresh_from_db()
    assert row.status == OutboxStatus.FAILED
    assert "550 5.1.1" in row.last_error and "User unknown" in row.last_error
    assert row.failed_at is not None
    # Not retried: not by the sweep, however late, nor by a stray second delivery.
    assert outbox_sweep(now=later(7 * 86400)) == 0
    assert outbox_deliver(outbox_id=row.pk).outcome == "skipped"
    assert sink.messages() == []
    row.refresh_from_db()
    assert row.attempts == 1

    listing = admin_client.get("/admin/notifications/outbox/?status__exact=failed")
    assert listing.status_code == 200
    page = listing.content.decode()
    assert SECOND in page and "550 5.1.1" in page
    detail = admin_client.get(f"/admin/notifications/outbox/{row.pk}/change/").content.decode()
    assert "User unknown" in detail and 'name="_save"' not in detail
    assert admin_client.get("/admin/notifications/outbox/add/").status_code == 403


def test_an_administrator_sends_a_failed_email_again_to_the_corrected_address(
    world, committed, sink, admin_client
):
    sink.refuse.add(SECOND)
    with committed():
        row = first_signature(world)
    document = drive(world, new_document(world), "awaiting_signatures")
    approvals.document_sign(document_id=document.pk, by=world.officer, password=PASSWORD)
    sent = Outbox.objects.exclude(pk=row.pk).get()  # a second e-mail: pending, not failed
    world.system_owner.email = "system.owner@example.go.tz"
    world.system_owner.save(update_fields=["email"])

    with committed():
        response = admin_client.post(
            "/admin/notifications/outbox/",
            {"action": "resend_failed", "_selected_action": [row.pk, sent.pk]},
            follow=True,
        )
    assert "Barua pepe 1 kati ya 2 zimepangwa kutumwa tena" in response.content.decode()
    row.refresh_from_db()
    assert (row.status, row.to_email, row.last_error, row.failed_at) == (
        OutboxStatus.SENT,
        "system.owner@example.go.tz",
        "",
        None,
    )
    assert row.attempts == 2
    assert [(m.to, m.message_id) for m in sink.messages()] == [
        (("system.owner@example.go.tz",), row.message_id)
    ]
    assert Outbox.objects.get(pk=sent.pk).status == OutboxStatus.PENDING  # untouched


def test_sending_again_skips_a_person_whose_account_is_gone_and_sends_the_others(
    world, committed, sink
):
    sink.refuse.update({SECOND, "reviewer@example.go.tz", "reviewer2@example.go.tz"})
    with committed():
        row = first_signature(world)
    document = drive(world, new_document(world), "signed")
    with committed():
        ok(act(world, world.officer, document.pk, "submit"))
    gone, kept = Outbox.objects.filter(kind=Kind.SUBMITTED).order_by("to_email")
    row.refresh_from_db()
    assert {gone.status, kept.status, row.status} == {OutboxStatus.FAILED}
    gone.recipient.delete()  # the row stays, its recipient now empty
    sink.refuse.clear()

    with committed():
        queued = outbox_resend_failed(outbox_ids=[row.pk, gone.pk, kept.pk])
    assert queued == 2
    gone.refresh_from_db()
    assert (gone.recipient, gone.status) == (None, OutboxStatus.FAILED)
    assert sorted(m.message_id for m in sink.messages()) == sorted(
        [row.message_id, kept.message_id]
    )


def test_only_an_administrator_who_may_change_the_outbox_can_send_again(world, committed, sink):
    sink.refuse.add(SECOND)
    with committed():
        row = first_signature(world)
    viewer = make_user("mtazamaji", None, None, is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_outbox"))
    client = Client()
    client.force_login(viewer)
    listing = client.get("/admin/notifications/outbox/")
    assert listing.status_code == 200 and "resend_failed" not in listing.content.decode()
    client.post(
        "/admin/notifications/outbox/",
        {"action": "resend_failed", "_selected_action": [row.pk]},
    )
    row.refresh_from_db()
    assert row.status == OutboxStatus.FAILED


def test_an_address_that_cannot_be_written_in_a_message_fails_for_good(world, committed, sink):
    world.system_owner.email = "owner@wizara ya afya"
    world.system_owner.save(update_fields=["email"])
    with committed():
        document = drive(world, new_document(world), "awaiting_signatures")
        approvals.document_sign(document_id=document.pk, by=world.officer, password=PASSWORD)
    row = Outbox.objects.get()
    assert row.status == OutboxStatus.FAILED
    assert row.last_error.startswith("ValueError")
    assert sink.messages() == []


def test_a_deferral_is_retried_with_backoff_and_then_sent_once(world, committed, sink):
    sink.defer.add(SECOND)
    with committed():
        row = first_signature(world)
    row.refresh_from_db()
    assert row.status == OutboxStatus.PENDING and row.attempts == 1
    assert row.last_error.startswith(f"{SECOND}: 451")
    assert timedelta(seconds=25) < row.due_at - timezone.now() <= timedelta(seconds=30)
    assert outbox_sweep() == 0  # not due yet
    sink.defer.clear()
    assert outbox_sweep(now=row.due_at) == 1
    row.refresh_from_db()
    assert row.status == OutboxStatus.SENT and row.attempts == 2 and row.last_error == ""
    assert len(sink.messages()) == 1


def test_the_backoff_doubles_up_to_an_hour_and_never_gives_up():
    assert [backoff_seconds(n) for n in range(1, 9)] == [30, 60, 120, 240, 480, 960, 1920, 3600]
    assert backoff_seconds(50) == 3600


def test_an_smtp_server_that_is_down_delays_mail_and_loses_none(world, committed, settings):
    port = free_port()  # nothing listens here yet
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", port, False
    with committed():
        row = first_signature(world)
    row.refresh_from_db()
    assert row.status == OutboxStatus.PENDING
    assert "ConnectionRefusedError" in row.last_error
    server = SmtpSink(port).start()
    try:
        assert outbox_sweep(now=later(31)) == 1
        (received,) = server.messages()
    finally:
        server.stop()
    assert received.message_id == row.message_id
    row.refresh_from_db()
    assert row.status == OutboxStatus.SENT and row.attempts == 2


def test_a_row_whose_worker_died_mid_send_is_sent_again_after_its_lease(world, sink):
    row = first_signature(world)  # the test's transaction never commits: nothing was enqueued
    lease = timedelta(seconds=django_settings.OUTBOX_LEASE_SECONDS)
    # A worker claimed it and was killed before it could mark the row: it stays "sending".
    Outbox.objects.filter(pk=row.pk).update(
        status=OutboxStatus.SENDING, due_at=timezone.now() + lease, attempts=1
    )
    assert outbox_deliver(outbox_id=row.pk).outcome == "skipped"  # the claim still holds
    assert outbox_sweep() == 0
    assert sink.messages() == []
    # The lease runs out (as it does ``lease`` after the claim).
    Outbox.objects.filter(pk=row.pk).update(due_at=timezone.now() - timedelta(seconds=1))
    assert outbox_sweep() == 1
    (received,) = sink.messages()
    assert received.message_id == row.message_id  # a repeat, if any, is recognisably the same
    row.refresh_from_db()
    assert row.status == OutboxStatus.SENT and row.attempts == 2


def test_the_sweep_picks_up_a_row_whose_enqueue_was_lost_once_it_is_due(world, sink):
    row = first_signature(world)  # written, never enqueued (as if the broker were down)
    assert outbox_sweep() == 0
    assert outbox_sweep(now=later(django_settings.OUTBOX_SWEEP_SECONDS + 1)) == 1
    assert outbox_sweep(now=later(django_settings.OUTBOX_SWEEP_SECONDS + 2)) == 0
    assert [m.message_id for m in sink.messages()] == [row.message_id]


def test_with_the_broker_down_a_transition_succeeds_at_once_and_its_mail_waits(
    world, committed, sink, broker
):
    document = drive(world, new_document(world), "awaiting_signatures")
    broker(f"redis://127.0.0.1:{free_port()}/0")  # nothing listens there
    with committed():
        started = time.monotonic()
        ok(act(world, world.officer, document.pk, "sign", {"password": PASSWORD}))
        elapsed = time.monotonic() - started
    assert elapsed < 2.0, elapsed  # the request does not wait for the broker
    row = Outbox.objects.get()
    assert row.status == OutboxStatus.PENDING and row.attempts == 0
    assert sink.messages() == []

    broker(None)  # the broker is back (here: tasks in-process); the sweep finds the row
    assert outbox_sweep(now=later(django_settings.OUTBOX_SWEEP_SECONDS + 1)) == 1
    assert [m.message_id for m in sink.messages()] == [row.message_id]


@pytest.fixture
def silent_smtp_server(settings):
    """A server that takes the connection and never says a word (a firewall that swallows
    packets looks the same to the client): every attempt waits EMAIL_TIMEOUT."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)  # connections complete in the backlog; nothing is ever sent
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", listener.getsockname()[1]
        settings.EMAIL_USE_TLS = False
        settings.EMAIL_TIMEOUT = 1
        yield listener


def connections_made(listener: socket.socket) -> int:
    """How many connections reached the silent server since last asked."""
    listener.setblocking(False)
    count = 0
    while True:
        try:
            accepted, _address = listener.accept()
        except BlockingIOError:
            return count
        accepted.close()
        count += 1


def test_without_a_broker_a_silent_smtp_server_costs_one_timeout_then_nothing_and_loses_none(
    world, committed, silent_smtp_server, settings
):
    document = drive(world, new_document(world), "signed")  # its own mail never enqueued
    started = time.monotonic()
    with committed():  # two reviewers are told: two e-mails, one attempt, one timeout
        ok(act(world, world.officer, document.pk, "submit"))
    assert time.monotonic() - started >= 1.0  # it did wait for the server, once
    assert connections_made(silent_smtp_server) == 1
    with committed():  # within the pause nobody tries the server
        ok(act(world, world.reviewer, document.pk, "claim"))
        ok(act(world, world.reviewer, document.pk, "reject", {"reason": "Haiendani"}))
    assert connections_made(silent_smtp_server) == 0
    kinds = [Kind.SUBMITTED, Kind.REJECTED]
    rows = list(Outbox.objects.filter(kind__in=kinds).order_by("pk"))
    assert [row.status for row in rows] == [OutboxStatus.PENDING] * 3
    assert [row.attempts for row in rows] == [1, 0, 0]
    assert "timed out" in rows[0].last_error

    server = SmtpSink().start()  # the mail server is back; the sweep always tries
    settings.EMAIL_PORT = server.port
    try:
        outbox_sweep(now=later(3600))
        received = server.messages()
    finally:
        server.stop()
    assert set(Outbox.objects.values_list("status", flat=True)) == {OutboxStatus.SENT}
    counts = Counter(m.message_id for m in received)
    assert set(counts.values()) == {1}
    assert {row.message_id for row in rows} <= set(counts)


def test_without_a_broker_one_refused_address_does_not_hold_back_the_others(world, committed, sink):
    sink.defer.add("reviewer@example.go.tz")  # 451 for this one address
    document = drive(world, new_document(world), "signed")
    with committed():
        ok(act(world, world.officer, document.pk, "submit"))
    statuses = dict(Outbox.objects.filter(kind=Kind.SUBMITTED).values_list("to_email", "status"))
    assert statuses == {
        "reviewer@example.go.tz": OutboxStatus.PENDING,
        "reviewer2@example.go.tz": OutboxStatus.SENT,
    }
    assert cache.get(SMTP_UNREACHABLE_KEY) is None
