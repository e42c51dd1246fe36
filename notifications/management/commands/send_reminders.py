"""Today's reminders and escalations. Beat does this daily; without a worker, run it from cron.
Running it twice on one day sends nothing new."""

from django.core.management.base import BaseCommand

from notifications.reminders import reminders_send


class Command(BaseCommand):
    help = "Send today's reminders for overdue work (what the daily beat task does)."

    def handle(self, *args, **options):
        count = reminders_send()
        self.stdout.write(f"{count} reminder(s) written.")
