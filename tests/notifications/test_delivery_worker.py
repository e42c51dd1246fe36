"""With a real Celery worker (prefork, late acknowledgement, beat) and a real Redis, not eager
mode: each e-mail arrives exactly once, to the right person, in their language, through a Redis
outage and through a worker killed mid-batch.

Runs where another process can share the test database (PostgreSQL, as in CI) and redis-server
is installed; each module run starts its own redis-server on a free port and stops it.
"""

from __future__ import annotations

import random
import time
from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from approvals import services as approvals
from notifications.models import Kind, Outbox, OutboxStatus, Preference
from tests.helpers import PASSWORD, act, drive, fill_checklist, new_document, ok
from tests.notifications.live_stack import (
    LEASE_SECONDS,
    SWEEP_SECONDS,
    LiveStack,
    serve,
    wait_until,
)
from tests.notifications.smtp_sink import Hold
from workflow.models import Membership, Role

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]

SETTLE = LEASE_SECONDS + 2  # long enough for a duplicate to show up, were there one


@pytest.fixture(scope="module")
def stack(django_db_setup, django_db_blocker, tmp_path_factory):
    yield from serve(LiveStack(tmp_path_factory.mktemp("live-stack")), django_db_blocker)


@pytest.fixture
def live(stack, broker, settings):
    """This test process publishes to the stack's Redis, with the worker's outbox timings (as
    web and worker share their settings in production); the sink starts empty."""
    broker(stack.broker_url)
    settings.OUTBOX_SWEEP_SECONDS = SWEEP_SECONDS
    settings.OUTBOX_LEASE_SECONDS = LEASE_SECONDS
    stack.sink.clear()
    yield stack
    if stack.worker is None:
        stack.start_worker()


def received(stack, kinds=None) -> list[tuple[str, str, str]]:
    """(username, kind, language) of every e-mail the SMTP server accepted."""
    return [
        (m.to[0].split("@")[0], m.kind, m.language)
        for m in stack.sink.messages()
        if kinds is None or m.kind in kinds
    ]


def assert_each_row_arrived_exactly_once(stack) -> None:
    rows = dict(Outbox.objects.values_list("message_id", "status"))
    ids = Counter(m.message_id for m in stack.sink.messages())
    assert set(ids) == set(rows)
    assert [mid for mid, count in ids.items() if count > 1] == []
    assert set(rows.values()) == {OutboxStatus.SENT}


def test_a_full_lifecycle_mails_the_right_people_once_each_in_their_language(world, live):
    Preference.objects.create(user=world.ict_head, language="en")
    Preference.objects.create(user=world.reviewer2, language="en")
    document = new_document(world)
    pk = document.pk
    signers = (world.officer, world.system_owner, world.ict_head, world.accounting_officer)

    ok(act(world, world.officer, pk, "request-signatures"))
    for signer in signers:
        ok(act(world, signer, pk, "sign", {"password": PASSWORD}))
    ok(act(world, world.officer, pk, "submit"))
    ok(act(world, world.reviewer, pk, "claim"))
    ok(act(world, world.reviewer, pk, "request-changes", {"comment": "Ongeza bajeti"}))
    ok(
        world.client(world.officer).patch(
            f"/api/v1/documents/{pk}/", {"title": "Toleo 2"}, format="json"
        )
    )
    ok(act(world, world.officer, pk, "request-signatures"))
    for signer in signers:
        ok(act(world, signer, pk, "sign", {"password": PASSWORD}))
    ok(act(world, world.officer, pk, "submit"))
    # The resubmission is reserved for the reviewer who returned it: only they are told.
    ok(act(world, world.reviewer, pk, "claim"))
    fill_checklist(pk, by=world.reviewer)
    ok(act(world, world.reviewer, pk, "approve", {"comment": "Safi"}))

    round_of_signatures = [
        ("system_owner", Kind.SIGNATURE_REQUESTED, "sw"),
        ("ict_head", Kind.SIGNATURE_REQUESTED, "en"),
        ("accounting_officer", Kind.SIGNATURE_REQUESTED, "sw"),
        ("officer", Kind.FULLY_SIGNED, "sw"),
    ]
    expected = [
        *round_of_signatures,
        ("reviewer", Kind.SUBMITTED, "sw"),
        ("reviewer2", Kind.SUBMITTED, "en"),
        ("officer", Kind.CHANGES_REQUESTED, "sw"),
        *round_of_signatures,
        ("reviewer", Kind.RESUBMITTED, "sw"),  # only the reviewer it is reserved for
        ("officer", Kind.APPROVED, "sw"),
    ]
    live.sink.wait_for(len(expected), timeout=30)
    time.sleep(SETTLE)
    assert sorted(received(live)) == sorted(expected)
    assert_each_row_arrived_exactly_once(live)
    english = [m for m in live.sink.messages() if m.language == "en"]
    assert all(
        "Project Concept Note" in m.message.get_body(("plain",)).get_content() for m in english
    )


