"""The e-mail outbox: queue e-mails in the caller's transaction; send the due ones later, each once.

A sender claims a message before sending it with a conditional UPDATE on the number of attempts
it read: of two senders (two cron runs, or cron and a request's after-response send) only one
wins each message. The claim also moves the next attempt past a retry delay far longer than a
send can take (``EMAIL_TIMEOUT`` bounds each SMTP step), so a sender that dies mid-send leaves
its message to be retried then. A failure waits longer at each attempt; after ``MAX_ATTEMPTS``
the message is given up, with a log line. The one way a message can go twice: the mail server
took it and the sender died before marking it sent.

A request that queued mail also sends it right after its response, outside the request. Django
sends ``request_finished`` when the WSGI server closes the response, which it does once
the response is written. Under gunicorn's sync workers the worker writes the whole response
(CommonMiddleware gave it a Content-Length, so the browser knows it is complete and shows the
page), then calls ``close()``: the sending below happens while the editor already reads their
page. It never fails the request, and it costs that worker little even when the mail server is
slow or hangs: it waits ``AFTER_RESPONSE_TIMEOUT`` at most per step, stops at the first sign the
server cannot be reached, and after such a failure the process leaves sending to cron's
``send_outbox`` for ``AFTER_RESPONSE_PAUSE``. A batch stops at the first such failure too, so a
dead server costs one timeout per run, not one per message.

Only a request that queued mail in a transaction that committed sends; any other costs nothing.
"""

import logging
import smtplib
import threading
import time
from dataclasses import dataclass
from datetime import timedelta

from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone

from guides.models import OutboxMessage

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
FIRST_RETRY = timedelta(minutes=5)
LONGEST_RETRY = timedelta(hours=12)  # 5, 20, 80 min, 5 h 20, then 12 h: given up after about 43 h
BATCH = 100

# Whether a transaction of this thread queued mail and committed since the flag was last taken.
# Per thread: a sync worker's thread serves one request at a time, from its start to its close.
_committed = threading.local()


def queue(message: EmailMessage) -> OutboxMessage:
    """Keep ``message`` (plain text, To and Bcc recipients) to send once the current transaction
    commits: a rolled-back change queues nothing, a committed one never loses its e-mail."""
    if message.cc or message.attachments or getattr(message, "alternatives", None):
        raise ValueError("The outbox keeps plain-text messages with To and Bcc recipients only.")
    queued = OutboxMessage.objects.create(
        to=list(message.to), bcc=list(message.bcc), subject=message.subject, body=message.body
    )
    transaction.on_commit(_note_committed)
    return queued


def _note_committed() -> None:
    _committed.mail = True


def take_committed_mail() -> bool:
    """Whether this thread queued and committed mail since the last call."""
    committed = getattr(_committed, "mail", False)
    _committed.mail = False
    return committed


def retry_delay(attempts: int) -> timedelta:
    return min(FIRST_RETRY * 4 ** (attempts - 1), LONGEST_RETRY)


@dataclass
class Batch:
    found: int = 0  # due messages looked at
    sent: int = 0
    failed: int = 0
    unreachable: bool = False  # no connection to the mail server: the rest waits


def send_due(limit: int = BATCH, timeout: float | None = None) -> Batch:
    """Send up to ``limit`` due messages over one connection (``timeout``: seconds per SMTP step,
    ``EMAIL_TIMEOUT`` by default). Never raises: what fails is noted on its message and logged."""
    batch = Batch()
    try:
        messages = list(OutboxMessage.objects.due().order_by("next_attempt_at", "pk")[:limit])
        batch.found = len(messages)
        _send(messages, batch, timeout)
    except Exception:
        logger.exception("The outbox could not be sent; what is left waits for the next run")
    return batch


def send_all_due() -> Batch:
    """Send every due message, a batch (and a connection) at a time."""
    total = Batch()
    while True:
        batch = send_due()
        total.found += batch.found
        total.sent += batch.sent
        total.failed += batch.failed
        total.unreachable = batch.unreachable
        # Each message found was claimed, by this sender or another, so is no longer due.
        if batch.found < BATCH or batch.unreachable or not (batch.sent or batch.failed):
            return total


# The server answered and refused this one message; anything else means it cannot be reached.
_REFUSED_MESSAGE = (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused, smtplib.SMTPDataError)


def _send(messages: list[OutboxMessage], batch: Batch, timeout: float | None) -> None:
    connection = None
    try:
        for message in messages:
            if not _claim(message):
                continue  # another sender has it
            try:
                if connection is None:
                    connection = get_connection(fail_silently=False, **({"timeout": timeout} if timeout else {}))
                    connection.open()
                connection.send_messages([message.email()])
            except _REFUSED_MESSAGE as error:
                _failed(message, error)
                batch.failed += 1
                connection = _close(connection)  # it may be in a bad state: the next opens another
                continue
            except Exception as error:
                _failed(message, error)
                batch.failed += 1
                batch.unreachable = True  # the rest waits for the next run
                return
            _sent(message)
            batch.sent += 1
    finally:
        _close(connection)


def _claim(message: OutboxMessage) -> bool:
    now = timezone.now()
    claimed = OutboxMessage.objects.filter(pk=message.pk, attempts=message.attempts, next_attempt_at__lte=now).update(
        attempts=message.attempts + 1, next_attempt_at=now + retry_delay(message.attempts + 1)
    )
    message.attempts += 1
    return claimed == 1


def _sent(message: OutboxMessage) -> None:
    OutboxMessage.objects.filter(pk=message.pk).update(
        sent_at=timezone.now(), next_attempt_at=None, to=[], bcc=[], last_error=""
    )


def _failed(message: OutboxMessage, error: Exception) -> None:
    # Mail servers quote the addresses they refuse: keep them out of the log and the database.
    described = f"{type(error).__name__}: {error}"
    for address in {*message.to, *message.bcc}:
        described = described.replace(address, "<recipient>")
    if message.attempts < MAX_ATTEMPTS:
        OutboxMessage.objects.filter(pk=message.pk).update(last_error=described)
        logger.warning(
            "Could not send e-mail %s (attempt %d of %d), will retry: %s",
            message.pk,
            message.attempts,
            MAX_ATTEMPTS,
            described,
        )
        return
    OutboxMessage.objects.filter(pk=message.pk).update(last_error=described, next_attempt_at=None, to=[], bcc=[])
    logger.error("Gave up e-mail %s “%s” after %d attempts: %s", message.pk, message.subject, MAX_ATTEMPTS, described)


def _close(connection) -> None:
    if connection is not None:
        try:
            connection.close()
        except Exception:  # closing a broken connection may fail too; nothing more to do
            logger.debug("Closing the mail connection failed", exc_info=True)


# Sending right after the response (connected to Django's request signals in apps.py).

AFTER_RESPONSE_BATCH = 20
AFTER_RESPONSE_TIMEOUT = 3  # seconds per SMTP step
AFTER_RESPONSE_PAUSE = 60  # seconds without after-response sending once the server failed

_paused_until = 0.0  # per process: a monotonic time


def forget_unsent(**kwargs) -> None:
    """At the start of a request: mail queued outside a request (a shell, a test) is not its own."""
    take_committed_mail()


def send_after_response(**kwargs) -> None:
    global _paused_until
    if not take_committed_mail() or time.monotonic() < _paused_until:
        return
    if send_due(limit=AFTER_RESPONSE_BATCH, timeout=AFTER_RESPONSE_TIMEOUT).unreachable:
        _paused_until = time.monotonic() + AFTER_RESPONSE_PAUSE
