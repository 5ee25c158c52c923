"""Readers who left an e-mail hear, once and in their language, that the step they reported
was fixed. The notice is queued in the editor's transaction and sent outside the request: a mail
server that is slow or down never slows or breaks the editor's work."""

import http.client
import io
import time
from urllib.parse import urlencode, urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.utils import translation

from guides import triage
from guides.models import OutboxMessage, StepReport
from tests.factories import make_report as _make_report
from tests.fake_smtp import FakeSMTPServer
from tests.html_forms import form_fields

pytestmark = pytest.mark.django_db

REPORTS = "/admin/guides/stepreport/"


def make_report(step, reader: str = "reader-a", **fields) -> StepReport:
    return _make_report(step, reader, **{"contact_email": f"{reader}@example.org", **fields})


def fix(reports: list[StepReport], editor) -> int:
    return triage.handle(StepReport.objects.filter(pk__in=[r.pk for r in reports]), StepReport.Status.FIXED, editor)


def send_outbox() -> None:
    call_command("send_outbox", stdout=io.StringIO())


def test_it_tells_an_english_reader_in_english(guide, editor, mailoutbox):
    step = guide.steps.get(position=2)
    report = make_report(step, language="en")

    fix([report], editor)  # French is active: the report's language wins
    send_outbox()

    [message] = mailoutbox
    assert message.to == ["reader-a@example.org"]
    assert message.subject == "The step you reported is fixed: Step 2"
    assert "“Step 2” of the guide “A guide”" in message.body
    assert "We have corrected it" in message.body
    assert f"{settings.SITE_URL}/en/demo/guide/#step-{step.pk}" in message.body
    report.refresh_from_db()
    assert report.reporter_notified_at is not None


def test_it_tells_a_french_reader_in_french(guide, editor, mailoutbox):
    # Needs the French translations of the e-mail's text in locale/fr.
    step = guide.steps.get(position=2)
    report = make_report(step, language="fr")

    with translation.override("en"):
        fix([report], editor)
    send_outbox()

    [message] = mailoutbox
    assert "Étape 2" in message.subject
    assert "Étape 2" in message.body and "Un guide" in message.body
    assert f"{settings.SITE_URL}/fr/demo/guide/#step-{step.pk}" in message.body
    assert "corrigée" in message.body
    assert "Bonjour" in message.body


def test_it_writes_only_to_readers_who_left_an_e_mail(guide, editor, mailoutbox):
    step = guide.steps.get(position=1)
    silent = make_report(step, "silent", contact_email="")
    wrote = make_report(step, "wrote")

    fix([silent, wrote], editor)
    send_outbox()

    assert [message.to for message in mailoutbox] == [["wrote@example.org"]]
    silent.refresh_from_db()
    assert silent.reporter_notified_at is None


@pytest.mark.parametrize("status", [StepReport.Status.CONFIRMED, StepReport.Status.DISMISSED])
def test_it_writes_only_about_fixed_reports(guide, editor, status):
    report = make_report(guide.steps.get(position=1))

    triage.handle(StepReport.objects.filter(pk=report.pk), status, editor)

    assert not OutboxMessage.objects.exists()
    report.refresh_from_db()
    assert report.contact_email == "reader-a@example.org"  # kept: the report may still be fixed


def test_it_does_not_write_twice_when_a_step_is_fixed_again(guide, editor, mailoutbox):
    report = make_report(guide.steps.get(position=1))
    fix([report], editor)
    triage.handle(StepReport.objects.filter(pk=report.pk), StepReport.Status.CONFIRMED, editor)

    fix([report], editor)
    send_outbox()

    assert len(mailoutbox) == 1


def test_the_notice_is_queued_in_the_editors_transaction(guide, editor, mailoutbox):
    report = make_report(guide.steps.get(position=1))

    with pytest.raises(RuntimeError), transaction.atomic():
        fix([report], editor)
        assert OutboxMessage.objects.count() == 1
        raise RuntimeError("the rest of the editor's change failed")
    send_outbox()

    assert not OutboxMessage.objects.exists()
    assert mailoutbox == []
    report.refresh_from_db()
    assert (report.status, report.contact_email) == (StepReport.Status.NEW, "reader-a@example.org")


