"""A Redis that is down or hangs costs a feature, never a page: the cache answers as an empty
cache, logs the outage once, and skips Redis for a few seconds after each failure."""

import logging
import os
import time

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache

import helpcenter.cache
from guides.models import GuideVote, StepCompletion, StepReport
from helpcenter.cache import Breaker, ResilientRedisCache
from tests.configured import settings_for
from tests.factories import guide_url, step_url
from tests.fake_servers import closed_port, silent_server

REPORT = {"problem": "renamed", "seen_instead": "Another label.", "device": "android"}


@pytest.fixture(autouse=True)
def _no_outage_remembered(monkeypatch):
    # Breakers are per process: each test starts as a freshly started process would.
    monkeypatch.setattr(helpcenter.cache, "_breakers", {})


def redis_cache(port: int, retry_after: float = 5) -> ResilientRedisCache:
    return ResilientRedisCache(f"redis://127.0.0.1:{port}/0", {"OPTIONS": {"retry_after": retry_after}})


@pytest.fixture(params=["refuses connections", "accepts and never answers"])
def unreachable_redis_url(request):
    if request.param == "refuses connections":
        yield f"redis://127.0.0.1:{closed_port()}/0"
    else:
        with silent_server() as server:
            yield f"redis://127.0.0.1:{server.port}/0"


@pytest.fixture
def site_with_unreachable_redis(settings, monkeypatch, unreachable_redis_url):
    """The cache and sessions exactly as the settings configure them for this REDIS_URL."""
    configured = settings_for(monkeypatch, REDIS_URL=unreachable_redis_url)
    settings.CACHES = configured["CACHES"]
    settings.SESSION_ENGINE = configured["SESSION_ENGINE"]


def test_every_operation_answers_as_an_empty_cache_that_stores_nothing():
    down = redis_cache(closed_port())
    assert down.get("key") is None
    assert down.get("key", "default") == "default"
    assert down.get_many(["a", "b"]) == {}
    assert down.has_key("key") is False
    assert down.get_or_set("key", lambda: "computed") == "computed"
    assert down.set("key", 1) is None
    assert down.set_many({"a": 1, "b": 2}) == ["a", "b"]  # neither was stored
    assert down.touch("key") is False
    assert down.delete("key") is False
    assert down.delete_many(["a", "b"]) is None
    assert down.clear() is False


def test_add_and_incr_let_first_time_guards_and_counters_through():
    down = redis_cache(closed_port())
    assert down.add("once", 1) is True  # as if new: a double-submit guard lets the reader through
    assert down.incr("counter") == 1  # as if counted from zero: a rate limit does not refuse
    assert down.incr("counter", 5) == 5
    assert down.decr("counter") == -1


def test_an_outage_is_logged_once_not_once_per_call(caplog):
    down = redis_cache(closed_port(), retry_after=0.05)
    with caplog.at_level(logging.WARNING, logger="helpcenter.cache"):
        for _ in range(3):
            for _ in range(10):
                down.get("key")
            time.sleep(0.06)  # the breaker lets one call try again, which fails again
    assert len(caplog.records) == 1
    assert "unavailable" in caplog.records[0].getMessage()


def test_the_log_never_shows_the_redis_password(caplog):
    down = ResilientRedisCache(f"redis://:s3cret@127.0.0.1:{closed_port()}/0", {})
    with caplog.at_level(logging.WARNING, logger="helpcenter.cache"):
        down.get("key")
    assert "s3cret" not in caplog.text
    assert "127.0.0.1" in caplog.text


def test_a_hung_redis_costs_one_short_timeout_per_window_not_one_per_call():
    with silent_server() as server:
        hung = redis_cache(server.port, retry_after=0.5)
        started = time.monotonic()
        for _ in range(50):
            assert hung.get("key", "default") == "default"
            hung.add("key", 1)
        assert time.monotonic() - started < 1  # one timeout of 0.25 s, then skipped
        assert len(server.connections) == 1
        time.sleep(0.5)
        hung.get("key")
        hung.get("key")
        assert len(server.connections) == 2  # one new attempt once the window is over


