"""A Redis cache that costs a feature, never a page, when Redis is down or hangs.

Django's ``RedisCache`` raises on every call while Redis is unreachable, and waits for its
socket timeouts first; every caller would then answer 500. This subclass answers as an empty
cache that stores nothing instead:

- ``get`` answers the default, ``get_many`` ``{}``, ``has_key`` False;
- writes store nothing: ``set`` and ``delete_many`` answer None, ``touch``, ``delete`` and
  ``clear`` False, ``set_many`` the list of all its keys (none was stored);
- ``add`` answers True, as if the key had been new: callers use ``add`` as "first time?", and
  answering "no" to everyone while the cache is away would turn a lost entry into a lost
  feature;
- ``incr`` (and ``decr``) answer ``delta``, as if the counter had just started from zero, and
  never raise: a counter restarts rather than failing the request. With Redis up, ``incr`` of a
  missing key still raises ``ValueError`` as Django documents.

A failure is logged once, and a per-process breaker then skips Redis for ``retry_after``
seconds (``OPTIONS``, default 5); after that, one call (only one, whatever the number of
threads) tries again. A Redis that accepts connections and never answers thus costs one short
socket timeout per few seconds, not one per call. Short timeouts and no client retries are the
defaults here, so that a configuration without them is still safe.
"""

import logging
import re
import threading
import time
from collections.abc import Callable
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError
from redis.retry import Retry

logger = logging.getLogger(__name__)

# Socket errors that redis-py lets through unwrapped are outages too.
_OUTAGES = (RedisError, OSError)

DEFAULT_OPTIONS = {
    "socket_connect_timeout": 0.25,
    "socket_timeout": 0.25,
    # Reconnect once at once when a pooled connection turns out closed (Redis restarted), but
    # never retry a timeout: the breaker decides when to try again.
    "retry": Retry(NoBackoff(), 1, supported_errors=(RedisConnectionError,)),
}
DEFAULT_RETRY_AFTER = 5.0


class Breaker:
    """Whether to call a server that failed lately; shared by every thread of the process."""

    def __init__(self, name: str, retry_after: float) -> None:
        self.name = name
        self.retry_after = retry_after
        self._lock = threading.Lock()
        self._failing = False
        self._skip_until = 0.0

    def allows_call(self) -> bool:
        if not self._failing:  # the common case needs no lock
            return True
        with self._lock:
            now = time.monotonic()
            if now < self._skip_until:
                return False
            # This caller tries again; the others keep skipping until it has an answer.
            self._skip_until = now + self.retry_after
            return True

    def record_failure(self, error: Exception) -> None:
        with self._lock:
            first = not self._failing
            self._failing = True
            self._skip_until = time.monotonic() + self.retry_after
        if first:
            logger.warning(
                "Cache %s is unavailable (%s: %s); the site runs without it, trying again every %g s.",
                self.name,
                type(error).__name__,
                error,
                self.retry_after,
            )

    def record_success(self) -> None:
        if not self._failing:
            return
        with self._lock:
            recovered, self._failing, self._skip_until = self._failing, False, 0.0
        if recovered:
            logger.warning("Cache %s answers again.", self.name)


_breakers: dict[tuple[str, float], Breaker] = {}
_breakers_lock = threading.Lock()


def breaker_for(name: str, retry_after: float) -> Breaker:
    # Django builds a cache object per thread; the breaker must be per process.
    with _breakers_lock:
        return _breakers.setdefault((name, retry_after), Breaker(name, retry_after))


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params: dict) -> None:
        options = dict(params.get("OPTIONS", {}))
        retry_after = float(options.pop("retry_after", DEFAULT_RETRY_AFTER))
        super().__init__(server, {**params, "OPTIONS": {**DEFAULT_OPTIONS, **options}})
        self._breaker = breaker_for(_describe(server), retry_after)

    def _guarded(self, fallback: Any, operation: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        if not self._breaker.allows_call():
            return fallback
        try:
            result = operation(*args, **kwargs)
        except _OUTAGES as error:
            self._breaker.record_failure(error)
            return fallback
        except ValueError:  # incr() of a missing key: Redis answered
            self._breaker.record_success()
            raise
        self._breaker.record_success()
        return result

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None) -> bool:
        return self._guarded(True, super().add, key, value, timeout, version)

    def get(self, key, default=None, version=None) -> Any:
        return self._guarded(default, super().get, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None) -> None:
        self._guarded(None, super().set, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None) -> bool:
        return self._guarded(False, super().touch, key, timeout, version)

    def delete(self, key, version=None) -> bool:
        return self._guarded(False, super().delete, key, version)

    def get_many(self, keys, version=None) -> dict:
        return self._guarded({}, super().get_many, keys, version)

    def has_key(self, key, version=None) -> bool:
        return self._guarded(False, super().has_key, key, version)

    def incr(self, key, delta=1, version=None) -> int:
        return self._guarded(delta, super().incr, key, delta, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None) -> list:
        return self._guarded(list(data), super().set_many, data, timeout, version)

    def delete_many(self, keys, version=None) -> None:
        self._guarded(None, super().delete_many, keys, version)

    def clear(self) -> bool:
        return self._guarded(False, super().clear)


def _describe(server) -> str:
    """The servers' addresses without any password, for the breaker's name and the log."""
    servers = re.split("[;,]", server) if isinstance(server, str) else list(server)
    return ",".join(re.sub(r"//[^/@]*@", "//", url) for url in servers)
