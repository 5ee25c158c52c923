"""/healthz: each dependency reported as JSON, 503 when a required one cannot serve, and an
answer within 2 seconds whatever the servers do."""

import copy
import os
import sqlite3
import threading
import time
from contextlib import closing, contextmanager
from pathlib import Path
from unittest import mock

import pytest
from django.db import connections
from django.db.utils import load_backend

from helpcenter import health
from helpcenter.health import Check, Unavailable, probe_database, run_checks
from tests.configured import settings_for
from tests.fake_servers import closed_port, silent_server

pytestmark = pytest.mark.django_db

LOCAL_CACHE = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


@contextmanager
def database_at(**fields):
    """The default database's settings, as /healthz reads them, pointed somewhere else."""
    with mock.patch.dict(connections["default"].settings_dict, {"OPTIONS": {}, **fields}):
        yield


def sqlite_settings(name: str) -> dict:
    return {
        **copy.deepcopy(connections["default"].settings_dict),
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": name,
        "OPTIONS": {},
    }


def sqlite_file(tmp_path) -> str:
    path = tmp_path / "help.sqlite3"
    with closing(sqlite3.connect(path)) as database:
        database.execute("CREATE TABLE guide (title TEXT)")
        database.commit()
    return str(path)


def read_only_sqlite_file(tmp_path) -> str:
    path = sqlite_file(tmp_path)
    os.chmod(path, 0o444)
    # root writes to any file whatever its mode; SQLite's read-only mode is then what a read-only
    # file or mount gives everyone else.
    return f"file:{path}?mode=ro" if os.geteuid() == 0 else path


def get_health(client):
    started = time.monotonic()
    response = client.get("/healthz")
    return response, time.monotonic() - started


def test_all_ok_answers_200_with_each_check(client, settings):
    settings.CACHES = LOCAL_CACHE
    response, _seconds = get_health(client)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"]["status"] == "ok"
    assert body["checks"]["database"]["required"] is True
    assert body["checks"]["cache"] == {"status": "not configured", "required": False, "duration_ms": mock.ANY}


def test_a_database_that_cannot_be_opened_answers_503_naming_it(client, settings):
    settings.CACHES = LOCAL_CACHE
    with database_at(ENGINE="django.db.backends.sqlite3", NAME="/nonexistent/folder/help.sqlite3"):
        response, _seconds = get_health(client)
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "down"
    assert body["checks"]["database"] == {
        "status": "down",
        "required": True,
        "duration_ms": mock.ANY,
        "error": "cannot connect",
    }


def test_a_read_only_sqlite_file_is_found_out(tmp_path):
    with pytest.raises(Unavailable, match="writes refused"):
        probe_database(sqlite_settings(read_only_sqlite_file(tmp_path)))


def test_a_read_only_sqlite_file_answers_503_naming_writes(client, settings, tmp_path):
    settings.CACHES = LOCAL_CACHE
    with database_at(ENGINE="django.db.backends.sqlite3", NAME=read_only_sqlite_file(tmp_path)):
        response, _seconds = get_health(client)
    assert response.status_code == 503
    assert response.json()["checks"]["database"]["error"] == "writes refused: the database is read-only"


def test_the_write_probe_leaves_a_writable_sqlite_file_as_it_was(tmp_path):
    name = sqlite_file(tmp_path)
    before = Path(name).read_bytes()
    assert probe_database(sqlite_settings(name)) == "ok"
    assert Path(name).read_bytes() == before


def test_a_sqlite_file_locked_by_another_writer_is_busy_not_down(tmp_path):
    name = sqlite_file(tmp_path)
    with closing(sqlite3.connect(name, isolation_level=None)) as writer:
        writer.execute("BEGIN IMMEDIATE")
        started = time.monotonic()
        with pytest.raises(Unavailable, match="another writer holds the lock") as busy:
            probe_database(sqlite_settings(name))
        assert busy.value.status == health.BUSY
        assert time.monotonic() - started < health.BUDGET_SECONDS
        writer.execute("ROLLBACK")