def test_the_breaker_lets_one_caller_try_again_after_the_window_and_closes_on_success(caplog):
    breaker = Breaker("redis://cache", retry_after=0.05)
    assert breaker.allows_call()
    breaker.record_failure(ConnectionError("refused"))
    assert not breaker.allows_call()
    time.sleep(0.06)
    assert breaker.allows_call()  # this caller tries again...
    assert not breaker.allows_call()  # ...and the others keep skipping meanwhile
    with caplog.at_level(logging.WARNING, logger="helpcenter.cache"):
        breaker.record_success()
    assert "answers again" in caplog.text
    assert breaker.allows_call() and breaker.allows_call()


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs a Redis server in REDIS_URL")
def test_with_redis_up_it_behaves_as_djangos_redis_cache():
    live = ResilientRedisCache(os.environ["REDIS_URL"], {"KEY_PREFIX": "resilience-test"})
    live.delete_many(["once", "counter"])
    assert live.add("once", 1) is True
    assert live.add("once", 2) is False
    assert live.get("once") == 1
    with pytest.raises(ValueError, match="not found"):
        live.incr("counter")  # Django's contract for a missing key, which the rate limit relies on
    live.set("counter", 1)
    assert live.incr("counter", 2) == 3
    live.delete_many(["once", "counter"])


def test_the_settings_give_redis_short_timeouts_and_keep_sessions_in_the_database(monkeypatch):
    configured = settings_for(monkeypatch, REDIS_URL="redis://cache:6379/0", DJANGO_CACHE_TIMEOUT_SECONDS="0.4")
    cache_settings = configured["CACHES"]["default"]
    assert cache_settings["BACKEND"] == "helpcenter.cache.ResilientRedisCache"
    assert cache_settings["OPTIONS"] == {"socket_connect_timeout": 0.4, "socket_timeout": 0.4}
    assert configured["SESSION_ENGINE"] == "django.contrib.sessions.backends.db"


@pytest.mark.django_db
def test_readers_editors_and_actions_work_quickly_while_redis_is_unreachable(
    site_with_unreachable_redis, settings, client, guide
):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # time the cache, not hashing
    step = guide.steps.get(position=2)
    User.objects.create_superuser("admin", "admin@example.org", "admin-password-123")
    started = time.monotonic()

    assert client.get("/en/", HTTP_ACCEPT_LANGUAGE="en").status_code == 200
    assert client.get(guide_url(guide, language="en")).status_code == 200
    assert client.post(step_url(step, "done", "en"), {"done": "1"}).status_code == 303
    page = client.get(guide_url(guide, language="en")).content.decode()
    assert "1 of 3 steps done" in page  # a reader who acted: their progress is read back
    assert client.post(step_url(step, "report", "en"), REPORT).status_code == 303
    assert client.post(guide_url(guide, "vote", "en"), {"helpful": "yes", "language": "en"}).status_code == 303
    login = client.post("/admin/login/", {"username": "admin", "password": "admin-password-123"})
    assert login.status_code == 302
    assert client.get("/admin/").status_code == 200

    assert time.monotonic() - started < 2
    assert StepCompletion.objects.filter(step=step).exists()
    assert StepReport.objects.filter(step=step).exists()
    assert GuideVote.objects.filter(guide=guide).exists()


@pytest.mark.django_db
def test_the_rate_limit_lets_readers_through_while_redis_is_unreachable(site_with_unreachable_redis, client, guide):
    # Counters cannot be kept without the cache: reports are taken rather than refused.
    for step in guide.steps.all():
        assert client.post(step_url(step, "report", "en"), REPORT).status_code == 303
    assert cache.get("anything", "default") == "default"
