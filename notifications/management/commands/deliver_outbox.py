"""Enqueue (without a broker: send) every e-mail still pending. Beat does this every minute;
without a worker, run it from cron."""

from django.core.management.base import BaseCommand

from notifications.outbox import outbox_sweep


class Command(BaseCommand):
    help = "Send the e-mails still pending in the outbox (what the per-minute beat task does)."

    def handle(self, *args, **options):
        count = outbox_sweep()
        self.stdout.write(f"{count} e-mail(s) enqueued.")
