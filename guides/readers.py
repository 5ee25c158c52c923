"""Anonymous readers. A reader is a random key kept in a signed cookie of their own, created on
their first action (mark done, report, vote) and refreshed by each action, so that:

- someone who only reads causes no write and gets no cookie;
- readers need no session row: nothing grows on the server per visitor, and nothing depends on
  the session store or the cache being up;
- the key is signed, so a reader cannot pick someone else's.

``ReaderMiddleware`` sends the cookie after an action and marks every response that depended on
it with ``Vary: Cookie``.
"""

import re
from uuid import uuid4

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers

COOKIE = "reader"
_SALT = "guides.readers"
_KEY = re.compile(r"^[0-9a-f]{32}$")
# Readers of an earlier version kept their key in the session; it is moved to the cookie.
_SESSION_KEY = "reader_key"


def reader_key(request: HttpRequest) -> str | None:
    """The reader's key, or None for a reader who has not acted yet. Writes nothing."""
    request.reader_cookie_read = True
    if not hasattr(request, "reader_key"):
        request.reader_key = _from_cookie(request) or _from_old_session(request)
    return request.reader_key


def ensure_reader_key(request: HttpRequest, *, dated: bool = True) -> str:
    """The reader's key, created if need be; the response will carry it (see the middleware).

    The cookie's life starts again with each action that leaves a dated row (a step marked done,
    a report, a vote), and only with those: the nightly purge dates readers by those rows, so it
    never deletes progress a reader's cookie can still show. Unticking a step or starting over
    (``dated=False``) keeps the cookie as it is."""
    key = reader_key(request)
    if key is None or dated:
        key = key or uuid4().hex
        request.reader_key_to_send = key
    request.reader_key = key
    return key


def is_new_reader(request: HttpRequest) -> bool:
    return reader_key(request) is None


class ReaderMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if getattr(request, "reader_cookie_read", False):
            patch_vary_headers(response, ["Cookie"])
        key = getattr(request, "reader_key_to_send", None)
        if key is not None:
            response.set_signed_cookie(
                COOKIE,
                key,
                salt=_SALT,
                max_age=settings.GUIDES_READER_COOKIE_DAYS * 24 * 60 * 60,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response


def _from_cookie(request: HttpRequest) -> str | None:
    max_age = settings.GUIDES_READER_COOKIE_DAYS * 24 * 60 * 60
    key = request.get_signed_cookie(COOKIE, default=None, salt=_SALT, max_age=max_age)
    return key if key and _KEY.match(key) else None


def _from_old_session(request: HttpRequest) -> str | None:
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return None  # no session to read: reading one would only cost a query
    key = request.session.get(_SESSION_KEY)
    if key and _KEY.match(str(key)):
        request.reader_key_to_send = key
        return key
    return None
