"""A fixed-window rate limit per client, and a guard against double submits, in the cache.

With ``REDIS_URL`` the counters are shared by every process and host; with the local-memory
default they hold per process. The client is identified by a keyed hash of its address, so
no raw IP address is stored, not even in the cache.
"""

import hashlib
import hmac
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from helpcenter.clients import client_address


def client_fingerprint(request: HttpRequest) -> str:
    address = client_address(request)
    return hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()[:32]


def limit_reached(request: HttpRequest, scope: str, *, limit: int, seconds: int) -> bool:
    """Count one use of ``scope`` by this client; True once the client is past ``limit`` uses
    in the current window."""
    window = int(time.time() // seconds)
    key = f"ratelimit:{scope}:{client_fingerprint(request)}:{window}"
    if cache.add(key, 1, timeout=seconds + 1):
        return limit < 1
    try:
        return cache.incr(key) > limit
    except ValueError:  # the window expired between add() and incr()
        cache.add(key, 1, timeout=seconds + 1)
        return limit < 1


def first_in_window(request: HttpRequest, scope: str, *, seconds: int) -> bool:
    """True for this client's first use of ``scope`` in ``seconds``: a double submit, sent before
    the reader has a session to tell the two apart, counts once."""
    return cache.add(f"once:{scope}:{client_fingerprint(request)}", 1, timeout=seconds)