def test_with_redis_stopped_midway_transitions_succeed_and_every_email_arrives_once_after(
    world, live
):
    document = drive(world, new_document(world), "awaiting_signatures")
    pk = document.pk
    ok(act(world, world.officer, pk, "sign", {"password": PASSWORD}))
    live.sink.wait_for(1)
    assert received(live) == [("system_owner", Kind.SIGNATURE_REQUESTED, "sw")]

    live.stop_redis()
    for user, action, body in [
        (world.system_owner, "sign", {"password": PASSWORD}),
        (world.ict_head, "sign", {"password": PASSWORD}),
        (world.accounting_officer, "sign", {"password": PASSWORD}),
        (world.officer, "submit", {}),
        (world.reviewer, "claim", {}),
        (world.reviewer, "reject", {"reason": "Haiendani na mkakati"}),
    ]:
        started = time.monotonic()
        ok(act(world, user, pk, action, body))
        assert time.monotonic() - started < 2.0, action  # no waiting for the broker
    assert Outbox.objects.filter(status=OutboxStatus.PENDING).count() == 6
    time.sleep(1)
    assert len(live.sink.messages()) == 1  # nothing could be delivered meanwhile

    live.start_redis()  # empty: whatever was queued before the outage is gone too
    # The worker may have died of the outage (kombu; see restart_worker_if_it_failed): in
    # production systemd starts it again, and it must then send everything exactly once.
    live.restart_worker_if_it_failed()
    expected = [
        ("system_owner", Kind.SIGNATURE_REQUESTED, "sw"),
        ("ict_head", Kind.SIGNATURE_REQUESTED, "sw"),
        ("accounting_officer", Kind.SIGNATURE_REQUESTED, "sw"),
        ("officer", Kind.FULLY_SIGNED, "sw"),
        ("reviewer", Kind.SUBMITTED, "sw"),
        ("reviewer2", Kind.SUBMITTED, "sw"),
        ("officer", Kind.REJECTED, "sw"),
    ]
    live.sink.wait_for(len(expected), timeout=60)
    time.sleep(SETTLE)
    assert sorted(received(live)) == sorted(expected)
    assert_each_row_arrived_exactly_once(live)


