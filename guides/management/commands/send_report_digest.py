"""Cron: e-mail the Editors group the reports readers sent since the last digest, through the
outbox, then send what the outbox holds (this digest, and fix notices still waiting).

Each digest records the moment it covers reports until, in the transaction that queues its
message: the next one starts there, and a digest recorded is a digest that will be sent (the
outbox retries it), while a run that fails before leaves its reports for the next run.
"""

from datetime import datetime

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from guides.models import ReportDigest, StepReport
from guides.notifications import editor_addresses, report_digest
from guides.outbox import queue, send_all_due
from guides.triage import queue_unsent_fix_notices


def _reports_between(since: datetime | None, until: datetime) -> list[StepReport]:
    reports = StepReport.objects.filter(created_at__lte=until).select_related("guide", "step")
    if since is not None:
        reports = reports.filter(created_at__gt=since)
    return list(reports)


def _last_covered_until() -> datetime | None:
    latest = ReportDigest.objects.order_by("-covered_until").first()
    return latest.covered_until if latest else None


class Command(BaseCommand):
    # Operators read this output in cron logs: kept in English, like the log messages.
    help = "E-mail the active members of the Editors group the reports readers sent since the last digest."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Print the digest; do not send or record it.")

    def handle(self, *args, dry_run: bool = False, **options):
        if not dry_run:
            queue_unsent_fix_notices()
        self._queue_digest(dry_run)
        if not dry_run:
            sent = send_all_due()
            self.stdout.write(f"Outbox: {sent.sent} sent, {sent.failed} failed.")

    def _queue_digest(self, dry_run: bool) -> None:
        until = timezone.now()
        since = _last_covered_until()
        reports = _reports_between(since, until)
        recipients = editor_addresses()
        if not reports:
            self.stdout.write(f"No new reports since {since or 'the first report'}: nothing sent.")
            return
        if not recipients:
            self.stdout.write("No active member of the Editors group has an e-mail address: nothing sent.")
            return
        message = report_digest(reports, recipients)
        if dry_run:
            self.stdout.write(f"Dry run, nothing sent. To: {', '.join(recipients)}\nSubject: {message.subject}\n")
            self.stdout.write(message.body)
            return
        with transaction.atomic():
            ReportDigest.objects.create(covered_until=until, report_count=len(reports), recipient_count=len(recipients))
            queue(message)
        self.stdout.write(
            self.style.SUCCESS(f"Digest queued for {len(recipients)} editor(s): {len(reports)} new report(s).")
        )