def test_a_postgresql_server_that_never_answers_gets_503_within_2_seconds(client, settings):
    settings.CACHES = LOCAL_CACHE
    load_backend("django.db.backends.postgresql")  # loaded at start-up in production, not by the check
    with silent_server() as server:
        postgres = {"ENGINE": "django.db.backends.postgresql", "NAME": "help", "USER": "help", "PASSWORD": ""}
        with database_at(**postgres, HOST="127.0.0.1", PORT=str(server.port)):
            response, seconds = get_health(client)
        assert server.connections  # the probe did reach the hung server
    assert seconds < 2
    assert response.status_code == 503
    assert response.json()["checks"]["database"]["status"] == "timeout"


@pytest.mark.skipif(connections["default"].vendor != "postgresql", reason="runs on PostgreSQL")
def test_a_postgresql_database_in_read_only_mode_is_found_out():
    settings_dict = copy.deepcopy(connections["default"].settings_dict)
    assert probe_database(settings_dict) == "ok"
    settings_dict["OPTIONS"] = {**settings_dict["OPTIONS"], "options": "-c default_transaction_read_only=on"}
    with pytest.raises(Unavailable, match="writes refused: transactions are read-only"):
        probe_database(settings_dict)


@pytest.mark.parametrize(
    ("redis", "status"),
    [("refuses connections", "down"), ("accepts and never answers", "timeout")],
)
def test_an_unreachable_cache_is_reported_but_keeps_the_site_in_rotation(client, settings, monkeypatch, redis, status):
    with silent_server() as server:
        port = closed_port() if redis == "refuses connections" else server.port
        settings.CACHES = settings_for(monkeypatch, REDIS_URL=f"redis://127.0.0.1:{port}/0")["CACHES"]
        response, seconds = get_health(client)
    assert seconds < 2
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["checks"]["database"]["status"] == "ok"
    assert body["checks"]["cache"]["status"] == status
    assert body["checks"]["cache"]["required"] is False


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs a Redis server in REDIS_URL")
def test_a_live_redis_is_reported_ok(client, settings, monkeypatch):
    settings.CACHES = settings_for(monkeypatch, REDIS_URL=os.environ["REDIS_URL"])["CACHES"]
    assert get_health(client)[0].json()["checks"]["cache"]["status"] == "ok"


def test_a_check_that_runs_out_of_time_reports_timeout():
    release = threading.Event()
    try:
        started = time.monotonic()
        results = run_checks([Check("slow", required=True, probe=lambda: release.wait(10) and "ok")], budget=0.2)
        assert time.monotonic() - started < 5  # not the probe's 10 s
        assert results["slow"]["status"] == "timeout"
    finally:
        release.set()


def test_hung_checks_do_not_pile_up_threads():
    release = threading.Event()
    stuck = Check("stuck", required=True, probe=lambda: release.wait(10) and "ok")
    try:
        for _ in range(health.MAX_RUNNING_PROBES):
            run_checks([stuck], budget=0.01)
        results = run_checks([stuck], budget=1)
        assert results["stuck"] == {  # answered without starting another thread
            "status": "timeout",
            "required": True,
            "duration_ms": mock.ANY,
            "error": "earlier checks are still waiting for an answer",
        }
    finally:
        release.set()


def test_an_unexpected_error_in_a_check_reports_it_down_without_details():
    def broken():
        raise RuntimeError("password=secret")

    results = run_checks([Check("broken", required=False, probe=broken)])
    assert results["broken"]["status"] == "down"
    assert results["broken"]["error"] == "unexpected error"


@pytest.mark.parametrize(
    ("statuses", "overall"),
    [
        ({"database": ("ok", True), "cache": ("not configured", False)}, "ok"),
        ({"database": ("ok", True), "cache": ("timeout", False)}, "degraded"),
        ({"database": ("timeout", True), "cache": ("ok", False)}, "down"),
        ({"database": ("busy", True), "cache": ("ok", False)}, "degraded"),
    ],
)
def test_the_overall_status_follows_the_required_checks(statuses, overall):
    results = {name: {"status": status, "required": required} for name, (status, required) in statuses.items()}
    assert health.overall_status(results) == overall


def test_it_answers_head_refuses_post_and_is_never_cached(client, settings):
    settings.CACHES = LOCAL_CACHE
    assert client.head("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405
    assert "no-cache" in client.get("/healthz")["Cache-Control"]


def test_it_stays_reachable_over_plain_http_when_https_is_on(client, settings):
    settings.CACHES = LOCAL_CACHE
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/en/").status_code == 301
    assert client.get("/healthz").status_code == 200
