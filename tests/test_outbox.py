"""The outbox: e-mails are queued in the transaction of the change they are about and sent
outside any request, each once, over one connection per batch; failures wait longer at each
attempt and are given up in the end; a message forgets its recipients once it leaves the queue."""

import logging
from datetime import timedelta
from io import StringIO
from smtplib import SMTPException, SMTPRecipientsRefused

import pytest
from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.locmem import EmailBackend as MemoryBackend
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from guides import outbox
from guides.models import OutboxMessage, StepReport
from guides.outbox import MAX_ATTEMPTS, queue, send_due
from tests.factories import make_report

pytestmark = pytest.mark.django_db


def queued(number: int = 1, **fields) -> list[OutboxMessage]:
    return [
        queue(EmailMessage(f"Subject {n}", f"Body {n}.", to=[f"reader-{n}@example.org"], **fields))
        for n in range(1, number + 1)
    ]


def send_outbox() -> str:
    out = StringIO()
    call_command("send_outbox", stdout=out)
    return out.getvalue()


def make_due(*messages: OutboxMessage) -> None:
    """As if the retry delay had passed."""
    OutboxMessage.objects.filter(pk__in=[m.pk for m in messages]).update(next_attempt_at=timezone.now())


class RefusingBackend(BaseEmailBackend):
    """A mail server that refuses every message."""

    def send_messages(self, email_messages):
        raise SMTPException("451 Try again later")


class UnreachableBackend(BaseEmailBackend):
    """A mail server nobody can connect to."""

    opened = 0

    def open(self):
        UnreachableBackend.opened += 1
        raise ConnectionRefusedError("Connection refused")


class StallingBackend(BaseEmailBackend):
    """A mail server that greets, then never answers: each send ends in a timeout. Records the
    timeout each connection was given."""

    sends = 0
    timeouts: list = []

    def __init__(self, timeout=None, **kwargs):
        super().__init__(**kwargs)
        StallingBackend.timeouts.append(timeout)

    def send_messages(self, email_messages):
        StallingBackend.sends += 1
        raise TimeoutError("timed out")


class RecipientRefusingBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise SMTPRecipientsRefused({address: (550, b"5.1.1 No such user") for address in email_messages[0].to})


class SecondSenderBackend(MemoryBackend):
    """While this sender sends its first message, another sender (a cron run, another worker)
    runs over the same outbox."""

    second_sender_ran = False

    def send_messages(self, messages):
        if not SecondSenderBackend.second_sender_ran:
            SecondSenderBackend.second_sender_ran = True
            send_due()
        return super().send_messages(messages)


# Queuing


def test_a_rolled_back_transaction_queues_nothing(mailoutbox):
    with pytest.raises(RuntimeError), transaction.atomic():
        queued(2)
        raise RuntimeError("the editor's change failed")

    send_outbox()

    assert not OutboxMessage.objects.exists()
    assert mailoutbox == []


def test_it_keeps_plain_messages_with_to_and_bcc_only():
    with pytest.raises(ValueError):
        queue(EmailMessage("Subject", "Body", to=["a@example.org"], cc=["b@example.org"]))


# Sending once


def test_it_sends_each_message_once_even_when_run_twice(mailoutbox):
    first, second = queued(2)

    assert send_outbox() == "Outbox: 2 sent, 0 failed, 0 waiting.\n"
    assert send_outbox() == ""  # nothing left: quiet, so cron mails nothing

    assert sorted(message.to[0] for message in mailoutbox) == ["reader-1@example.org", "reader-2@example.org"]
    for message in (first, second):
        message.refresh_from_db()
        assert message.sent_at is not None and message.next_attempt_at is None
        assert (message.to, message.bcc) == ([], [])  # the addresses leave with the message
        assert message.body.startswith("Body")


@override_settings(EMAIL_BACKEND="tests.test_outbox.SecondSenderBackend")
def test_a_second_sender_running_meanwhile_never_sends_a_message_again(mailoutbox):
    SecondSenderBackend.second_sender_ran = False
    queued(3)

    send_due()

    assert SecondSenderBackend.second_sender_ran
    assert sorted(message.subject for message in mailoutbox) == ["Subject 1", "Subject 2", "Subject 3"]
    assert list(OutboxMessage.objects.values_list("attempts", flat=True)) == [1, 1, 1]


def test_it_sends_a_batch_over_one_connection(smtp_server):
    queued(3, bcc=["editor@example.org"])

    send_outbox()

    assert smtp_server.connections == 1
    assert [received.recipients for received in smtp_server.messages] == [
        [f"reader-{n}@example.org", "editor@example.org"] for n in (1, 2, 3)
    ]
    assert "Bcc" not in smtp_server.messages[0].data


def test_it_sends_nothing_and_opens_no_connection_when_nothing_is_due(smtp_server):
    [message] = queued(1)
    OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now() + timedelta(minutes=1))

    assert send_outbox() == ""
    assert smtp_server.connections == 0


# Failures


@override_settings(EMAIL_BACKEND="tests.test_outbox.RefusingBackend")
def test_a_failure_is_retried_later_and_later_then_given_up_with_a_log_line(caplog):
    [message] = queued(1)
    delays = []

    for _attempt in range(MAX_ATTEMPTS):
        make_due(message)
        before = timezone.now()
        send_due()
        message.refresh_from_db()
        if message.next_attempt_at:
            delays.append(round((message.next_attempt_at - before) / timedelta(minutes=1)))

    assert delays == [5, 20, 80, 320, 720, 720, 720]  # minutes: FIRST_RETRY, 4 times longer each, LONGEST_RETRY
    assert (message.attempts, message.next_attempt_at, message.sent_at) == (MAX_ATTEMPTS, None, None)
    assert message.last_error == "SMTPException: 451 Try again later"
    assert (message.to, message.bcc) == ([], [])
    [gave_up] = [record for record in caplog.records if record.levelno == logging.ERROR]
    assert f"Gave up e-mail {message.pk}" in gave_up.getMessage()
    assert not OutboxMessage.objects.waiting().exists()  # never tried again