def test_the_readers_address_moves_from_the_report_to_the_notice_which_forgets_it_once_sent(guide, editor):
    report = make_report(guide.steps.get(position=1))

    fix([report], editor)

    report.refresh_from_db()
    assert report.contact_email == ""
    message = OutboxMessage.objects.get()
    assert message.to == ["reader-a@example.org"]
    send_outbox()
    message.refresh_from_db()
    assert message.to == []
    assert "corrigée" in message.body  # the body stays, for operators


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.usefixtures("editors_publish")
def test_saving_a_step_with_its_reports_marked_fixed_queues_the_notices(editor_client, guide, language):
    step = guide.steps.get(position=1)
    make_report(step, "a", language="en")
    make_report(step, "b", language="fr")
    url = f"/admin/guides/step/{step.pk}/change/"
    fields = form_fields(editor_client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode(), "step_form")
    fields.update(body_fr="Corrigé.", body_en="Fixed.", mark_reports_fixed="on")

    assert editor_client.post(url, fields, HTTP_ACCEPT_LANGUAGE=language).status_code == 302

    assert sorted(OutboxMessage.objects.values_list("to", flat=True)) == [["a@example.org"], ["b@example.org"]]
    subjects = set(OutboxMessage.objects.values_list("subject", flat=True))
    assert "The step you reported is fixed: Step 1" in subjects  # each reader's language, not the editor's


def test_notices_that_waited_from_before_the_outbox_go_out_with_the_next_digest_run(editor, guide, mailoutbox):
    report = make_report(guide.steps.get(position=1), "late", language="en", status=StepReport.Status.FIXED)

    call_command("send_report_digest", stdout=io.StringIO())

    report.refresh_from_db()
    assert report.reporter_notified_at is not None and report.contact_email == ""
    assert [message.to for message in mailoutbox if message.to] == [["late@example.org"]]


# A mail server that accepts connections and never answers


def post_over_http(live_server, path: str, fields: dict, session_key: str) -> tuple[int, float]:
    """POST as a browser would, to the live server: the answer's status, and how long it took
    until the whole answer (its Content-Length) arrived, which is when a browser shows it."""
    csrf = "c" * 32
    host = urlsplit(live_server.url)
    connection = http.client.HTTPConnection(host.hostname, host.port, timeout=60)
    started = time.monotonic()
    connection.request(
        "POST",
        path,
        urlencode({**fields, "csrfmiddlewaretoken": csrf}, doseq=True),
        {
            "Cookie": f"sessionid={session_key}; csrftoken={csrf}",
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept-Language": "en",
        },
    )
    response = connection.getresponse()
    response.read()
    took = time.monotonic() - started
    connection.close()
    return response.status, took


def wait_for(condition, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


@pytest.mark.parametrize("entry", ["report action", "step form"])
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_marking_fixed_answers_at_once_while_the_mail_server_stalls_and_cron_sends_the_notice_once(
    live_server, stalled_smtp_server, settings, caplog, editor, guide, entry
):
    step = guide.steps.get(position=1)
    report = make_report(step, language="en")
    editor_session = Client()
    editor_session.force_login(editor)
    if entry == "report action":
        path, fields = REPORTS, {"action": "mark_fixed", "_selected_action": str(report.pk)}
    else:
        path = f"/admin/guides/step/{step.pk}/change/"
        fields = form_fields(editor_session.get(path).content.decode(), "step_form")
        fields["mark_reports_fixed"] = "on"

    status, took = post_over_http(live_server, path, fields, editor_session.cookies["sessionid"].value)

    # The page arrived well within one SMTP timeout...
    assert status == 302
    assert took < settings.EMAIL_TIMEOUT / 3, took
    # ...while the worker, after the response, waits on the mail server. (The database is read
    # only while that worker is not using it: the in-memory SQLite test database is shared.)
    wait_for(lambda: stalled_smtp_server.connections == 1)
    report.refresh_from_db()
    assert report.status == StepReport.Status.FIXED
    message = OutboxMessage.objects.get()
    assert (message.attempts, message.sent_at) == (1, None)
    # The mail server hangs up: the failure is noted on the message for a later attempt, and
    # logged, never raised into the request.
    stalled_smtp_server.release.set()
    wait_for(lambda: "Could not send e-mail" in caplog.text)
    message.refresh_from_db()
    assert message.last_error.startswith("SMTPServerDisconnected")

    # Cron, later, with the mail server back: the notice goes once, however often cron runs.
    OutboxMessage.objects.update(next_attempt_at=message.created_at)
    with FakeSMTPServer() as working:
        settings.EMAIL_PORT = working.port
        send_outbox()
        send_outbox()

    assert [received.recipients for received in working.messages] == [["reader-a@example.org"]]
    assert "The step you reported is fixed: Step 1" in working.messages[0].data
    message.refresh_from_db()
    assert (message.attempts, message.to) == (2, [])