def test_a_worker_killed_during_a_batch_of_200_loses_nothing_and_doubles_nothing_it_knew_it_sent(
    world, live
):
    """Late acknowledgement: the task the worker was running when it died is delivered again,
    and every row the worker had claimed is taken over when its lease expires, so nothing is
    lost. Idempotent rows: a redelivered task whose row is sent sends nothing, so nothing the
    worker had recorded as sent goes out twice.

    What remains is SMTP's own duplicate window (RFC 1047): a message the server took in the
    instant the worker died, before the worker had read the "250" and recorded it. The sink
    names those (``unconfirmed_ids``: taken, then the connection dropped without another
    command); only they may arrive twice, under the same Message-ID. See the two tests below
    for each side of that instant."""
    User = get_user_model()
    password = make_password(None)
    extra = User.objects.bulk_create(
        User(username=f"mpitiaji{n:03d}", email=f"mpitiaji{n:03d}@ega.go.tz", password=password)
        for n in range(198)
    )
    Membership.objects.bulk_create(
        Membership(user=user, institution=world.ega, role=Role.REVIEWER) for user in extra
    )
    document = drive(world, new_document(world), "signed")
    live.sink.wait_for(3)  # the signatures' e-mails
    live.sink.delay = 0.02  # an SMTP server that takes 20 ms to take each message

    approvals.document_submit(document_id=document.pk, by=world.officer)  # 200 reviewers told
    batch = set(Outbox.objects.filter(kind=Kind.SUBMITTED).values_list("message_id", flat=True))
    assert len(batch) == 200

    def delivered() -> int:
        return sum(1 for m in live.sink.messages() if m.kind == Kind.SUBMITTED)

    wait_until(lambda: delivered() >= 40, 60, "part of the batch")
    pause = random.uniform(0, 0.05)  # anywhere in a message's life, not just after one
    print(f"killed {pause:.4f} s after the 40th message")  # shown if the test fails
    time.sleep(pause)
    live.kill_worker()
    at_kill = delivered()
    in_flight = set(
        Outbox.objects.filter(kind=Kind.SUBMITTED, status=OutboxStatus.SENDING).values_list(
            "message_id", flat=True
        )
    )
    assert at_kill < 200, "the batch finished before the kill: nothing was tested"
    assert len(in_flight) <= 2  # two pool processes, one message each (prefetch 1, late ack)

    live.start_worker()
    wait_until(
        lambda: not Outbox.objects.exclude(status=OutboxStatus.SENT).exists(),
        90,
        "every row to be sent",
    )
    time.sleep(SETTLE)
    counts = Counter(m.message_id for m in live.sink.messages() if m.kind == Kind.SUBMITTED)
    assert set(counts) == batch  # nothing lost
    doubled = {message_id for message_id, count in counts.items() if count > 1}
    # Read last: a message the server was taking as the worker died is in it only now. The
    # new worker's connections all ended with QUIT.
    unconfirmed = live.sink.unconfirmed_ids()
    assert len(unconfirmed) <= 2  # one connection per pool process
    assert doubled <= unconfirmed & in_flight  # nothing the worker knew it had sent
    assert all(counts[message_id] == 2 for message_id in doubled)


def _one_signature_request(world, live):
    """Sends one e-mail (to the system owner) that the sink holds; returns its outbox row."""
    document = drive(world, new_document(world), "awaiting_signatures")
    ok(act(world, world.officer, document.pk, "sign", {"password": PASSWORD}))
    row = Outbox.objects.get(kind=Kind.SIGNATURE_REQUESTED, recipient=world.system_owner)
    return row


def test_a_worker_killed_before_the_server_took_the_message_sends_it_once_later(world, live):
    live.sink.hold = Hold.BEFORE_TAKING
    row = _one_signature_request(world, live)
    assert live.sink.held.wait(20), "the message never reached the server"
    live.kill_worker()
    # The server notices the dropped connection and takes nothing.
    wait_until(lambda: not live.sink.held.is_set(), 10, "the server to see the client gone")
    assert live.sink.messages() == []
    live.start_worker()
    wait_until(lambda: live.sink.messages(), 3 * LEASE_SECONDS + 10, "the message again")
    time.sleep(SETTLE)
    assert [m.message_id for m in live.sink.messages()] == [row.message_id]
    row.refresh_from_db()
    assert (row.status, row.attempts) == (OutboxStatus.SENT, 2)


def test_a_worker_killed_after_the_server_took_the_message_sends_it_again_under_its_message_id(
    world, live
):
    """SMTP's duplicate window (RFC 1047), kept as narrow as it goes: the row is marked sent
    on the "250" before anything else is said. Inside it, a crash means the message is sent
    again (at least once: a lost notice stalls a document, a repeated one does not), with
    the same Message-ID, so mail clients that de-duplicate show it once."""
    live.sink.hold = Hold.AFTER_TAKING
    row = _one_signature_request(world, live)
    assert live.sink.held.wait(20), "the message never reached the server"
    live.kill_worker()
    wait_until(lambda: not live.sink.held.is_set(), 10, "the server to see the client gone")
    assert live.sink.unconfirmed_ids() == {row.message_id}
    live.start_worker()
    wait_until(lambda: len(live.sink.messages()) >= 2, 3 * LEASE_SECONDS + 10, "the resend")
    time.sleep(SETTLE)
    assert [m.message_id for m in live.sink.messages()] == [row.message_id] * 2
    row.refresh_from_db()
    assert (row.status, row.attempts) == (OutboxStatus.SENT, 2)
