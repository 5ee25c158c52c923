"""Send what a request queued right after its response, outside the request.

Django sends ``request_finished`` when the WSGI server closes the response, which it does once
the response is written. Under gunicorn's sync workers the worker writes the whole response
(CommonMiddleware gave it a Content-Length, so the browser knows it is complete and shows the
page), then calls ``close()``: the sending below happens while the editor already reads their
page. It holds that worker for at most a few ``EMAIL_TIMEOUT`` when the mail server is slow, and
never fails the request; cron's ``send_outbox`` sends whatever is left.

Only a request that queued mail in a transaction that committed sends; any other costs nothing.
"""

from outbox.sending import send_due, take_committed_mail

AFTER_RESPONSE_BATCH = 20


def forget(**kwargs) -> None:
    """At the start of a request: mail queued outside a request (a shell, a test) is not its own."""
    take_committed_mail()


def send(**kwargs) -> None:
    if take_committed_mail():
        send_due(limit=AFTER_RESPONSE_BATCH)
