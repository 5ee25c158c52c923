"""What ``/healthz`` reports: each dependency probed on a connection of its own, under one deadline.

A probe runs in a worker thread so that a server that accepts and never answers costs the
probe, not the answer: whatever a probe still waits for after ``BUDGET_SECONDS`` is reported
as ``timeout``. Every probe also has timeouts of its own, so its thread ends soon after; and at
most ``MAX_RUNNING_PROBES`` of one kind run at a time, so a hung server cannot pile threads up.

The errors put in the answer are short fixed phrases, since ``/healthz`` is public; the
exception itself goes to the log.
"""

import copy
import logging
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.core.cache import DEFAULT_CACHE_ALIAS
from django.core.cache.backends.redis import RedisCache
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.utils import load_backend
from django.utils.module_loading import import_string
from redis import Redis
from redis.backoff import NoBackoff
from redis.exceptions import RedisError
from redis.exceptions import TimeoutError as RedisTimeoutError
from redis.retry import Retry

logger = logging.getLogger(__name__)

BUDGET_SECONDS = 1.5  # the answer must come within 2 s, time to start threads and reply included
MAX_RUNNING_PROBES = 4
SQLITE_BUSY_SECONDS = 1.0  # waiting for another writer's lock
POSTGRES_CONNECT_SECONDS = 2  # libpq's minimum
POSTGRES_STATEMENT_MS = 1000
CACHE_SOCKET_SECONDS = 1.0  # at most; a shorter configured timeout is kept

OK, DOWN, TIMEOUT, NOT_CONFIGURED = "ok", "down", "timeout", "not configured"
# Up, but slow to write: another writer holds SQLite's lock longer than the probe waits (a long
# restore, the nightly purge). Readers' writes wait up to DJANGO_SQLITE_BUSY_TIMEOUT meanwhile,
# so this is reported, not a reason to take the site out of rotation.
BUSY = "busy"


class Unavailable(Exception):
    """A dependency cannot serve. The message is a short phrase that is safe to publish."""

    def __init__(self, message: str, *, status: str = DOWN) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Check:
    name: str
    required: bool
    probe: Callable[[], str]  # answers OK or NOT_CONFIGURED; raises Unavailable


def report() -> dict:
    """The answer of ``/healthz``: an overall status and one entry per check."""
    database = copy.deepcopy(connections[DEFAULT_DB_ALIAS].settings_dict)
    cache = settings.CACHES[DEFAULT_CACHE_ALIAS]
    results = run_checks(
        [
            Check("database", required=True, probe=partial(probe_database, database)),
            Check("cache", required=False, probe=partial(probe_cache, cache)),
        ]
    )
    return {"status": overall_status(results), "checks": results}


def overall_status(results: dict[str, dict]) -> str:
    failing = [result for result in results.values() if result["status"] in (DOWN, TIMEOUT)]
    if any(result["required"] for result in failing):
        return "down"
    return "degraded" if failing or any(result["status"] == BUSY for result in results.values()) else "ok"


def run_checks(checks: list[Check], budget: float = BUDGET_SECONDS) -> dict[str, dict]:
    deadline = time.monotonic() + budget
    running = [(check, _Run(check)) for check in checks]
    results = {}
    for check, run in running:
        outcome = run.result(deadline)
        results[check.name] = {"status": outcome["status"], "required": check.required, **outcome}
    return results


class _Run:
    """One probe in a daemon thread: a hung probe never holds up the answer nor the process's exit."""

    _slots: dict[str, threading.BoundedSemaphore] = {}
    _slots_lock = threading.Lock()

    def __init__(self, check: Check) -> None:
        self.check = check
        self.started = time.monotonic()
        self.done = threading.Event()
        self.outcome: dict = {}
        with self._slots_lock:
            self.slot = self._slots.setdefault(check.name, threading.BoundedSemaphore(MAX_RUNNING_PROBES))
        if self.slot.acquire(blocking=False):
            threading.Thread(target=self._probe, name=f"healthz-{check.name}", daemon=True).start()
        else:
            self._finish(TIMEOUT, "earlier checks are still waiting for an answer")

    def _probe(self) -> None:
        try:
            self._finish(self.check.probe())
        except Unavailable as unavailable:
            self._finish(unavailable.status, str(unavailable))
        except Exception:
            logger.exception("Health check %s failed unexpectedly.", self.check.name)
            self._finish(DOWN, "unexpected error")
        finally:
            self.slot.release()

    def _finish(self, status: str, error: str = "") -> None:
        milliseconds = round((time.monotonic() - self.started) * 1000)
        self.outcome = {"status": status, "duration_ms": milliseconds, **({"error": error} if error else {})}
        self.done.set()

    def result(self, deadline: float) -> dict:
        if self.done.wait(max(0.0, deadline - time.monotonic())):
            return self.outcome
        milliseconds = round((time.monotonic() - self.started) * 1000)
        return {"status": TIMEOUT, "duration_ms": milliseconds, "error": "no answer in time"}


