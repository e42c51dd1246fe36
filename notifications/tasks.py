"""Celery tasks: thin wrappers around the outbox, its delivery and the reminders (ids in, no
results kept)."""

from __future__ import annotations

from celery import shared_task

from notifications import delivery, outbox, reminders

# Retries inside the task, for transient failures; after these the row stays pending and the
# sweep keeps trying at the backoff's pace (at most an hour apart).
DELIVERY_RETRIES = 5


@shared_task(bind=True, acks_late=True, ignore_result=True, max_retries=DELIVERY_RETRIES)
def deliver_email(self, outbox_id: int) -> str:
    """Send one outbox row. A second delivery of the same row sends nothing."""
    result = delivery.outbox_deliver(outbox_id=outbox_id)
    retry = result.retry_in is not None and not self.request.is_eager
    if retry and self.request.retries < self.max_retries:
        # If the broker is down now, Celery rejects this message; the row is still pending.
        raise self.retry(countdown=result.retry_in)
    return result.outcome


@shared_task(ignore_result=True)
def sweep_outbox() -> int:
    """Every minute (beat): enqueue e-mails still pending, e.g. after a broker outage."""
    return outbox.outbox_sweep()


@shared_task(ignore_result=True)
def send_reminders() -> int:
    """Daily (beat): reminders for overdue work, and escalation."""
    return reminders.reminders_send()
