"""Readers who left an e-mail hear, once and in their language, that the step they reported
was fixed; a mail server that fails never breaks the editor's work."""

import io
import logging
from smtplib import SMTPException
from unittest import mock

import pytest
from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.test import override_settings
from django.utils import translation

from guides.models import StepReport
from guides.notifications import notify_reporters_of_fix

pytestmark = pytest.mark.django_db


class RefusingBackend(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, email_messages):
        raise SMTPException("Connection refused")


def make_report(step, reader: str = "reader-a", **fields) -> StepReport:
    values = {
        "language": "fr",
        "problem": StepReport.Problem.MOVED,
        "seen_instead": "Les écrans ont changé.",
        "device": StepReport.Device.IOS,
        "contact_email": f"{reader}@example.org",
        **fields,
    }
    return StepReport.objects.create(step=step, reader_key=reader, **values)


def fix(reports: list[StepReport], editor, capture) -> None:
    with capture(execute=True):
        StepReport.objects.filter(pk__in=[report.pk for report in reports]).handle(StepReport.Status.FIXED, editor)


def test_it_tells_an_english_reader_in_english(guide, editor, mailoutbox, django_capture_on_commit_callbacks):
    step = guide.steps.get(position=2)
    report = make_report(step, language="en")

    fix([report], editor, django_capture_on_commit_callbacks)  # French is active: the report's language wins

    [message] = mailoutbox
    assert message.to == ["reader-a@example.org"]
    assert message.subject == "The step you reported is fixed: Step 2"
    assert "“Step 2” of the guide “A guide”" in message.body
    assert "We have corrected it" in message.body
    assert f"{settings.SITE_URL}/en/demo/guide/#step-{step.pk}" in message.body
    report.refresh_from_db()
    assert report.reporter_notified_at is not None


def test_it_tells_a_french_reader_in_french(guide, editor, mailoutbox, django_capture_on_commit_callbacks):
    # Needs the French translations of the e-mail's text in locale/fr.
    step = guide.steps.get(position=2)
    report = make_report(step, language="fr")

    with translation.override("en"):
        fix([report], editor, django_capture_on_commit_callbacks)

    [message] = mailoutbox
    assert "Étape 2" in message.subject
    assert "Étape 2" in message.body and "Un guide" in message.body
    assert f"{settings.SITE_URL}/fr/demo/guide/#step-{step.pk}" in message.body
    assert "corrigée" in message.body
    assert "Bonjour" in message.body


def test_it_writes_only_to_readers_who_left_an_e_mail(guide, editor, mailoutbox, django_capture_on_commit_callbacks):
    step = guide.steps.get(position=1)
    silent = make_report(step, "silent", contact_email="")
    wrote = make_report(step, "wrote")

    fix([silent, wrote], editor, django_capture_on_commit_callbacks)

    assert [message.to for message in mailoutbox] == [["wrote@example.org"]]
    silent.refresh_from_db()
    assert silent.reporter_notified_at is None


def test_it_writes_only_about_fixed_reports(guide, mailoutbox):
    dismissed = make_report(guide.steps.get(position=1), status=StepReport.Status.DISMISSED)

    notify_reporters_of_fix([dismissed.pk])

    assert mailoutbox == []


def test_it_does_not_write_twice_when_a_step_is_fixed_again(
    guide, editor, mailoutbox, django_capture_on_commit_callbacks
):
    report = make_report(guide.steps.get(position=1))
    fix([report], editor, django_capture_on_commit_callbacks)
    StepReport.objects.filter(pk=report.pk).handle(StepReport.Status.CONFIRMED, editor)

    fix([report], editor, django_capture_on_commit_callbacks)
    notify_reporters_of_fix([report.pk])

    assert len(mailoutbox) == 1


def test_it_writes_only_once_the_editors_change_is_committed(
    guide, editor, mailoutbox, django_capture_on_commit_callbacks
):
    report = make_report(guide.steps.get(position=1))

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        StepReport.objects.filter(pk=report.pk).handle(StepReport.Status.FIXED, editor)

    assert mailoutbox == []
    assert len(callbacks) == 1


@override_settings(EMAIL_BACKEND="tests.test_notifications.RefusingBackend")
def test_a_failing_mail_server_does_not_break_the_editors_action(
    editor_client, guide, caplog, django_capture_on_commit_callbacks
):
    report = make_report(guide.steps.get(position=1))

    action = {"action": "mark_fixed", "_selected_action": [str(report.pk)]}

    with (
        caplog.at_level(logging.ERROR, logger="guides.notifications"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = editor_client.post("/admin/guides/stepreport/", action)

    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == StepReport.Status.FIXED
    assert report.reporter_notified_at is None
    [record] = [r for r in caplog.records if r.name == "guides.notifications"]
    assert record.levelno == logging.ERROR
    assert record.exc_info[0] is SMTPException
    assert str(report.pk) in record.getMessage()


def test_it_goes_on_with_the_next_reader_after_a_failed_send(guide, caplog):
    step = guide.steps.get(position=1)
    reports = [make_report(step, reader, status=StepReport.Status.FIXED) for reader in ("first", "second")]

    with mock.patch.object(EmailMessage, "send", side_effect=[SMTPException("busy"), 1]):
        notify_reporters_of_fix([report.pk for report in reports])

    notified = StepReport.objects.filter(reporter_notified_at__isnull=False)
    not_notified = StepReport.objects.get(reporter_notified_at__isnull=True)
    assert notified.count() == 1
    [record] = [r for r in caplog.records if r.name == "guides.notifications"]
    assert str(not_notified.pk) in record.getMessage()


def test_notices_that_could_not_be_sent_go_out_with_the_next_digest_run(editor, guide, mailoutbox):
    step = guide.steps.first()
    report = StepReport.objects.create(
        step=step,
        language="en",
        problem="renamed",
        seen_instead="x",
        device="ios",
        reader_key="late",
        contact_email="late@example.org",
        status=StepReport.Status.FIXED,
    )
    call_command("send_report_digest", stdout=io.StringIO())
    report.refresh_from_db()
    assert report.reporter_notified_at is not None
    assert [message.to for message in mailoutbox if message.to] == [["late@example.org"]]
