"""Rate limits and double-submit guards for readers' actions, counted in the database.

The counters live where the actions are stored, so every process and every host counts together
on any set-up, the embedded SQLite default included, and no other server (a cache) can be the
reason an action fails. A client is identified by a keyed hash of its address (see
``helpcenter.clients``): no raw IP address is stored, not even in a counter.

If counting itself fails (a database error), the action is let through and the failure logged:
a limit is there to stop floods, and a database that cannot count cannot store a flood either.
"""

import logging
import time
from contextlib import nullcontext
from datetime import timedelta

from django.db import DatabaseError, connection, transaction
from django.http import HttpRequest
from django.utils import timezone

from guides.models import RateLimitCounter
from helpcenter.clients import client_fingerprint

logger = logging.getLogger(__name__)

_TABLE = RateLimitCounter._meta.db_table
_COUNT_USE = (
    f"INSERT INTO {_TABLE} (key, count, expires_at) VALUES (%s, 1, %s) "  # noqa: S608 - no input in the names
    f"ON CONFLICT (key) DO UPDATE SET count = {_TABLE}.count + 1 RETURNING count"
)


def now() -> float:
    """The clock windows are counted by (tests hold it still across a window's end)."""
    return time.time()


def limit_reached(request: HttpRequest, scope: str, *, limit: int, seconds: int) -> bool:
    """Count one use of ``scope`` by this client; True once the client is past ``limit`` uses
    in the current window."""
    uses = _count_use(f"{scope}:{client_fingerprint(request)}", seconds)
    return uses is not None and uses > limit


def first_use(scope: str, key: str, *, seconds: int) -> bool:
    """True the first time ``key`` is used for ``scope`` within ``seconds`` (or when uses cannot
    be counted)."""
    uses = _count_use(f"once:{scope}:{key}", seconds)
    return uses is None or uses == 1


def _count_use(key: str, seconds: int) -> int | None:
    """How many uses this one makes in the current window; None when it could not be counted.
    One statement, whether the window's counter exists yet or not (SQLite 3.35+, PostgreSQL)."""
    window = int(now() // seconds)
    key = f"{key}:{window}"[:200]
    expires_at = timezone.now() + timedelta(seconds=seconds)
    # One statement needs no transaction of its own; inside one, a savepoint keeps a failure from
    # spoiling the caller's.
    try:
        with transaction.atomic() if connection.in_atomic_block else nullcontext(), connection.cursor() as cursor:
            cursor.execute(_COUNT_USE, [key, connection.ops.adapt_datetimefield_value(expires_at)])
            return cursor.fetchone()[0]
    except DatabaseError:
        logger.exception("Could not count a use of %s: let through", key.split(":", 1)[0])
        return None
