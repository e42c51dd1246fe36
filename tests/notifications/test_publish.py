"""Publishing to the broker (issue 14.2): one message per committed transaction however many
e-mails it wrote, none when it wrote none, over a pooled connection; a batch delivered twice
sends nothing twice. On our own redis-server (the messages are read from its queue)."""

from __future__ import annotations

import base64
import json
import shutil

import pytest
import redis
from django.db import transaction

from approvals import services as approvals
from notifications.models import Outbox, OutboxStatus
from notifications.outbox import deliver_after_commit
from notifications.tasks import deliver_batch
from tests.helpers import PASSWORD, drive, make_user, new_document
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
