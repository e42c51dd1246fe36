"""Celery tasks: thin wrappers around the outbox, its delivery and the reminders (ids in, no
results kept)."""

from __future__ import annotations

from collections import Counter

from celery import shared_task

from notifications import delivery, outbox, reminders

# Retries inside the task, for transient failures; after these the row stays pending and the
# sweep keeps trying at the backoff's pace (at most an hour apart).
DELIVERY_RETRIES = 5


@shared_task(bind=True, acks_late=True, ignore_result=True, max_retries=DELIVERY_RETRIES)
def deliver_email(self, outbox_id: int) -> str:
    """Send one outbox row. A second delivery of the same row sends nothing. (Transactions
    publish ``deliver_batch``; this one stays for messages already queued, and by hand.)"""
    result = delivery.outbox_deliver(outbox_id=outbox_id)
    retry = result.retry_in is not None and not self.request.is_eager
    if retry and self.request.retries < self.max_retries:
        # If the broker is down now, Celery rejects this message; the row is still pending.
        raise self.retry(countdown=result.retry_in)
    return result.outcome


@shared_task(bind=True, acks_late=True, ignore_result=True, max_retries=DELIVERY_RETRIES)
def deliver_batch(self, outbox_ids: list[int]) -> str:
    """Send the outbox rows one transaction wrote (or a slice of the sweep's): one message on
    the broker for all of them. Each row is claimed by its own conditional UPDATE, so a batch
    delivered twice (a worker died before acknowledging it) sends nothing twice. The rows a
    transient failure held back are retried together, after the longest backoff among them;
    an SMTP server that cannot be reached ends the batch, and the rows not tried yet wait with
    the others (and for the sweep, which finds every row still pending)."""
    outcomes: Counter[str] = Counter()
    again: list[int] = []
    wait = 0
    composer = delivery.Composer()  # each language of a transition's e-mail rendered once
    for index, outbox_id in enumerate(outbox_ids):
        result = delivery.outbox_deliver(outbox_id=outbox_id, composer=composer)
        outcomes[result.outcome] += 1
        if result.retry_in is None:
            continue
        again.append(outbox_id)
        wait = max(wait, result.retry_in)
        if result.unreachable:
            again.extend(outbox_ids[index + 1 :])
            break
    if again and not self.request.is_eager and self.request.retries < self.max_retries:
        raise self.retry(args=(again,), countdown=wait)
    return ", ".join(f"{outcome} {count}" for outcome, count in sorted(outcomes.items()))


@shared_task(ignore_result=True)
def sweep_outbox() -> int:
    """Every minute (beat): enqueue e-mails still pending, e.g. after a broker outage."""
    return outbox.outbox_sweep()


@shared_task(ignore_result=True)
def send_reminders() -> int:
    """Daily (beat): reminders for overdue work, and escalation."""
    return reminders.reminders_send()
