"""E-mails about reports, composed here and sent through the outbox: readers told their report
was fixed, editors sent a digest of new reports.

Readers get their e-mail in the language they reported in; editors in
``GUIDES_EDITORS_LANGUAGE``. Guide and step titles follow that language, as on the site.
"""

from itertools import groupby

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from guides.groups import EDITORS, PUBLISHERS
from guides.models import StepReport
from guides.reported_steps import by_step


def fix_notice(report: StepReport) -> EmailMessage:
    """Tell the reader who sent ``report`` (with ``guide__platform`` and ``step`` loaded) that it
    was fixed, naming the step as they saw it; a removed step's notice links to its guide."""
    with translation.override(report.language):
        url = report.guide.get_absolute_url()
        context = {
            "guide_title": report.guide.title,
            "step_title": report.step_title,
            "step_removed": report.step_removed,
            "url": settings.SITE_URL + (url if report.step_removed else f"{url}#{report.step.anchor}"),
        }
        return message("guides/email/report_fixed", context, to=[report.contact_email])


def message(template: str, context: dict, **recipients) -> EmailMessage:
    """An e-mail from ``<template>_subject.txt`` and ``<template>_body.txt``."""
    subject = render_to_string(f"{template}_subject.txt", context)
    body = render_to_string(f"{template}_body.txt", context)
    # A header cannot hold a line break.
    return EmailMessage(" ".join(subject.split()), body, **recipients)


def editor_addresses() -> list[str]:
    """Addresses of the active members of the Editors group: the digest's recipients."""
    editors = get_user_model().objects.filter(is_active=True, groups__name=EDITORS).exclude(email="")
    return sorted(set(editors.values_list("email", flat=True)))


def publisher_addresses() -> list[str]:
    """Addresses of the active members of the Publishers group and of superusers: who hears
    that a guide or a change waits for approval."""
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    publishers = users.filter(Q(groups__name=PUBLISHERS) | Q(is_superuser=True))
    return sorted(set(publishers.values_list("email", flat=True)))


def report_digest(reports: list[StepReport], recipients: list[str]) -> EmailMessage:
    """One message listing ``reports`` by guide and step, for the editors to triage."""
    with translation.override(settings.GUIDES_EDITORS_LANGUAGE):
        context = {
            "report_count": len(reports),
            "guides": _by_guide_and_step(reports),
            "queue_url": settings.SITE_URL + reverse("admin:guides_stepreport_queue"),
        }
        # Blind copies: editors do not need each other's addresses.
        return message("guides/email/report_digest", context, bcc=recipients)


def _by_guide_and_step(reports: list[StepReport]) -> list[dict]:
    """Reports by guide, then by step in order, removed steps last (by their number then)."""
    ordered = sorted(reports, key=lambda report: (report.guide_id, report.original_step_id))
    guides = []
    for guide, of_guide in groupby(ordered, key=lambda report: report.guide):
        steps = sorted(by_step(of_guide), key=lambda line: (line.step is None, line.number))
        guides.append({"guide": guide, "count": sum(line.count for line in steps), "steps": steps})
    return guides
