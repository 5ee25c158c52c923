"""E-mails: readers told their report was fixed, editors sent a digest of new reports.

Readers get their e-mail in the language they reported in; editors in
``GUIDES_EDITORS_LANGUAGE``. Guide and step titles follow that language, as on the site.
"""

import logging
from itertools import groupby

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from guides.groups import EDITORS
from guides.models import StepReport

logger = logging.getLogger(__name__)


def notify_reporters_of_fix(report_ids: list[int]) -> None:
    """Tell each reader who left an e-mail that their report was fixed, once.

    Runs after an editor's change is committed: a mail server that fails must not undo or
    break the editor's work, so a failure is logged and the report stays un-notified.
    """
    reports = list(
        StepReport.objects.filter(pk__in=report_ids, status=StepReport.Status.FIXED, reporter_notified_at__isnull=True)
        .exclude(contact_email="")
        .select_related("step__guide__platform")
    )
    if not reports:
        return
    try:
        # One connection for all: a mail server that is down costs one timeout, not one each.
        with get_connection() as connection:
            for report in reports:
                if _send_fix_notice(report, connection):
                    StepReport.objects.filter(pk=report.pk).update(reporter_notified_at=timezone.now())
    except Exception:
        logger.exception("Could not reach the mail server: %d fix notice(s) wait for the next digest run", len(reports))


def retry_fix_notices() -> None:
    """Send the fix notices that could not be sent when the reports were fixed."""
    pending = StepReport.objects.filter(status=StepReport.Status.FIXED, reporter_notified_at__isnull=True)
    notify_reporters_of_fix(list(pending.exclude(contact_email="").values_list("pk", flat=True)))


def _send_fix_notice(report: StepReport, connection) -> bool:
    try:
        message = _fix_notice(report)
        message.connection = connection
        message.send()
    except Exception:
        logger.exception("Could not tell the reader of report %s that it was fixed", report.pk)
        return False
    return True


def _fix_notice(report: StepReport) -> EmailMessage:
    with translation.override(report.language):
        context = {
            "guide_title": report.step.guide.title,
            "step_title": report.step.title,
            "step_url": settings.SITE_URL + report.step.get_absolute_url(),
        }
        return _message("guides/email/report_fixed", context, to=[report.contact_email])


def _message(template: str, context: dict, **recipients) -> EmailMessage:
    subject = render_to_string(f"{template}_subject.txt", context)
    body = render_to_string(f"{template}_body.txt", context)
    # A header cannot hold a line break.
    return EmailMessage(" ".join(subject.split()), body, **recipients)


def editor_addresses() -> list[str]:
    """Addresses of the active members of the Editors group: the digest's recipients."""
    editors = get_user_model().objects.filter(is_active=True, groups__name=EDITORS).exclude(email="")
    return sorted(set(editors.values_list("email", flat=True)))


def report_digest(reports: list[StepReport], recipients: list[str]) -> EmailMessage:
    """One message listing ``reports`` by guide and step, for the editors to triage."""
    with translation.override(settings.GUIDES_EDITORS_LANGUAGE):
        context = {
            "report_count": len(reports),
            "guides": _by_guide_and_step(reports),
            "queue_url": settings.SITE_URL + reverse("admin:guides_stepreport_queue"),
        }
        # Blind copies: editors do not need each other's addresses.
        return _message("guides/email/report_digest", context, bcc=recipients)


def _by_guide_and_step(reports: list[StepReport]) -> list[dict]:
    ordered = sorted(reports, key=lambda report: (report.step.guide_id, report.step.position))
    guides = []
    for guide, of_guide in groupby(ordered, key=lambda report: report.step.guide):
        steps = [{"step": step, "count": len(list(same))} for step, same in groupby(of_guide, lambda r: r.step)]
        guides.append({"guide": guide, "count": sum(step["count"] for step in steps), "steps": steps})
    return guides
