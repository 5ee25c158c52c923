"""``manage.py send_report_digest``: the Editors group hears of new reports, by guide and step,
once per report, with a link to the triage queue."""

from io import StringIO
from unittest import mock

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import DatabaseError
from django.test import override_settings
from django.utils import timezone

from guides.groups import EDITORS
from guides.models import OutboxMessage, ReportDigest, StepReport
from tests.factories import make_guide, make_report

pytestmark = pytest.mark.django_db

QUEUE_LINK = f"{settings.SITE_URL}/admin/guides/stepreport/queue/"


def run_digest(*args: str) -> str:
    out = StringIO()
    call_command("send_report_digest", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def editors(django_user_model, editor):
    """Two editors who get the digest, and people who do not."""
    group = Group.objects.get(name=EDITORS)
    editor.email = "editor@example.org"
    editor.save()
    ana = django_user_model.objects.create_user("ana", "ana@example.org", is_staff=True)
    gone = django_user_model.objects.create_user("gone", "gone@example.org", is_staff=True, is_active=False)
    no_address = django_user_model.objects.create_user("no-address", "", is_staff=True)
    group.user_set.add(ana, gone, no_address)
    django_user_model.objects.create_superuser("boss", "boss@example.org", "boss-password-123")
    return ["ana@example.org", "editor@example.org"]


@pytest.fixture
def english_digest(settings):
    settings.GUIDES_EDITORS_LANGUAGE = "en"


def test_it_sends_one_message_to_the_active_editors_with_an_address(editors, guide, mailoutbox):
    make_report(guide.steps.get(position=1))

    output = run_digest()

    [message] = mailoutbox
    assert sorted(message.bcc) == editors
    assert message.to == []
    assert "Digest queued for 2 editor(s): 1 new report(s).\nOutbox: 1 sent, 0 failed." in output


def test_it_lists_new_reports_by_guide_and_step_with_counts(editors, platform, guide, mailoutbox, english_digest):
    other = make_guide(platform, steps=2, slug="other", title_en="Another guide")
    make_report(guide.steps.get(position=1), "a")
    make_report(guide.steps.get(position=1), "b")
    make_report(guide.steps.get(position=3), "a", status=StepReport.Status.CONFIRMED)
    make_report(other.steps.get(position=2), "a")

    run_digest()

    [message] = mailoutbox
    assert message.subject == "4 new reports on the help center"
    assert "Readers sent 4 new reports since the last digest." in message.body
    lines = [line.strip() for line in message.body.splitlines()]
    assert lines[lines.index("A guide (3 reports)") + 1 :][:2] == [
        "- Step 1: Step 1 (2 reports)",
        "- Step 3: Step 3 (1 report)",
    ]
    assert lines[lines.index("Another guide (1 report)") + 1] == "- Step 2: Step 2 (1 report)"
    assert "Step 2: Step 2" not in message.body.split("Another guide")[0]
    assert QUEUE_LINK in message.body


def test_it_writes_in_the_editors_language(editors, guide, mailoutbox):
    # Titles come from the French fields; the French wording needs locale/fr's translations.
    make_report(guide.steps.get(position=2))

    run_digest()

    [message] = mailoutbox
    assert "Un guide" in message.body and "Étape 2" in message.body
    assert "Step 2" not in message.body
    assert "nouveau signalement" in message.subject
    assert "depuis le dernier résumé" in message.body


def test_it_records_what_it_sent(editors, guide, mailoutbox):
    make_report(guide.steps.get(position=1), "a")
    make_report(guide.steps.get(position=2), "a")

    run_digest()

    digest = ReportDigest.objects.get()
    assert (digest.report_count, digest.recipient_count) == (2, 2)
    assert digest.covered_until >= StepReport.objects.latest("created_at").created_at


def test_a_second_run_sends_only_newer_reports(editors, guide, mailoutbox, english_digest):
    make_report(guide.steps.get(position=1), "a")
    run_digest()
    make_report(guide.steps.get(position=3), "b")

    run_digest()

    assert len(mailoutbox) == 2
    assert "Step 3: Step 3 (1 report)" in mailoutbox[1].body
    assert "Step 1" not in mailoutbox[1].body
    assert list(ReportDigest.objects.values_list("report_count", flat=True)) == [1, 1]


def test_it_sends_nothing_when_no_report_is_new(editors, guide, mailoutbox):
    make_report(guide.steps.get(position=1))
    run_digest()

    output = run_digest()

    assert len(mailoutbox) == 1
    assert "nothing sent" in output
    assert ReportDigest.objects.count() == 1


def test_it_sends_nothing_when_no_editor_has_an_address(editor, guide, mailoutbox):
    make_report(guide.steps.get(position=1))

    output = run_digest()

    assert mailoutbox == []
    assert "No active member of the Editors group has an e-mail address: nothing sent." in output
    assert not ReportDigest.objects.exists()


def test_a_dry_run_prints_the_digest_without_sending_or_recording(editors, guide, mailoutbox, english_digest):
    make_report(guide.steps.get(position=2))

    output = run_digest("--dry-run")

    assert mailoutbox == []
    assert not ReportDigest.objects.exists()
    assert "Dry run, nothing sent. To: ana@example.org, editor@example.org" in output
    assert "Step 2: Step 2 (1 report)" in output and QUEUE_LINK in output
    run_digest()
    assert "Step 2: Step 2 (1 report)" in mailoutbox[0].body  # the dry run left the report for the real one


@override_settings(EMAIL_BACKEND="tests.test_outbox.RefusingBackend")
def test_a_digest_the_mail_server_refused_waits_in_the_outbox_and_goes_out_later(editors, guide, mailoutbox):
    make_report(guide.steps.get(position=1))

    output = run_digest()

    assert "Outbox: 0 sent, 1 failed." in output
    assert ReportDigest.objects.count() == 1  # recorded: the outbox will send it
    message = OutboxMessage.objects.get()
    assert (message.attempts, message.sent_at, sorted(message.bcc)) == (1, None, editors)
    OutboxMessage.objects.update(next_attempt_at=timezone.now())
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        call_command("send_outbox", stdout=StringIO())
        assert "nothing sent" in run_digest()
    [sent] = mailoutbox
    assert sorted(sent.bcc) == editors


def test_a_digest_is_recorded_only_with_its_message_queued(editors, guide, mailoutbox):
    make_report(guide.steps.get(position=1))

    with (
        mock.patch("guides.management.commands.send_report_digest.queue", side_effect=DatabaseError("disk full")),
        pytest.raises(DatabaseError),
    ):
        run_digest()

    assert not ReportDigest.objects.exists()
    run_digest()  # the next run covers the report
    [message] = mailoutbox
    assert "Étape 1" in message.body
