"""Cron, every few minutes: send the e-mails waiting in the outbox.

Safe to run while another run, or a request's after-response send, is sending: each message is
claimed before it is sent. Quiet when there was nothing to send, so cron mails nothing.
"""

from django.core.management.base import BaseCommand

from guides.models import OutboxMessage
from guides.outbox import send_all_due


class Command(BaseCommand):
    # Operators read this output in cron logs: kept in English, like the log messages.
    help = "Send the e-mails waiting in the outbox; failures are retried later, with a growing delay."

    def handle(self, *args, **options):
        sent = send_all_due()
        if sent.sent or sent.failed:
            waiting = OutboxMessage.objects.waiting().count()
            self.stdout.write(f"Outbox: {sent.sent} sent, {sent.failed} failed, {waiting} waiting.")
