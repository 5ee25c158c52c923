"""Anonymous readers. A reader's key lives in their session and is created on their first
action (mark done, report, vote), so that someone who only reads causes no database write."""

from uuid import uuid4

from django.http import HttpRequest

SESSION_KEY = "reader_key"


def reader_key(request: HttpRequest) -> str | None:
    """The reader's key, or None for a reader who has not acted yet. Never creates a session."""
    return request.session.get(SESSION_KEY)


def ensure_reader_key(request: HttpRequest) -> str:
    key = request.session.get(SESSION_KEY)
    if key is None:
        key = request.session[SESSION_KEY] = uuid4().hex
    return key
