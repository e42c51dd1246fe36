"""Publishing to the broker (issue 14.2): one message per committed transaction however many
e-mails and other tasks it asks for (an approval's seal), none when it asks for none, over a
pooled connection; a savepoint rolled back takes its part of the message with it; a broker that
is down loses nothing; a batch delivered twice sends nothing twice. On our own redis-server (the
messages are read from its queue)."""

from __future__ import annotations

import base64
import json
import shutil
from contextlib import suppress
from datetime import timedelta

import pytest
import redis
from django.db import transaction
from django.utils import timezone

from approvals import services as approvals
from approvals.tasks import seal_document, seal_pending
from config.publish import publish_after_commit, start_tasks
from notifications.models import Outbox, OutboxStatus
from notifications.outbox import deliver_after_commit, outbox_sweep
from notifications.tasks import deliver_batch
from tests.helpers import PASSWORD, drive, fill_checklist, make_user, new_document
from tests.notifications.live_stack import LiveStack
from workflow.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def redis_broker(tmp_path, broker):
    """Our own redis-server as this process's broker; yields a client of it."""
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed")
    stack = LiveStack(tmp_path)
    stack.start_redis()
    broker(stack.broker_url)
    try:
        yield redis.Redis(port=stack.redis_port)
    finally:
        broker(None)
        stack.stop_redis()


def published(client: redis.Redis) -> list[tuple[str, list]]:
    """(task name, positional arguments) of every message waiting in the default queue."""
    messages = []
    for raw in reversed(client.lrange("celery", 0, -1)):  # LPUSHed: oldest last
        message = json.loads(raw)
        body = json.loads(base64.b64decode(message["body"]))
        messages.append((message["headers"]["task"], body[0]))
    return messages


def deliveries(client: redis.Redis) -> list[list[int]]:
    return [args[0] for name, args in published(client) if name.startswith("notifications.")]


def unpacked(tasks: list[dict]) -> list[tuple[str, list]]:
    """(task name, positional arguments) of each task inside a ``start_tasks`` message."""
    return [(task["task"], list(task["args"])) for task in tasks]


class Boom(Exception):
    pass


def approved_document(world):
    document = drive(world, new_document(world, "email_account_request"), "under_review")
    fill_checklist(document.pk, by=world.reviewer)
    return document


def approval_rows(document) -> list[int]:
    rows = Outbox.objects.filter(kind="approved", notification__document=document)
    return sorted(rows.values_list("pk", flat=True))


def test_a_submission_that_tells_every_reviewer_publishes_one_message(
    world, committed, redis_broker
):
    for n in range(3, 7):  # six reviewers in all: six e-mails
        make_user(f"reviewer{n}", world.ega, Role.REVIEWER)
    document = drive(world, new_document(world), "signed")
    redis_broker.delete("celery")
    with committed():
        approvals.document_submit(document_id=document.pk, by=world.officer)
    rows = list(Outbox.objects.filter(kind="submitted").values_list("pk", flat=True))
    assert len(rows) == 6
    ((name, (ids,)),) = published(redis_broker)
    assert name == "notifications.tasks.deliver_batch"
    assert sorted(ids) == sorted(rows)
    written = Outbox.objects.filter(kind="submitted").select_related("notification")
    assert all(row.notification.recipient_id == row.recipient_id for row in written)


def test_a_transition_that_tells_nobody_publishes_nothing(world, committed, redis_broker):
    document = drive(world, new_document(world), "submitted")
    redis_broker.delete("celery")
    with committed():
        approvals.document_claim(document_id=document.pk, by=world.reviewer)
    assert published(redis_broker) == []


def test_rows_told_twice_in_one_transaction_share_its_message(committed, redis_broker):
    """An acting officer's signature tells two groups (two notify calls): still one message."""
    with committed(), transaction.atomic():
        deliver_after_commit([101, 102])
        deliver_after_commit([103])
    assert deliveries(redis_broker) == [[101, 102, 103]]


def test_a_long_run_of_rows_goes_in_deliveries_of_a_hundred_in_its_one_message(
    committed, redis_broker
):
    """A day's reminders (one transaction, a savepoint per reminder) write hundreds of rows:
    still one message, but a delivery per 100 rows, so several workers share them and none
    runs past its time limit (the sweep's tasks are as long)."""
    with committed(), transaction.atomic():
        for first in range(1, 251, 10):
            with transaction.atomic():
                deliver_after_commit(list(range(first, first + 10)))
    ((name, (tasks,)),) = published(redis_broker)
    assert name == "config.publish.start_tasks"
    assert [args[0] for _task, args in unpacked(tasks)] == [
        list(range(1, 101)),
        list(range(101, 201)),
        list(range(201, 251)),
    ]


def test_publishing_reuses_the_pooled_broker_connection(world, committed, redis_broker):
    documents = [drive(world, new_document(world), "awaiting_signatures") for _ in range(5)]
    with committed():  # the first publish may open the pool's connection
        approvals.document_sign(document_id=documents[0].pk, by=world.officer, password=PASSWORD)
    before = redis_broker.info("stats")["total_connections_received"]
    for document in documents[1:]:
        with committed():
            approvals.document_sign(document_id=document.pk, by=world.officer, password=PASSWORD)
    opened = redis_broker.info("stats")["total_connections_received"] - before
    assert len(deliveries(redis_broker)) == 5
    assert opened == 0, f"{opened} broker connections opened for 4 transactions"


