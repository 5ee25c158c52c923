"""Cron, daily: erase or delete what the help center keeps no longer (see ``guides.retention``)."""

import logging

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from guides import retention

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    # Operators read this output in cron logs: kept in English, like the log messages.
    help = (
        "Erase or delete what is kept no longer: readers' old contact e-mails and progress, sent e-mails, "
        "expired sessions and rate-limit counters, old counts of searches without results."
    )

    def handle(self, *args, **options):
        now = timezone.now()
        failed = []
        for step in retention.STEPS:
            try:
                with transaction.atomic():
                    removed = step.run(now)
            except Exception:
                logger.exception("Purge step failed: %s", step.removed)
                failed.append(step.removed)
                continue
            self.stdout.write(f"{step.removed}: {removed}")
        if failed:
            raise CommandError(f"Some purge steps failed: {'; '.join(failed)}")