@override_settings(EMAIL_BACKEND="tests.test_outbox.RefusingBackend")
def test_the_next_run_goes_on_with_the_other_messages(mailoutbox):
    [failing] = queued(1)
    send_due()
    [fine] = queued(1)

    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        send_outbox()

    assert [message.subject for message in mailoutbox] == [fine.subject]
    failing.refresh_from_db()
    assert (failing.attempts, failing.sent_at) == (1, None)


@override_settings(EMAIL_BACKEND="tests.test_outbox.UnreachableBackend")
def test_an_unreachable_mail_server_costs_one_try_per_run_and_raises_nothing():
    UnreachableBackend.opened = 0
    first, *_others = queued(3)

    send_outbox()

    assert UnreachableBackend.opened == 1
    assert [m.attempts for m in OutboxMessage.objects.order_by("pk")] == [1, 0, 0]
    first.refresh_from_db()
    assert first.last_error == "ConnectionRefusedError: Connection refused"


@override_settings(EMAIL_BACKEND="tests.test_outbox.StallingBackend")
def test_a_server_that_stops_answering_costs_one_timeout_per_run_not_one_per_message():
    StallingBackend.sends = 0
    queued(8)

    batch = send_due()

    assert (StallingBackend.sends, batch.unreachable) == (1, True)
    assert sorted(OutboxMessage.objects.values_list("attempts", flat=True)) == [0] * 7 + [1]


@override_settings(EMAIL_BACKEND="tests.test_outbox.RecipientRefusingBackend")
def test_a_refused_address_stays_out_of_the_log_and_the_database(caplog):
    [message] = queued(1)

    with caplog.at_level(logging.WARNING, logger="guides.outbox"):
        send_due()

    message.refresh_from_db()
    assert "reader-1@example.org" not in message.last_error
    assert "<recipient>" in message.last_error and "550" in message.last_error
    assert "reader-1@example.org" not in caplog.text
    assert message.to == ["reader-1@example.org"]  # kept while it waits for the next attempt


# After the response


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_request_that_queued_mail_sends_it_after_its_response(admin_client, guide, mailoutbox):
    report = make_report(guide.steps.get(position=1), contact_email="reader@example.org")

    response = admin_client.post("/admin/guides/stepreport/", {"action": "mark_fixed", "_selected_action": report.pk})

    assert response.status_code == 302
    assert [message.to for message in mailoutbox] == [["reader@example.org"]]
    assert OutboxMessage.objects.get().sent_at is not None


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@override_settings(EMAIL_BACKEND="tests.test_outbox.RefusingBackend")
def test_a_send_failing_after_the_response_never_reaches_the_request(admin_client, guide):
    report = make_report(guide.steps.get(position=1), contact_email="reader@example.org")

    response = admin_client.post("/admin/guides/stepreport/", {"action": "mark_fixed", "_selected_action": report.pk})

    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == StepReport.Status.FIXED
    message = OutboxMessage.objects.get()
    assert (message.attempts, message.sent_at, message.last_error) == (1, None, "SMTPException: 451 Try again later")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@override_settings(EMAIL_BACKEND="tests.test_outbox.StallingBackend", EMAIL_TIMEOUT=10)
def test_after_a_response_a_hanging_mail_server_costs_little_and_once_a_minute(admin_client, guide):
    StallingBackend.sends, StallingBackend.timeouts = 0, []
    reports = [make_report(guide.steps.get(position=n), contact_email=f"r{n}@example.org") for n in (1, 2, 3)]

    for report in reports:
        response = admin_client.post(
            "/admin/guides/stepreport/", {"action": "mark_fixed", "_selected_action": report.pk}
        )
        assert response.status_code == 302

    # One short try after the first response; the next responses leave the rest to cron.
    assert StallingBackend.sends == 1
    assert StallingBackend.timeouts == [outbox.AFTER_RESPONSE_TIMEOUT]
    assert outbox.AFTER_RESPONSE_TIMEOUT < settings.EMAIL_TIMEOUT
    assert OutboxMessage.objects.filter(sent_at__isnull=True).count() == 3


def test_a_request_that_queued_nothing_does_not_look_at_the_outbox(guide):
    queued(1)  # outside a request, and not committed: not this request's mail

    with CaptureQueriesContext(connection) as queries:
        Client().get(f"/fr/{guide.platform.slug}/{guide.slug}/")

    assert not [query for query in queries if "outbox" in query["sql"]]


def test_a_message_kept_after_its_queue_is_readable_by_operators_without_addresses(admin_client):
    [message] = queued(1)
    send_outbox()

    listing = admin_client.get("/admin/guides/outboxmessage/?state=sent", HTTP_ACCEPT_LANGUAGE="en")
    page = admin_client.get(f"/admin/guides/outboxmessage/{message.pk}/change/").content.decode()

    assert list(listing.context["cl"].result_list) == [message]
    assert "Body 1." in page and "reader-1@example.org" not in page


def test_editors_do_not_see_the_outbox(editor_client):
    assert editor_client.get("/admin/guides/outboxmessage/").status_code == 403