def probe_database(settings_dict: dict) -> str:
    """Connect, read, and make sure writes are possible, on a connection of the probe's own.

    Reading alone is not enough: a read-only SQLite file or a PostgreSQL standby answers every
    SELECT while every reader's action fails.
    """
    connection = _probe_connection(settings_dict)
    try:
        try:
            connection.ensure_connection()
        except DatabaseError as error:
            raise _unavailable("cannot connect", error) from error
        with connection.cursor() as cursor:
            try:
                cursor.execute("SELECT 1")
            except DatabaseError as error:
                raise _unavailable("cannot read", error) from error
            # An in-memory database (the tests') cannot be read-only; a second connection to it
            # would only run into the locks of the connection that owns it.
            if connection.vendor == "sqlite" and not connection.is_in_memory_db():
                _probe_sqlite_writes(cursor)
            elif connection.vendor == "postgresql":
                _probe_postgresql_writes(cursor)
    finally:
        connection.close()
    return OK


def _probe_connection(settings_dict: dict):
    settings_dict = copy.deepcopy(settings_dict)
    connection = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, alias="healthz")
    options = connection.settings_dict.setdefault("OPTIONS", {})
    if connection.vendor == "sqlite":
        options["timeout"] = SQLITE_BUSY_SECONDS
    elif connection.vendor == "postgresql":
        options["connect_timeout"] = POSTGRES_CONNECT_SECONDS
        options.pop("pool", None)  # one connection, closed afterwards
    return connection


def _probe_sqlite_writes(cursor) -> None:
    # BEGIN IMMEDIATE alone succeeds on a read-only file; rewriting the header's user_version
    # with its own value is a real write, rolled back.
    try:
        cursor.execute("BEGIN IMMEDIATE")
        try:
            cursor.execute("PRAGMA user_version")
            version = int(cursor.fetchone()[0])
            cursor.execute(f"PRAGMA user_version = {version}")
        finally:
            cursor.execute("ROLLBACK")
    except DatabaseError as error:
        if "locked" in str(error):
            raise _unavailable("writes waiting: another writer holds the lock", error, status=BUSY) from error
        if "readonly" in str(error):
            raise _unavailable("writes refused: the database is read-only", error) from error
        raise _unavailable("writes refused", error) from error  # e.g. a full disk


def _probe_postgresql_writes(cursor) -> None:
    try:
        # SET LOCAL ends with the transaction, so it is safe behind a transaction-pooling PgBouncer.
        cursor.execute("BEGIN")
        try:
            cursor.execute(f"SET LOCAL statement_timeout = {POSTGRES_STATEMENT_MS}")
            cursor.execute("SELECT pg_is_in_recovery(), current_setting('transaction_read_only')")
            in_recovery, read_only = cursor.fetchone()
        finally:
            cursor.execute("ROLLBACK")
    except DatabaseError as error:
        raise _unavailable("query failed", error) from error
    if in_recovery:
        raise Unavailable("writes refused: the server is a read-only standby")
    if read_only == "on":
        raise Unavailable("writes refused: transactions are read-only by default")


def probe_cache(cache_settings: dict) -> str:
    """PING each Redis server on a connection of the probe's own; any other cache is local."""
    if not issubclass(import_string(cache_settings["BACKEND"]), RedisCache):
        return NOT_CONFIGURED
    options = cache_settings.get("OPTIONS", {})
    timeout = min(options.get("socket_timeout") or CACHE_SOCKET_SECONDS, CACHE_SOCKET_SECONDS)
    location = cache_settings["LOCATION"]
    for url in re.split("[;,]", location) if isinstance(location, str) else location:
        client = Redis.from_url(
            url, socket_connect_timeout=timeout, socket_timeout=timeout, retry=Retry(NoBackoff(), 0)
        )
        try:
            client.ping()
        except RedisTimeoutError as error:
            raise _unavailable(f"no answer within {timeout:g} s", error, status=TIMEOUT) from error
        except (RedisError, OSError) as error:
            raise _unavailable("cannot connect", error) from error
        finally:
            client.close()
    return OK


def _unavailable(message: str, error: Exception, *, status: str = DOWN) -> Unavailable:
    logger.warning("Health check: %s (%s: %s)", message, type(error).__name__, error)
    return Unavailable(message, status=status)
