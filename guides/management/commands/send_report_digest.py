"""Cron: e-mail the Editors group the reports readers sent since the last digest, and retry the
e-mails to readers about fixed reports that could not be sent at the time.

Each digest records the moment it covers reports until; the next one starts there, so a run
that fails or sends nothing leaves its reports for the next run.
"""

from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from guides.models import ReportDigest, StepReport
from guides.notifications import editor_addresses, report_digest, retry_fix_notices


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
            retry_fix_notices()
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
        self._send(message)
        ReportDigest.objects.create(covered_until=until, report_count=len(reports), recipient_count=len(recipients))
        self.stdout.write(
            self.style.SUCCESS(f"Digest sent to {len(recipients)} editor(s): {len(reports)} new report(s).")
        )

    @staticmethod
    def _send(message) -> None:
        try:
            message.send()
        except Exception as error:
            # Not recorded: the next run covers these reports again.
            raise CommandError(f"The digest could not be sent: {error}") from error
