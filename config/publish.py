"""One broker publish per committed transaction, however many tasks it asks for (issue 14.2).

Every app that starts work after a commit joins the same per-transaction batch of Celery task
signatures (``publish_after_commit``): approvals its seal, notifications the delivery of its
outbox rows. At the commit the batch goes out as one message: a single task as it is, several
inside ``start_tasks``, which a worker runs to publish each of them (Celery's own primitives are
no help here: a group publishes every task, a chain runs them one after the other and stops at
the first failure).

The batch keeps the savepoint semantics of ``transaction.on_commit``: each atomic block's part of
it is an on-commit callback registered in that block, so a rolled-back savepoint takes its part
with it; outside a transaction the signature is published at once. Publishing never raises into
the request and never waits for a broker that is down (no publish retries, a short connect
timeout): what did not go out is found again by the sweeps (the outbox sweep, ``seal_pending``).
So is a transaction's batch when another app's on-commit callback raises before the batch's
last flush runs (Django then runs none of the callbacks after it).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from celery import Signature, shared_task, signature
from django.db import transaction

logger = logging.getLogger(__name__)


class _Batch:
    """The signatures of one transaction: the committed parts' ones, in the order asked for."""

    __slots__ = ("committed", "last_flush", "parts")

    def __init__(self) -> None:
        self.committed: list[tuple[Signature, int]] = []
        self.parts: dict[frozenset, _Part] = {}
        self.last_flush: _Flush | None = None


class _Part:
    """What one atomic block asked for. Django drops it when the block's savepoint rolls back;
    otherwise it runs at the commit, before the flush that follows it."""

    __slots__ = ("batch", "entries", "ran")

    def __init__(self, batch: _Batch) -> None:
        self.batch = batch
        self.entries: list[tuple[Signature, int]] = []
        self.ran = False

    def __call__(self) -> None:
        self.ran = True
        self.batch.committed.extend(self.entries)


class _Flush:
    """Publishes the batch once every part before it has run. One follows each new part, so
    that the last one runs after all of them; only that last one publishes."""

    __slots__ = ("batch", "ran")

    def __init__(self, batch: _Batch) -> None:
        self.batch = batch
        self.ran = False
        batch.last_flush = self

    def __call__(self) -> None:
        self.ran = True
        if self.batch.last_flush is not self:
            return
        entries, self.batch.committed = self.batch.committed, []
        publish(joined(entries))


def publish_after_commit(task: Signature, *, join: int = 0) -> None:
    """Publish ``task`` once the current transaction commits, in the one message of the
    transaction (at once outside a transaction). ``join`` (a number of items): the task takes
    one list, and the transaction's calls of the same task become as few calls as hold their
    lists, one after the other, at most ``join`` items each (the outbox rows of every
    notification a transition wrote: one ``deliver_batch``; a day's reminders: one per 100, so
    that several workers share them and none runs past its time limit)."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        transaction.on_commit(lambda: publish(joined([(task, join)])))  # raises in manual ones
        return
    hooks = connection.run_on_commit
    batch = _open_batch(hooks)
    block = frozenset(connection.savepoint_ids)
    part = batch.parts.get(block)
    if part is None or part.ran:
        part = batch.parts[block] = _Part(batch)
        transaction.on_commit(part)  # registered in this block: dropped with its savepoint
        # With no savepoint of its own the flush survives every savepoint rollback; only the
        # transaction's rollback (which clears every hook) takes it.
        hooks.append((set(), _Flush(batch), True))
    part.entries.append((task, join))


def _open_batch(hooks: list) -> _Batch:
    """The transaction's batch: the one whose last flush is still to run, else a new one. (A
    test that runs the commit's hooks by hand keeps them in the list after they ran.)"""
    for _savepoints, callback, _robust in reversed(hooks):
        if isinstance(callback, _Flush):
            if not callback.ran and callback.batch.last_flush is callback:
                return callback.batch
            break
    return _Batch()


def joined(entries: Sequence[tuple[Signature, int]]) -> list[Signature]:
    """The signatures to publish: the joined tasks' items in calls of at most their ``join``
    items, each call where its first item was asked for."""
    tasks: list[Signature] = []
    filling: dict[str, list] = {}  # each joined task's call still taking items
    for task, join in entries:
        if not join:
            tasks.append(task)
            continue
        for item in task.args[0]:
            items = filling.get(task.task)
            if items is None or len(items) >= join:
                items = filling[task.task] = []
                call = task.clone()  # (clone(args=...) would prepend, as to a partial)
                call.args = (items,)
                tasks.append(call)
            items.append(item)
    return tasks


def publish(tasks: Sequence[Signature]) -> bool:
    """One message for ``tasks`` (nothing for none); False when the broker refused it (logged,
    never raised: the sweeps publish again what is still to do)."""
    if not tasks:
        return True
    names = ", ".join(task.task for task in tasks)
    try:
        # Over a connection of Celery's producer pool (none opened per message); no retries.
        if len(tasks) == 1:
            tasks[0].apply_async(retry=False)
        else:  # Celery's repr of the signatures would cost a fifth of the publish
            start_tasks.s([dict(task) for task in tasks]).apply_async(
                retry=False, argsrepr=f"[{names}]"
            )
    except Exception:  # a broker that is down (kombu's OperationalError, a socket error)
        logger.warning("Could not publish %s; the sweeps will enqueue it", names, exc_info=True)
        return False
    return True


@shared_task(name="config.publish.start_tasks", acks_late=True, ignore_result=True)
def start_tasks(tasks: list[dict]) -> int:
    """In a worker: publish each task of a transaction's message, each as its own message (its
    own retries, time limits and worker). A task that cannot be published is left to the
    sweeps; how many were."""
    started = 0
    for fields in tasks:
        task = signature(fields)
        try:
            task.apply_async()
        except Exception:
            logger.warning(
                "Could not publish %s; the sweeps will enqueue it", task.task, exc_info=True
            )
            continue
        started += 1
    return started