def test_a_batch_delivered_twice_sends_each_email_once(world, committed, sink):
    for n in range(3, 5):
        make_user(f"reviewer{n}", world.ega, Role.REVIEWER)
    document = drive(world, new_document(world), "signed")
    approvals.document_submit(document_id=document.pk, by=world.officer)  # not yet delivered
    rows = Outbox.objects.filter(kind="submitted")
    ids = list(rows.values_list("pk", flat=True))
    assert len(ids) == 4
    deliver_batch.apply(args=(ids,))
    deliver_batch.apply(args=(ids,))  # the broker delivered it again (worker lost)
    assert sorted(m.message_id for m in sink.messages()) == sorted(
        rows.values_list("message_id", flat=True)
    )
    assert set(rows.values_list("status", "attempts")) == {(OutboxStatus.SENT, 1)}


def test_an_approval_publishes_one_message_for_its_emails_and_its_seal(
    world, committed, redis_broker
):
    document = approved_document(world)
    redis_broker.delete("celery")
    with committed():
        approvals.document_approve(document_id=document.pk, by=world.reviewer, comment="Sawa")
    ((name, (tasks,)),) = published(redis_broker)
    assert name == "config.publish.start_tasks"
    (seal, (delivery, (ids,))) = sorted(unpacked(tasks))
    assert delivery == "notifications.tasks.deliver_batch"
    assert sorted(ids) == approval_rows(document) != []
    assert seal == ("approvals.tasks.seal_document", [str(document.pk), "sw"])


def test_the_worker_publishes_each_task_of_the_message_as_its_own(world, committed, redis_broker):
    document = approved_document(world)
    with committed():
        approvals.document_approve(document_id=document.pk, by=world.reviewer, comment="Sawa")
    ((_, (tasks,)),) = published(redis_broker)
    redis_broker.delete("celery")
    assert start_tasks.apply(args=(tasks,)).get() == 2  # as a worker runs it
    assert sorted(published(redis_broker)) == sorted(unpacked(tasks))


def test_a_rolled_back_savepoint_takes_its_part_of_the_message_with_it(committed, redis_broker):
    with committed(), transaction.atomic():
        deliver_after_commit([101])
        with suppress(Boom), transaction.atomic():
            deliver_after_commit([102])
            publish_after_commit(seal_document.s("d-rolled-back", "sw"))
            raise Boom
        with transaction.atomic():
            deliver_after_commit([103])
    # What is left is one task: published as it is, not inside start_tasks.
    assert published(redis_broker) == [("notifications.tasks.deliver_batch", [[101, 103]])]


def test_a_kept_savepoint_joins_the_transactions_one_message(committed, redis_broker):
    with committed(), transaction.atomic():
        with transaction.atomic():
            publish_after_commit(seal_document.s("d-kept", "sw"))
            deliver_after_commit([201])
        deliver_after_commit([202])
    ((name, (tasks,)),) = published(redis_broker)
    assert name == "config.publish.start_tasks"
    (raw,) = redis_broker.lrange("celery", 0, -1)
    argsrepr = json.loads(raw)["headers"]["argsrepr"]
    assert argsrepr == "[approvals.tasks.seal_document, notifications.tasks.deliver_batch]"
    assert unpacked(tasks) == [
        ("approvals.tasks.seal_document", ["d-kept", "sw"]),
        ("notifications.tasks.deliver_batch", [[201, 202]]),
    ]


def test_a_rolled_back_transaction_publishes_nothing(committed, redis_broker):
    with committed(), suppress(Boom), transaction.atomic():
        deliver_after_commit([301])
        publish_after_commit(seal_document.s("d-none", "sw"))
        raise Boom
    assert published(redis_broker) == []


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_a_task_is_published_at_once(redis_broker):
    publish_after_commit(seal_document.s("d-now", "sw"))
    assert published(redis_broker) == [("approvals.tasks.seal_document", ["d-now", "sw"])]


def test_a_broker_that_is_down_loses_neither_the_emails_nor_the_seal(
    world, committed, broker, redis_broker, caplog
):
    document = approved_document(world)
    url = f"redis://127.0.0.1:{redis_broker.connection_pool.connection_kwargs['port']}/0"
    broker("redis://127.0.0.1:1/0")  # nothing listens there
    with committed():  # raises nothing
        approvals.document_approve(document_id=document.pk, by=world.reviewer, comment="Sawa")
    document.refresh_from_db()
    assert document.status == "approved"
    assert "Could not publish" in caplog.text
    rows = approval_rows(document)
    assert rows and set(Outbox.objects.filter(pk__in=rows).values_list("status", flat=True)) == {
        OutboxStatus.PENDING
    }

    broker(url)  # back: the beat's sweeps find both
    redis_broker.delete("celery")
    pending = Outbox.objects.filter(status=OutboxStatus.PENDING).count()  # the drive's too
    assert outbox_sweep(now=timezone.now() + timedelta(hours=1)) == pending
    assert seal_pending() == 1
    (delivery, seal) = published(redis_broker)
    assert delivery[0] == "notifications.tasks.deliver_batch"
    assert set(rows) <= set(delivery[1][0])
    assert seal == ("approvals.tasks.seal_document", [str(document.pk), "sw"])
