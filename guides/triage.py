"""Report triage: editors move readers' reports to a status, which notes who did it and when;
readers who left an e-mail address get a fix notice, queued in the outbox in the same
transaction (so it is sent once the change is committed, and never if it is rolled back).

The admin's actions, its report form and "mark this step's reports fixed" come here; models
know nothing of e-mail.
"""

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from guides import content_version
from guides.models import StepReport
from guides.notifications import fix_notice
from guides.outbox import queue


def handle(reports: QuerySet[StepReport], status: StepReport.Status, editor) -> int:
    """Move ``reports`` to ``status`` and return how many changed. Reports already there are
    left alone (nobody handled them now), as is a closed report that reopening would make a
    reader's second open report on its step."""
    with transaction.atomic():
        changed = list(reports.movable_to(status).values_list("pk", flat=True))
        StepReport.objects.filter(pk__in=changed).update(status=status, handled_by=editor, handled_at=timezone.now())
        if changed:
            content_version.bump()  # a step's notice to readers may come or go
        if status == StepReport.Status.FIXED:
            _queue_fix_notices(StepReport.objects.filter(pk__in=changed))
    return len(changed)


def queue_unsent_fix_notices() -> int:
    """Queue the notices of fixed reports that still hold an address: reports fixed before the
    outbox existed, when a mail server refused the notice, or fixed outside ``handle``."""
    with transaction.atomic():
        return _queue_fix_notices(StepReport.objects.all())


def _queue_fix_notices(reports: QuerySet[StepReport]) -> int:
    waiting = reports.filter(status=StepReport.Status.FIXED).exclude(contact_email="")
    queued = 0
    for report in waiting.select_related("guide__platform", "step"):
        # The address moves from the report to its notice, which forgets it once sent. The
        # condition on the address makes two editors fixing the same report queue one notice.
        taken = StepReport.objects.filter(pk=report.pk, contact_email=report.contact_email).update(
            contact_email="", reporter_notified_at=timezone.now()
        )
        if taken:
            queue(fix_notice(report))
            queued += 1
    return queued
